"""Every Vietnamese word a reader of the briefings sees, in one place.

A ward that words things differently changes them here; the code (briefing.py,
charts.py, the notebooks) only ever refers to them by their English key. Terms
follow GLOSSARY.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wardbrief.figures import exports

# --- report titles --------------------------------------------------------------------

REPORT_TITLES: dict[str, str] = {
    "weekly_briefing": "BÁO CÁO GIAO BAN TUẦN",
    "monthly_report": "BÁO CÁO",
    "department_reminders": "PHIẾU ĐÔN ĐỐC",
    "data_quality": "DANH SÁCH LỖI DỮ LIỆU",
    "quarterly_report": "BÁO CÁO",
    "half_year_report": "BÁO CÁO",
    "year_report": "BÁO CÁO",
    "city_briefing": "BÁO CÁO",
}
REPORT_SUBTITLES: dict[str, str] = {
    "weekly_briefing": (
        "Tình hình tiếp nhận, xử lý phản ánh, kiến nghị qua Hệ thống 1022, "
        "ứng dụng Smart Hải Phòng và tiến độ nhiệm vụ"
    ),
    # {month} is "11/2026"
    "monthly_report": "Kết quả tiếp nhận, xử lý phản ánh, kiến nghị của người dân tháng\u00a0{month}",
    "department_reminders": "xử lý phản ánh, kiến nghị",
    # {period} is "quý IV năm 2026", "6 tháng đầu năm 2026", "năm 2026" (fmt.period_vn)
    "quarterly_report": "Kết quả tiếp nhận, xử lý phản ánh, kiến nghị của người dân {period}",
    "half_year_report": "Kết quả tiếp nhận, xử lý phản ánh, kiến nghị của người dân {period}",
    "year_report": "Kết quả tiếp nhận, xử lý phản ánh, kiến nghị của người dân {period}",
    "data_quality": "cần chỉnh sửa trên bảng tính",
    "city_briefing": "Kết quả tiếp nhận, xử lý phản ánh, kiến nghị của các xã, phường, đặc khu",
}

# --- figures (metrics.json key -> label) ---------------------------------------------

FIGURES: dict[str, str] = {
    "received": "Số phản ánh, kiến nghị tiếp nhận trong kỳ",
    "returned": "Trả lại / không thuộc thẩm quyền",
    "resolved": "Đã xử lý, trả lời trong kỳ",
    "resolved_on_time": "Xử lý đúng hạn",
    "resolved_late": "Xử lý quá hạn (trễ hạn)",
    "open": "Đang xử lý (chưa trả lời)",
    "open_overdue": "Chưa trả lời, đã quá hạn",
    "open_due_soon": "Sắp đến hạn",
    "on_time_rate": "Tỷ lệ xử lý đúng hạn",
    "compliance_rate": "Tỷ lệ tuân thủ thời hạn (tính cả phản ánh quá hạn chưa trả lời)",
    "working_days_late": "Số ngày làm việc quá hạn",
    "satisfaction": "Tỷ lệ hài lòng (trên số phản ánh được đánh giá)",
}
# Short forms for narrow table headers and chart legends.
FIGURES_SHORT: dict[str, str] = {
    "received": "Tiếp nhận",
    "returned": "Trả lại",
    "resolved": "Đã xử lý, trả lời",
    "resolved_on_time": "Đúng hạn",
    "resolved_late": "Quá hạn (trễ hạn)",
    "open": "Đang xử lý",
    "open_overdue": "Chưa trả lời, quá hạn",
    "open_due_soon": "Sắp đến hạn",
    "on_time_rate": "Tỷ lệ đúng hạn",
    "compliance_rate": "Tỷ lệ tuân thủ thời hạn",
    "open_backlog": "Tồn đọng chưa trả lời",
    "satisfaction": "Tỷ lệ hài lòng",
}

PREVIOUS_PERIOD = "Kỳ trước"
THIS_PERIOD = "Kỳ này"
CHANGE = "So với {name}"
TARGET = "Chỉ tiêu"
TARGET_MET = "Đạt"
TARGET_MISSED = "Chưa đạt"
INCREASE = "tăng"
DECREASE = "giảm"
UNCHANGED = "không đổi"
PERCENT_POINTS = "điểm phần trăm"
NOT_AVAILABLE = "—"
FIGURE = "Chỉ số"

# --- periods and header lines --------------------------------------------------------

PERIOD_LINE = "Kỳ báo cáo: từ ngày {start} đến ngày {end}"
PREVIOUS_PERIOD_LINE = "So sánh với {name}: từ ngày {start} đến ngày {end}"
PREVIOUS_WEEK = "tuần trước"
PREVIOUS_MONTH = "tháng trước"
PREVIOUS_OTHER = "kỳ trước"
COMPARED_WITH = "so với {name}, {range}"  # range: "từ 14/11 đến 20/11/2026"
# A weekly briefing over a period of other dates (--period-start): named by its dates.
CUSTOM_PERIOD_TITLE = "BÁO CÁO KỲ {range}"
AS_OF_LINE = "Số liệu tính đến hết ngày {as_of}"
SOURCE_LINE = "Nguồn: bảng tính theo dõi phản ánh, kiến nghị (mã kiểm tra {fingerprint})"
RENDER_MISSING = (
    "Thư mục {folder} không có {files}: hãy chạy `wardbrief run` trước. / "
    "{folder} lacks {files}: run `wardbrief run` first."
)
STALE_WARNING = (
    "Lưu ý: không kết nối được bảng tính trực tuyến; báo cáo dùng bản sao lưu lúc {taken_at}, "
    "số liệu có thể chưa cập nhật."
)
# Every output made from the synthetic sample workbook (metrics `demo`) carries it: each
# PDF page, each Word file's header, each e-mail's subject and first line, theo-doi.xlsx.
DEMO_MARK = "DỮ LIỆU MẪU"


def demo_mark(metrics: Mapping[str, Any]) -> str | None:
    """DEMO_MARK for metrics made from the synthetic sample (`demo`; `source.demo` in a
    metrics.json written before `demo` was), else None."""
    demo = metrics.get("demo") or (metrics.get("source") or {}).get("demo")
    return DEMO_MARK if demo else None
# A section whose tab the workbook does not have (metrics tabs_present).
TAB_ABSENT = ("Bảng tính không có trang {tab} nên phần này không có số liệu "
              "(không phải là không có {what}).")
TAB_ABSENT_WHAT = {"NhiemVu": "nhiệm vụ", "TruyenThong": "tin bài"}
NOT_BRIEFED_NOTE = (
    "Không lập báo cáo kỳ này: bảng tính không cho được số liệu đúng. Báo cáo trước đó được "
    "giữ nguyên. Sửa lỗi dưới đây rồi chạy lại:"
)
DATA_ISSUES_NOTE = (
    "Bảng tính còn {errors} dòng bị loại do lỗi dữ liệu và {warnings} cảnh báo; "
    "xem Danh sách lỗi dữ liệu để chỉnh sửa."
)
COMMITTEE = "ỦY BAN NHÂN DÂN"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DOC_NUMBER = "Số:"  # followed by a blank for the clerk to fill in, then the symbol
DOC_SYMBOL_REPORT = "/BC-UBND"
DOC_SYMBOL_REMINDER = "/PĐĐ-VP"
UNASSIGNED = "Chưa xác định đơn vị"
OFFICE_NAME = "Văn phòng HĐND và UBND phường"
NO_HEAD = "Chưa cập nhật"  # a head left blank in DonVi
# How the head of a unit is addressed, by the key of the unit's name (first match).
HEAD_TITLES: tuple[tuple[str, str], ...] = (
    ("phong", "Trưởng phòng {rest}"),
    ("van phong", "Chánh {name}"),
    ("trung tam", "Giám đốc {name}"),
    ("cong an", "Trưởng {name}"),
    ("ban chi huy quan su", "Chỉ huy trưởng {name}"),
    ("ban", "Trưởng {name}"),
)
HEAD_TITLE_DEFAULT = "Thủ trưởng {name}"

# --- sections --------------------------------------------------------------------------

KEY_POINTS_TITLE = "NHỮNG ĐIỂM CẦN LƯU Ý"
ACTIONS_TITLE = "Đề nghị Chủ tịch UBND phường chỉ đạo:"
RATE_LABELS = {"compliance_rate": "Tỷ lệ tuân thủ thời hạn", "on_time_rate": "Tỷ lệ xử lý đúng hạn"}
RATE_SENTENCE = "{label} {rate} (chỉ tiêu {target})"
RATE_CHANGE = ", {change} {compared} ({before})"
RATE_NONE = {
    "compliance_rate": "Trong kỳ chưa có phản ánh nào đã trả lời hoặc quá hạn để tính tỷ lệ tuân thủ thời hạn.",
    "on_time_rate": "Trong kỳ chưa có phản ánh nào được trả lời để tính tỷ lệ xử lý đúng hạn.",
}
OVERDUE_SENTENCE = "Còn {count} phản ánh chưa trả lời đã quá hạn, tại: {holders}."
OVERDUE_NONE = "Không có phản ánh nào chưa trả lời đã quá hạn."
NAME_COUNT = "{name} ({count})"
NAME_RATE = "{name} ({rate})"
OTHER_UNITS = "{units} đơn vị khác ({count})"
VERDICT_NO_DATA = "Đánh giá: chưa đủ số liệu; trong kỳ chưa có phản ánh nào đã trả lời hoặc quá hạn."
VERDICT_MET = "Đánh giá: đạt chỉ tiêu {target}; không có phản ánh quá hạn chưa trả lời."
VERDICT_MET_BUT_OVERDUE = (
    "Đánh giá: chưa đạt yêu cầu. Các phản ánh đã trả lời đạt tỷ lệ đúng hạn {rate}, nhưng còn "
    "{overdue} phản ánh quá hạn chưa trả lời nên tỷ lệ tuân thủ thời hạn chỉ đạt {compliance}, "
    "dưới chỉ tiêu {target}."
)
VERDICT_MISSED = "Đánh giá: chưa đạt chỉ tiêu {target} trả lời đúng hạn (đạt {rate})"
VERDICT_MISSED_OVERDUE = "; còn {overdue} phản ánh quá hạn chưa trả lời"
ACTION_OVERDUE = "{who} trả lời ngay {count} phản ánh đã quá hạn{oldest}."
ACTION_OLDEST = " (lâu nhất {days} ngày làm việc: {case_id})"
ACTION_OFFICE_UNASSIGNED = "Văn phòng HĐND và UBND phường xác định đơn vị xử lý và chuyển"
ACTION_COMPLIANCE_FELL = "Tỷ lệ tuân thủ thời hạn {change} {compared}{lowest}: kiểm điểm các đơn vị để xảy ra quá hạn."
ACTION_LOWEST = "; thấp nhất {name} ({rate})"
ACTION_TASKS = "Các đơn vị chủ trì hoàn thành {count} nhiệm vụ đã quá hạn."
ACTION_DUE_SOON = "Đôn đốc trả lời {count} phản ánh sắp đến hạn trong {days} ngày làm việc tới."

WEEKLY_SECTIONS: dict[str, str] = {
    "headline": "I. KẾT QUẢ TIẾP NHẬN, XỬ LÝ PHẢN ÁNH, KIẾN NGHỊ",
    "trend": "Diễn biến 12 tuần gần nhất",
    "departments": "II. KẾT QUẢ THEO ĐƠN VỊ",
    "accountability": "III. DANH SÁCH PHẢN ÁNH, KIẾN NGHỊ CHƯA TRẢ LỜI HOẶC TRẢ LỜI KHÔNG ĐÚNG THỜI HẠN",
    "tasks": "IV. TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ",
    "campaign": "V. CÔNG TÁC TUYÊN TRUYỀN",
}
MONTHLY_SECTIONS: dict[str, str] = {
    "results": "I. KẾT QUẢ THỰC HIỆN",
    "cases": "1. Tiếp nhận, xử lý phản ánh, kiến nghị",
    "departments": "2. Kết quả theo đơn vị",
    "campaign": "3. Công tác tuyên truyền",
    "smart_city": "4. Nhiệm vụ xây dựng đô thị thông minh",
    "shortcomings": "II. TỒN TẠI, HẠN CHẾ",
    "next": "III. NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI",
}

ACCOUNTABILITY_TITLE = "Danh sách phản ánh, kiến nghị chưa trả lời hoặc trả lời không đúng thời hạn"
ACCOUNTABILITY_COLUMNS: dict[str, str] = exports.headers(
    exports.ACCOUNTABILITY_COLUMNS, "case_id", "department_name", "head", "due", "responded",
    "working_days_late", "summary")
NOT_ANSWERED = "Chưa trả lời"
ACCOUNTABILITY_EMPTY = "Không có phản ánh, kiến nghị chưa trả lời quá hạn hoặc trả lời không đúng thời hạn."
ACCOUNTABILITY_INTRO = (
    "Tổng số {total} phản ánh, kiến nghị: {unanswered} chưa trả lời đã quá hạn và {late} trả lời "
    "không đúng thời hạn trong kỳ. Số phản ánh theo đơn vị:"
)
ACCOUNTABILITY_UNANSWERED = "{count} phản ánh chưa trả lời đã quá hạn"
ACCOUNTABILITY_LATE = "{count} phản ánh trả lời không đúng thời hạn"
ACCOUNTABILITY_COUNT_COLUMNS: dict[str, str] = {
    "name": exports.header(exports.ACCOUNTABILITY_COLUMNS, "department_name"),
    "head": exports.header(exports.ACCOUNTABILITY_COLUMNS, "head"),
    "unanswered": "Chưa trả lời, quá hạn",
    "late": "Trả lời trễ hạn",
    "longest": "Quá hạn lâu nhất (ngày làm việc)",
}
TOP_CASES_TITLE = "{count} phản ánh quá hạn lâu nhất (chưa trả lời trước)"
ANNEX_NOTE = (
    "Danh sách trên gồm {shown} trong tổng số {total} phản ánh; danh sách đầy đủ tại Phụ lục "
    "({annex}) và tệp {csv}."
)
ANNEX_NOTE_ALL = "Danh sách này cũng có tại Phụ lục ({annex}) và tệp {csv}."
ANNEX_PDF_TITLE = "PHỤ LỤC"  # phu_luc.pdf (the Word annex has its own, below)
ANNEX_PDF_ATTACHED = "(Kèm theo {report}, kỳ báo cáo từ ngày {start} đến ngày {end})"
# the annex, a department at a time: its line, then a line per case
ANNEX_UNIT_LINE = "Thủ trưởng đơn vị: {head}. {counts}."
ANNEX_UNIT_BOTH = ("{total} phản ánh: {unanswered} chưa trả lời đã quá hạn, {late} trả lời "
                   "không đúng thời hạn")
ANNEX_PART_OPEN = "Chưa trả lời, đã quá hạn ({count}):"
ANNEX_PART_LATE = "Đã trả lời nhưng không đúng thời hạn ({count}):"
ANNEX_SHORTENED = ("Mỗi phản ánh một dòng; nội dung tóm tắt dài hơn một dòng được rút gọn (…), "
                   "toàn văn tại tệp {csv}.")
ANNEX_DUE = "hạn {date}"
ANNEX_ANSWERED = "trả lời ngày {date}"
ANNEX_DAYS_LATE = "quá hạn {days} ngày làm việc"
ANNEX_LATE_UNDER_A_DAY = "quá hạn chưa tròn 1 ngày làm việc"  # not "quá hạn 0 ngày"

DEPARTMENT_COLUMNS: dict[str, str] = {
    exports.RANK_COLUMN.key: exports.RANK_COLUMN.header,
    **exports.headers(exports.DEPARTMENT_COLUMNS, "name", "received", "resolved",
                      "resolved_on_time", "resolved_late", "open", "open_overdue",
                      "on_time_rate", "compliance_rate", "avg_working_days"),
}
NOT_RANKED = "Không xếp hạng"
RANKING_NOTE = (
    "Xếp hạng theo tỷ lệ tuân thủ thời hạn (số phản ánh đúng hạn trên tổng số đã trả lời "
    "và chưa trả lời đã quá hạn); đơn vị có dưới {minimum} phản ánh thuộc diện tính tỷ lệ "
    "được liệt kê nhưng không xếp hạng."
)
SPEED_NOTE = (
    "Số ngày làm việc xử lý bình quân: từ ngày giao (hoặc ngày tiếp nhận) đến ngày trả lời, "
    "tính trên các phản ánh đã trả lời trong kỳ."
)
TOTAL = "Tổng cộng"

# --- tasks -----------------------------------------------------------------------------

TASK_BUCKETS: dict[str, str] = {
    **exports.TASK_BUCKET_WORDS,
    "blocked": "Vướng mắc, tạm dừng",
    "due_soon": "Sắp đến hạn",
}
# A task's state in a list, short (the bucket, then its flags): "Quá hạn; vướng mắc".
TASK_STATE_SHORT: dict[str, str] = {
    "done_on_time": "Hoàn thành đúng hạn",
    "done_late": "Hoàn thành quá hạn",
    "in_progress": "Đang thực hiện",
    "overdue": "Quá hạn",
    "blocked": "vướng mắc",
    "due_soon": "sắp đến hạn",
}
TASK_TOTAL = "Tổng số nhiệm vụ"
TASK_COLUMNS: dict[str, str] = {
    **exports.headers(exports.TASK_COLUMNS, "task_id", "content", "lead", "due", "progress",
                      "bucket"),
    exports.TASK_NOTE_COLUMN.key: exports.TASK_NOTE_COLUMN.header,
}
TASK_ATTENTION_TITLE = "Nhiệm vụ quá hạn, vướng mắc hoặc sắp đến hạn"
TASK_ATTENTION_EMPTY = "Không có nhiệm vụ quá hạn, vướng mắc hoặc sắp đến hạn."
NO_DEADLINE = "Không thời hạn"
TASKS_MORE = "Còn {count} nhiệm vụ cần lưu ý khác: xem tệp tasks.csv."
# Task groups that belong to "4. Nhiệm vụ xây dựng đô thị thông minh" (compared by key).
SMART_CITY_GROUP_KEYS = ("do thi thong minh", "smart hai phong", "chuyen doi so", "tong dai 1022")

# --- communications --------------------------------------------------------------------

CHANNELS: dict[str, str] = {
    "radio": "Đài truyền thanh",
    "portal": "Cổng thông tin điện tử",
    "social": "Mạng xã hội",
    "other": "Khác",
}
COMMUNICATION_COLUMNS: dict[str, str] = {
    "channel": "Kênh tuyên truyền",
    "period": "Trong kỳ",
    "month": "Lũy kế tháng {month}",
    "target": "Chỉ tiêu tháng",
    "status": "Đánh giá",
}

INTAKE_TITLE = "Phản ánh tiếp nhận theo kênh"
INTAKE_CHANNELS: dict[str, str] = {
    "smart_app": "Ứng dụng Smart Hải Phòng",
    "system_1022": "Hệ thống 1022 (tổng đài, đường dây nóng)",
    "in_person": "Trực tiếp, tại trụ sở",
    "other": "Kênh khác",
    "unknown": "Không ghi kênh",
}
INTAKE_COLUMNS: dict[str, str] = {"channel": "Kênh tiếp nhận"}
INTAKE_SENTENCE = (
    "Phản ánh qua ứng dụng Smart Hải Phòng ({smart}) và Hệ thống 1022 ({system}) chiếm {share} "
    "số phản ánh tiếp nhận trong kỳ"
)
INTAKE_NONE = "Trong kỳ chưa tiếp nhận phản ánh nào."

# --- charts ----------------------------------------------------------------------------

CHART_TREND_TITLE = "Phản ánh, kiến nghị theo tuần (12 tuần gần nhất)"
CHART_TREND_CAPTION = (
    "Biểu đồ {n}. Số phản ánh tiếp nhận, đã trả lời, trả lời đúng hạn theo tuần và "
    "số phản ánh tồn đọng chưa trả lời cuối mỗi tuần"
)
CHART_COMPLIANCE_TITLE = "Tỷ lệ tuân thủ thời hạn theo đơn vị"
CHART_COMPLIANCE_CAPTION = (
    "Biểu đồ {n}. Tỷ lệ tuân thủ thời hạn theo đơn vị trong kỳ; đường đứt nét: chỉ tiêu {target}"
)
CHART_INTAKE_TITLE = "Tỷ lệ phản ánh qua ứng dụng và Hệ thống 1022 theo tuần"
CHART_INTAKE_CAPTION = (
    "Biểu đồ {n}. Phản ánh tiếp nhận theo tuần: qua ứng dụng Smart Hải Phòng và Hệ thống 1022, "
    "qua kênh khác"
)
CHART_INTAKE_DIGITAL = "Qua ứng dụng và 1022"
CHART_INTAKE_OTHER = "Kênh khác"
CHART_RANKED = "Đạt chỉ tiêu"
CHART_BELOW = "Dưới chỉ tiêu"
CHART_UNRANKED = "Không xếp hạng (dưới {minimum} phản ánh)"
CHART_TARGET = "Chỉ tiêu {target}"
CHART_WEEK_AXIS = "Tuần (ngày bắt đầu)"
CHART_COUNT_AXIS = "Số phản ánh"

# --- reminders -------------------------------------------------------------------------

REMINDER_ADDRESSEE = "Kính gửi: Đồng chí {head}, {title}"
REMINDER_TO_NO_HEAD = "Kính gửi: {title}"
REMINDER_INTRO_WITH_TASKS = (
    "Thực hiện chỉ đạo của Chủ tịch Ủy ban nhân dân phường về việc trả lời, xử lý phản ánh, "
    "kiến nghị của người dân trên Hệ thống 1022, ứng dụng Smart Hải Phòng và thực hiện nhiệm "
    "vụ được giao, đến hết ngày {as_of}, đơn vị còn {parts}, cụ thể như sau:"
)
REMINDER_INTRO_NOTHING = (  # metrics that list nothing of a unit that has a reminder
    "Đến hết ngày {as_of}, không còn phản ánh, kiến nghị hoặc nhiệm vụ quá hạn, sắp đến hạn."
)
REMINDER_INTRO_OVERDUE = "{count} phản ánh, kiến nghị chưa trả lời đã quá hạn"
REMINDER_INTRO_DUE_SOON = "{count} phản ánh, kiến nghị sắp đến hạn xử lý"
REMINDER_INTRO_TASKS = "{count} nhiệm vụ quá hạn hoặc sắp đến hạn"
REMINDER_OVERDUE_HEADING = "Phản ánh, kiến nghị chưa trả lời, đã quá hạn"
REMINDER_DUE_SOON_HEADING = "Phản ánh, kiến nghị sắp đến hạn"
REMINDER_COLUMNS: dict[str, str] = {
    "case_id": "Mã phản ánh",
    "received": "Ngày tiếp nhận",
    "due": "Hạn xử lý",
    "working_days_late": "Số ngày làm việc quá hạn",
    "working_days_left": "Số ngày làm việc còn lại",
    "summary": "Nội dung (tóm tắt)",
}
REMINDER_NONE = "Không có."
REMINDER_LIST_MISSING = "Danh sách chi tiết chưa có trong số liệu; đề nghị tra cứu trên Hệ thống 1022."
REMINDER_TASKS_TITLE = "Nhiệm vụ đơn vị chủ trì quá hạn hoặc sắp đến hạn"
REMINDER_ASK_FOR = (
    "Đề nghị đồng chí Thủ trưởng đơn vị chỉ đạo {asks}; cập nhật kết quả trên Hệ thống 1022 và "
    "báo cáo về Văn phòng HĐND và UBND phường."
)
REMINDER_ASK_OVERDUE = "khẩn trương trả lời, xử lý dứt điểm các phản ánh, kiến nghị đã quá hạn"
REMINDER_ASK_DUE_SOON = "bảo đảm trả lời đúng thời hạn các phản ánh, kiến nghị sắp đến hạn"
REMINDER_ASK_TASKS = "hoàn thành các nhiệm vụ quá hạn, sắp đến hạn"
REMINDER_ASK_KEEP_ON_TIME = "tiếp tục bảo đảm trả lời đúng thời hạn các phản ánh, kiến nghị"
REMINDER_RESPONSIBILITY = (
    "Thủ trưởng đơn vị chịu trách nhiệm trước Chủ tịch Ủy ban nhân dân phường đối với trường "
    "hợp không trả lời, trả lời không đúng thời hạn các phản ánh, kiến nghị thuộc thẩm quyền "
    "giải quyết của đơn vị mình."
)
REMINDER_SIGNER = ("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG")
REMINDER_RECIPIENTS = ("- Như trên;", "- Chủ tịch UBND phường (để b/c);", "- Lưu: VT, VP.")
# The office's own (its cases and tasks, and the cases of no unit): the office signs for
# the Chairman, so it does not remind itself — it reports to the Chairman and says what
# it will do (briefings.reminder).
REMINDER_OFFICE_KIND = "BÁO CÁO"
REMINDER_OFFICE_SUBJECT = ("Phản ánh, kiến nghị và nhiệm vụ của Văn phòng HĐND và UBND phường "
                           "quá hạn, sắp đến hạn")
REMINDER_UNASSIGNED_SUBJECT = "Phản ánh, kiến nghị chưa xác định đơn vị xử lý"
DOC_SYMBOL_OFFICE_REPORT = "/BC-VP"
REMINDER_TO_LEADERSHIP = "Kính gửi: Chủ tịch Ủy ban nhân dân {ward}"
REMINDER_INTRO_OFFICE = (
    "Thực hiện chỉ đạo của Chủ tịch Ủy ban nhân dân phường về việc trả lời, xử lý phản ánh, "
    "kiến nghị của người dân trên Hệ thống 1022, ứng dụng Smart Hải Phòng và thực hiện nhiệm "
    "vụ được giao, Văn phòng HĐND và UBND phường báo cáo: đến hết ngày {as_of}, Văn phòng còn "
    "{parts}, cụ thể như sau:"
)
REMINDER_INTRO_OFFICE_UNASSIGNED = (
    "Văn phòng HĐND và UBND phường báo cáo: đến hết ngày {as_of}, còn {parts} chưa xác định "
    "đơn vị xử lý, cụ thể như sau:"
)
REMINDER_OFFICE_WILL = (
    "Văn phòng HĐND và UBND phường {asks}; cập nhật kết quả trên Hệ thống 1022 và báo cáo "
    "Chủ tịch Ủy ban nhân dân phường."
)
REMINDER_OFFICE_WILL_UNASSIGNED = (
    "Văn phòng HĐND và UBND phường khẩn trương xác định đơn vị có thẩm quyền, chuyển ngay các "
    "phản ánh, kiến nghị trên để trả lời và cập nhật trên Hệ thống 1022; báo cáo Chủ tịch Ủy "
    "ban nhân dân phường."
)
REMINDER_OFFICE_SIGNER = ("CHÁNH VĂN PHÒNG",)
REMINDER_OFFICE_RECIPIENTS = ("- Như trên;", "- Lưu: VT, VP.")
REMINDER_NONE_AT_ALL = "Không có đơn vị nào có phản ánh, kiến nghị quá hạn hoặc sắp đến hạn."

# --- data quality ----------------------------------------------------------------------

SEVERITIES: dict[str, str] = {
    "error": "Lỗi (dòng bị loại, không được tính)",
    "warning": "Cảnh báo (dòng vẫn được tính, cần kiểm tra)",
    "info": "Thông tin",
}
SEVERITY_SHORT: dict[str, str] = exports.SEVERITY_WORDS
ISSUE_COLUMNS: dict[str, str] = {
    "sheet": exports.header(exports.ISSUE_COLUMNS, "sheet_title"),
    **exports.headers(exports.ISSUE_COLUMNS, "row", "cell"),
    "column": exports.header(exports.ISSUE_COLUMNS, "header"),
    **exports.headers(exports.ISSUE_COLUMNS, "message", "link")}
ISSUES_SUMMARY = "Tổng số: {total} vấn đề, gồm {parts}."
ISSUES_NONE = "Bảng tính không có lỗi dữ liệu."
ISSUES_SHEET = "Trang {sheet}"
ISSUES_WHOLE_TAB = "cả trang"
OPEN_CELL = "mở"
ROWS_TITLE = "Số dòng đã đọc"
ROWS_COLUMNS: dict[str, str] = {
    "sheet": "Trang tính",
    "total": "Tổng số dòng",
    "valid": "Hợp lệ",
    "rejected": "Bị loại",
}
DATA_QUALITY_INTRO = (
    "Danh sách dưới đây chỉ rõ trang tính, số dòng (như hiển thị trên bảng tính) và cột cần "
    "chỉnh sửa. Dòng có lỗi không được tính vào báo cáo cho đến khi được sửa."
)

# --- monthly report: formal text -------------------------------------------------------

MONTHLY_CASES_PARAGRAPH = (
    "Trong kỳ báo cáo (từ ngày {start} đến ngày {end}), Ủy ban nhân dân phường tiếp nhận "
    "{received} phản ánh, kiến nghị{channels}; đã xử lý, "
    "trả lời {resolved} phản ánh, trong đó đúng hạn {on_time} phản ánh{on_time_rate}, "
    "quá hạn {late} phản ánh; hiện còn {open} phản ánh đang xử lý, trong đó {overdue} phản ánh "
    "đã quá hạn."
)
CASES_NONE_PARAGRAPH = (
    "Trong kỳ báo cáo (từ ngày {start} đến ngày {end}), Ủy ban nhân dân phường chưa tiếp nhận "
    "phản ánh, kiến nghị nào; không có phản ánh đang xử lý."
)
ON_TIME_RATE_PART = " (đạt {rate})"
# How the period's cases came in (metrics cases.intake), after "tiếp nhận 18 phản ánh, kiến
# nghị": the two digital channels named when they are all there is, else every channel
# counted — never "qua Hệ thống 1022 và ứng dụng Smart Hải Phòng" for cases taken in person.
INTAKE_BY: dict[str, str] = {
    "smart_app": "qua ứng dụng Smart Hải Phòng",
    "system_1022": "qua Hệ thống 1022",
    "in_person": "trực tiếp tại trụ sở",
    "other": "qua kênh khác",
    "unknown": "không ghi kênh tiếp nhận",
}
INTAKE_DIGITAL_ONLY = " qua Hệ thống 1022 và ứng dụng Smart Hải Phòng"
INTAKE_COUNTED = " ({parts})"
MONTHLY_RETURNED_SENTENCE = (
    "Có {returned} phản ánh, kiến nghị trả lại do không thuộc thẩm quyền hoặc trùng lặp."
)
MONTHLY_TARGET_SENTENCE = "So với chỉ tiêu {target} trả lời đúng hạn, kết quả {verdict}."
MONTHLY_TARGET_VERDICT = {"met": "đạt chỉ tiêu", "missed": "chưa đạt chỉ tiêu"}
MONTHLY_COMPLIANCE_SENTENCE = (
    "Tính cả các phản ánh chưa trả lời đã quá hạn, tỷ lệ tuân thủ thời hạn đạt {compliance_rate}."
)
MONTHLY_SATISFACTION_SENTENCE = (
    "Trong số {rated} phản ánh được người dân đánh giá, có {satisfied} phản ánh hài lòng{rate}."
)
MONTHLY_SATISFACTION_RATE = " (đạt {rate})"
MONTHLY_SPEED_SENTENCE = "Thời gian xử lý bình quân {days} ngày làm việc mỗi phản ánh."
MONTHLY_COMPARED_SENTENCE = "{compared}: {parts}."
MONTHLY_PREVIOUS_RECEIVED = "số phản ánh tiếp nhận {change}"
MONTHLY_PREVIOUS_RATE = "tỷ lệ xử lý đúng hạn {change}"
MONTHLY_DEPARTMENTS_INTRO = "Kết quả xử lý phản ánh, kiến nghị của các phòng, ban, đơn vị như sau:"
MONTHLY_BEST_SENTENCE = "Đơn vị có tỷ lệ tuân thủ thời hạn cao nhất: {names}."
MONTHLY_WORST_SENTENCE = "Đơn vị có tỷ lệ tuân thủ thời hạn thấp nhất: {names}."
MONTHLY_CAMPAIGN_PARAGRAPH = (
    "Trong kỳ, các đơn vị đăng tải {total} tin, bài tuyên truyền về cài đặt, sử dụng ứng dụng "
    "Smart Hải Phòng và Tổng đài 1022, gồm: {parts}."
)
MONTHLY_CAMPAIGN_NONE = "Trong kỳ chưa có tin, bài tuyên truyền nào được đăng tải."
MONTHLY_CAMPAIGN_TARGETS = "Lũy kế tháng {month} so với chỉ tiêu: {parts}."
MONTHLY_CAMPAIGN_BELOW = "{channel} chưa đạt chỉ tiêu tháng ({done}/{target} tin, bài)"
MONTHLY_TASKS_PARAGRAPH = (
    "Tổng số {total} nhiệm vụ được giao, trong đó: hoàn thành đúng hạn {done_on_time}; "
    "hoàn thành quá hạn {done_late}; đang thực hiện trong hạn {in_progress}; quá hạn chưa "
    "hoàn thành {overdue}; có {blocked} nhiệm vụ vướng mắc, tạm dừng và {due_soon} nhiệm vụ "
    "sắp đến hạn."
)
MONTHLY_TASKS_NONE = "Trong kỳ chưa có nhiệm vụ nào được giao."
MONTHLY_SMART_CITY_INTRO = "Các nhiệm vụ xây dựng đô thị thông minh, chuyển đổi số cần lưu ý:"
MONTHLY_SHORTCOMINGS_INTRO = (
    "Còn tình trạng phản ánh, kiến nghị chưa được trả lời hoặc trả lời không đúng thời hạn, "
    "cụ thể:"
)
MONTHLY_SHORTCOMINGS_NONE = (
    "Trong kỳ, các phòng, ban, đơn vị trả lời phản ánh, kiến nghị bảo đảm thời hạn; không có "
    "phản ánh quá hạn chưa trả lời."
)
MONTHLY_SHORTCOMING_LINE = "{name}: {parts}{longest}."
MONTHLY_LONGEST = " (quá hạn lâu nhất {days} ngày làm việc)"
MONTHLY_ANNEX_NOTE = "Danh sách chi tiết các phản ánh, kiến nghị trên tại Phụ lục kèm theo ({annex})."
MONTHLY_SHORTCOMING_TASKS = "Còn {count} nhiệm vụ quá hạn chưa hoàn thành và {blocked} nhiệm vụ vướng mắc, tạm dừng."
MONTHLY_SHORTCOMING_CAMPAIGN = "Công tác tuyên truyền: {parts}."
NEXT_STEP_CASES = (
    "Các phòng, ban, đơn vị khẩn trương trả lời, xử lý{overdue}{due_soon}; phấn đấu đạt chỉ tiêu "
    "{target} phản ánh, kiến nghị được trả lời đúng hạn."
)
NEXT_STEP_OVERDUE = " dứt điểm {count} phản ánh, kiến nghị đã quá hạn"
NEXT_STEP_DUE_SOON = "; bảo đảm trả lời đúng thời hạn {count} phản ánh sắp đến hạn"
MONTHLY_CLOSING = (
    "Trên đây là báo cáo kết quả tiếp nhận, xử lý phản ánh, kiến nghị của người dân tháng "
    "{month} của Ủy ban nhân dân {ward}./."
)
RECIPIENTS_TITLE = "Nơi nhận:"
RECIPIENTS = (
    "- UBND thành phố (để b/c);",
    "- TT Đảng ủy, HĐND phường;",
    "- CT, các PCT UBND phường;",
    "- Các phòng, ban, đơn vị thuộc phường;",
    "- Lưu: VT, VP.",
)
SIGNATURE_ROLE = ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
SIGNATURE_NAME_PLACEHOLDER = "(Ký, ghi rõ họ tên)"

# --- weekly sentences ------------------------------------------------------------------

WEEKLY_TARGET_SENTENCE = (
    "Tỷ lệ xử lý đúng hạn {rate} so với chỉ tiêu {target}: {verdict}."
)


# --- e-mail (wardbrief.publish.mail) -------------------------------------------------------
# Subjects and plain-text bodies; {ward} is "Phường Đông Hải", {period} "21/11/2026 - 27/11/2026".

MAIL_SUBJECTS: dict[str, str] = {
    "briefing": "[{ward}] {title} - kỳ {period}",
    "department_reminders": "[{ward}] Phiếu đôn đốc xử lý phản ánh, kiến nghị - {department}",
    "office_report": "[{ward}] Báo cáo phản ánh, kiến nghị, nhiệm vụ quá hạn, sắp đến hạn - {department}",
    "data_quality": "[{ward}] Danh sách lỗi dữ liệu cần chỉnh sửa - ngày {as_of}",
    "notice": "[{ward}] wardbrief: cần kiểm tra - ngày {as_of}",
}
MAIL_REPLACEMENT_PREFIX = "[Thay thế] "
# A message made from the synthetic sample: its subject and its first line say so.
MAIL_DEMO_PREFIX = "[" + DEMO_MARK + "] "
MAIL_DEMO_LINE = (DEMO_MARK + ": thư và tệp đính kèm lập từ bảng tính mẫu tổng hợp, "
                  "không phải số liệu thật của phường.")
MAIL_REPLACEMENT_LINE = (
    "Thư này thay thế thư đã gửi lúc {sent_at}: báo cáo đã thay đổi sau khi gửi "
    "(mã kiểm tra cũ {old}, mới {new}). Đề nghị dùng bản đính kèm thư này."
)
# what changed since the replaced message (wardbrief.publish.sent_log.changes)
MAIL_CHANGED_FIGURES = "Số liệu thay đổi: {changes}."
MAIL_CHANGED_INPUTS = "Số liệu tổng hợp không đổi; thay đổi ở: {inputs}."
MAIL_CHANGED_INPUT_NAMES: dict[str, str] = {
    "rows": "dữ liệu các dòng của kỳ báo cáo",
    "issues": "danh sách lỗi dữ liệu",
    "settings": "cấu hình (CauHinh, DonVi, NgayNghi, ChiTieu)",
    "document": "mẫu báo cáo",
}
MAIL_TASK_FIGURE = "Nhiệm vụ {bucket}"
MAIL_CHANGE_FIGURES: dict[str, str] = {
    "satisfaction": "Tỷ lệ hài lòng",
    "communications": "Tin bài tuyên truyền",
    "issues.error": "Lỗi dữ liệu",
    "issues.warning": "Cảnh báo dữ liệu",
}
MAIL_GREETING_LEADERSHIP = "Kính gửi: Lãnh đạo Ủy ban nhân dân {ward},"
MAIL_GREETING_OFFICE = "Kính gửi: Văn phòng HĐND và UBND {ward},"
MAIL_BRIEFING_INTRO = "Văn phòng gửi {title}, kỳ báo cáo từ ngày {start} đến ngày {end}:"
MAIL_DATA_FROM = ("- Bảng tính có dữ liệu từ ngày {date}: số liệu của kỳ tính từ ngày đó.")
MAIL_RECEIVED = "- Tiếp nhận {count} phản ánh, kiến nghị."
MAIL_VERDICT = "- {verdict}"  # Briefing.verdict(): the on-time rate alone never passes a week with overdue cases
MAIL_ON_TIME = "- Tỷ lệ xử lý đúng hạn: {rate} (chỉ tiêu {target})."
MAIL_ON_TIME_NONE = "- Tỷ lệ xử lý đúng hạn: chưa có phản ánh nào được trả lời trong kỳ."
MAIL_COMPLIANCE = "- Tỷ lệ tuân thủ thời hạn (tính cả phản ánh chưa trả lời đã quá hạn): {rate}."
MAIL_OVERDUE = "- {count} phản ánh chưa trả lời đã quá hạn: {departments}."
MAIL_OVERDUE_NONE = "- Không có phản ánh chưa trả lời đã quá hạn."
MAIL_BRIEFING_ATTACHED = "Báo cáo đầy đủ trong tệp PDF đính kèm."
MAIL_REMINDER_ATTACHED = "Văn phòng gửi phiếu đôn đốc (đính kèm, tệp PDF và Word):"
MAIL_OFFICE_REPORT_ATTACHED = "Văn phòng báo cáo (đính kèm, tệp PDF và Word):"
MAIL_DATA_QUALITY_BODY = (
    "Bảng tính có {errors} lỗi (dòng bị loại, không được tính) và {warnings} cảnh báo. "
    "Danh sách chi tiết, với liên kết tới từng ô khi dùng Google Sheets, trong tệp đính "
    "kèm và ở tab \"Lỗi dữ liệu\" của bảng tính."
)
MAIL_DATA_QUALITY_NONE = (
    "Bảng tính không có lỗi hay cảnh báo nào; danh sách (trống) trong tệp đính kèm."
)
MAIL_NOTICE_INTRO = "wardbrief cần được kiểm tra (ngày báo cáo {as_of}):"
MAIL_NOTICE_FAILED = "- {report}: không lập được, {reason}. Bản báo cáo trước được giữ nguyên."
MAIL_NOTICE_SOURCE = "- Không đọc được bảng tính: {reason}. Không báo cáo nào được lập."
MAIL_NOTICE_STALE = (
    "- Không kết nối được bảng tính trực tuyến; báo cáo lập từ bản sao lưu lúc {taken_at}, "
    "số liệu có thể chưa cập nhật."
)
MAIL_NOTICE_UNDELIVERED = "- Chưa gửi được {what} tới {recipient}: {reason}."
MAIL_NOTICE_NO_ADDRESS = "- {name} chưa có địa chỉ thư điện tử (cột Email, trang DonVi): phiếu đôn đốc chưa gửi."
MAIL_NOTICE_INTERRUPTED = (
    "- Không rõ {what} đã tới {recipient} hay chưa (lần gửi trước bị ngắt giữa chừng); "
    "wardbrief không gửi lại để tránh gửi trùng: đề nghị hỏi lại người nhận."
)
MAIL_NOTICE_NO_PDF = "- {report}: không có tệp PDF (report.pdf) để gửi; đề nghị lập lại báo cáo."
MAIL_NOTICE_MISSING = "- {report} ngày {as_of} chưa được lập: không có gì để gửi."
MAIL_FOOTER = (
    "--\nThư gửi tự động bởi wardbrief từ số liệu bảng tính theo dõi phản ánh, kiến nghị "
    "(mã kiểm tra {fingerprint}). Không trả lời thư này; liên hệ Văn phòng {ward}."
)

# --- the `Theo dõi` and `Lỗi dữ liệu` tabs (sheet publish, theo-doi.xlsx; columns in
# figures.exports) ------------------------------------------------------------------------

TRACKING_TITLE = "THEO DÕI THỜI HẠN XỬ LÝ - tính đến hết ngày {as_of}"
TRACKING_CASES_HEADING = "Phản ánh, kiến nghị chưa trả lời (khẩn nhất trước)"
TRACKING_TASKS_HEADING = "Nhiệm vụ chưa hoàn thành"
TRACKING_CASES_EMPTY = "Không có phản ánh, kiến nghị chưa trả lời."
TRACKING_TASKS_EMPTY = "Không có nhiệm vụ chưa hoàn thành."
TRACKING_STATES: dict[str, str] = exports.STATE_WORDS
ISSUES_TAB_TITLE = "LỖI DỮ LIỆU CẦN CHỈNH SỬA - cập nhật lúc {when}"
WRITTEN_TAB_NOTE = "Tab này do wardbrief ghi đè mỗi lần cập nhật: không nhập liệu vào đây."

# --- the reporting cycle: period reports and the Word files for signing ------------------

# fmt.period_vn: the period as it reads after "Báo cáo …"
PERIOD_NAMES: dict[str, str] = {
    "month": "tháng {month}/{year}",
    "quarter": "quý {quarter} năm {year}",
    "half_year_1": "6 tháng đầu năm {year}",
    "half_year_2": "6 tháng cuối năm {year}",
    "year": "năm {year}",
    "dates": "từ ngày {start} đến ngày {end}",
}
COMPARISON_TITLE = "Bảng 1. So sánh với kỳ trước, cùng kỳ năm trước và lũy kế từ đầu năm"
COMPARISON_COLUMNS: dict[str, str] = {
    "figure": "Chỉ số",
    "current": "Kỳ báo cáo",
    "previous_period": "Kỳ trước",
    "same_period_last_year": "Cùng kỳ năm trước",
    "year_to_date": "Lũy kế từ đầu năm",
}
COMPARISON_FIGURES = ("received", "resolved", "resolved_on_time", "resolved_late", "open_overdue",
                      "on_time_rate", "compliance_rate")
COMPARISON_PERIODS_NOTE = (
    "Kỳ trước: {previous}; cùng kỳ năm trước: {last_year}; lũy kế từ đầu năm: {ytd}. "
    "Số liệu chốt theo Điều 12 Nghị định số 09/2019/NĐ-CP."
)
SAME_PERIOD_SENTENCE = (
    "So với cùng kỳ năm trước, số phản ánh tiếp nhận {received_change}; tỷ lệ xử lý đúng hạn "
    "{rate_change}."
)
YEAR_TO_DATE_SENTENCE = (
    "Lũy kế từ đầu năm (từ ngày {start} đến ngày {end}), tiếp nhận {received} phản ánh, kiến "
    "nghị; đã trả lời {resolved} phản ánh, trong đó đúng hạn {on_time} phản ánh (đạt "
    "{on_time_rate})."
)
PERIOD_CLOSING = (
    "Trên đây là báo cáo kết quả tiếp nhận, xử lý phản ánh, kiến nghị của người dân {period} "
    "của Ủy ban nhân dân {ward}./."
)
ANNEX_TITLE = "Phụ lục"
ANNEX_SUBJECT = "DANH SÁCH PHẢN ÁNH, KIẾN NGHỊ CHƯA TRẢ LỜI HOẶC TRẢ LỜI KHÔNG ĐÚNG THỜI HẠN"
ANNEX_ATTACHED = "(Kèm theo Báo cáo số        {symbol} ngày      tháng      năm {year} của Ủy ban nhân dân {ward})"
ANNEX_OPEN = "A. Chưa trả lời, đã quá hạn (tính đến hết ngày {as_of})"
ANNEX_LATE = "B. Đã trả lời nhưng không đúng thời hạn"
ANNEX_NONE = "Không có."
NO_FIGURES = "không có số liệu"
DEPARTMENTS_TABLE_TITLE = "Bảng {n}. Kết quả xử lý phản ánh, kiến nghị theo đơn vị"
ANNEX_IN_DOCUMENT = "Danh sách chi tiết các phản ánh, kiến nghị trên tại Phụ lục kèm theo báo cáo này."
ANNEX_COLUMNS: dict[str, str] = {
    "number": "STT",
    "case_id": "Mã phản ánh",
    "department_name": "Đơn vị xử lý",
    "received": "Ngày tiếp nhận",
    "due": "Hạn xử lý",
    "responded": "Ngày trả lời",
    "working_days_late": "Số ngày làm việc quá hạn",
}
TASKS_TABLE_COLUMNS: dict[str, str] = {
    "task_id": "Mã",
    "content": "Nội dung nhiệm vụ",
    "lead": "Đơn vị chủ trì",
    "due": "Hạn hoàn thành",
    "state": "Tình trạng",
}
# The signer: the Chairman signs for the committee (TM.); a Vice-Chairman for the Chairman
# (KT.) — Nghị định 30/2020/NĐ-CP, Phụ lục I.
SIGN_FOR_COMMITTEE = "TM. ỦY BAN NHÂN DÂN"
SIGN_FOR_CHAIRMAN = "KT. CHỦ TỊCH"
CHAIRMAN = "CHỦ TỊCH"


# --- as the Word documents (publish.docx) and the formal reports (briefings.formal) word them
MONTHLY_PREVIOUS_SENTENCE = 'So với kỳ trước, số phản ánh tiếp nhận {received_change}; tỷ lệ xử lý đúng hạn {rate_change}.'
MONTHLY_NEXT_STEPS = ('Các phòng, ban, đơn vị khẩn trương trả lời, xử lý dứt điểm {overdue} phản ánh, kiến nghị đã quá hạn; bảo đảm trả lời đúng thời hạn {due_soon} phản ánh sắp đến hạn; phấn đấu đạt chỉ tiêu {target} phản ánh, kiến nghị được trả lời đúng hạn.', 'Văn phòng HĐND và UBND phường tiếp tục vận hành, khai thác Hệ thống 1022, kịp thời đôn đốc các phòng, ban, đơn vị; tham mưu Chủ tịch Ủy ban nhân dân phường xử lý trách nhiệm đối với trường hợp không trả lời, trả lời không đúng thời hạn.', 'Trung tâm Dịch vụ sự nghiệp công, Văn phòng HĐND và UBND phường tăng cường tin, bài tuyên truyền về cài đặt, sử dụng ứng dụng Smart Hải Phòng và Tổng đài 1022 trên Đài truyền thanh, Cổng thông tin điện tử và các trang mạng xã hội của phường.', 'Các phòng, ban, đơn vị chủ động phối hợp với các Sở, ban, ngành thành phố triển khai nhiệm vụ xây dựng đô thị thông minh, ứng dụng khoa học, công nghệ và đổi mới sáng tạo theo chức năng, nhiệm vụ; hoàn thành các nhiệm vụ quá hạn, tháo gỡ vướng mắc.')
