"""Every Vietnamese word a reader of the briefings sees, in one place.

A ward that words things differently changes them here; the code (briefing.py,
charts.py, the notebooks) only ever refers to them by their English key. Terms
follow GLOSSARY.md.
"""

from __future__ import annotations

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
CHANGE = "So với kỳ trước"
TARGET = "Chỉ tiêu"
TARGET_MET = "Đạt"
TARGET_MISSED = "Chưa đạt"
INCREASE = "tăng"
DECREASE = "giảm"
UNCHANGED = "không đổi"
PERCENT_POINTS = "điểm %"
NOT_AVAILABLE = "—"
FIGURE = "Chỉ số"

# --- periods and header lines --------------------------------------------------------

PERIOD_LINE = "Kỳ báo cáo: từ ngày {start} đến ngày {end}"
PREVIOUS_PERIOD_LINE = "Kỳ trước: từ ngày {start} đến ngày {end}"
AS_OF_LINE = "Số liệu tính đến hết ngày {as_of}"
SOURCE_LINE = "Nguồn: bảng tính theo dõi phản ánh, kiến nghị (mã kiểm tra {fingerprint})"
STALE_WARNING = (
    "Lưu ý: không kết nối được bảng tính trực tuyến; báo cáo dùng bản sao lưu lúc {taken_at}, "
    "số liệu có thể chưa cập nhật."
)
# Every output made from the synthetic sample workbook (metrics source.demo) carries it.
DEMO_MARK = "DỮ LIỆU MẪU"
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

# --- sections --------------------------------------------------------------------------

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
ACCOUNTABILITY_DEPARTMENT_LINE = "{name}{head}: {parts}."
ACCOUNTABILITY_UNANSWERED = "{count} phản ánh chưa trả lời đã quá hạn"
ACCOUNTABILITY_LATE = "{count} phản ánh trả lời không đúng thời hạn"
HEAD_NOTE = " (Thủ trưởng: {head})"

DEPARTMENT_COLUMNS: dict[str, str] = {
    exports.RANK_COLUMN.key: exports.RANK_COLUMN.header,
    **exports.headers(exports.DEPARTMENT_COLUMNS, "name", "received", "resolved",
                      "resolved_on_time", "resolved_late", "open", "open_overdue",
                      "on_time_rate", "compliance_rate"),
}
NOT_RANKED = "Không xếp hạng"
RANKING_NOTE = (
    "Xếp hạng theo tỷ lệ tuân thủ thời hạn (số phản ánh đúng hạn trên tổng số đã trả lời "
    "và chưa trả lời đã quá hạn); đơn vị có dưới {minimum} phản ánh thuộc diện tính tỷ lệ "
    "được liệt kê nhưng không xếp hạng."
)
TOTAL = "Tổng cộng"

# --- tasks -----------------------------------------------------------------------------

TASK_BUCKETS: dict[str, str] = {
    "done_on_time": "Hoàn thành đúng hạn",
    "done_late": "Hoàn thành quá hạn",
    "in_progress": "Đang thực hiện trong hạn",
    "overdue": "Quá hạn chưa hoàn thành",
    "blocked": "Vướng mắc, tạm dừng",
    "due_soon": "Sắp đến hạn",
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
CHART_WEEK_AXIS = "Tuần (ngày bắt đầu)"
CHART_COUNT_AXIS = "Số phản ánh"

# --- reminders -------------------------------------------------------------------------

REMINDER_TO = "Kính gửi: Thủ trưởng đơn vị {name}{head}"
REMINDER_HEAD = " (đồng chí {head})"
REMINDER_INTRO = (
    "Thực hiện chỉ đạo của Chủ tịch Ủy ban nhân dân phường về việc trả lời, xử lý phản ánh, "
    "kiến nghị của người dân trên Hệ thống 1022 và ứng dụng Smart Hải Phòng, đến hết ngày "
    "{as_of}, đơn vị còn {parts}, cụ thể như sau:"
)
REMINDER_INTRO_OVERDUE = "{count} phản ánh, kiến nghị chưa trả lời đã quá hạn"
REMINDER_INTRO_DUE_SOON = "{count} phản ánh, kiến nghị sắp đến hạn xử lý"
REMINDER_OVERDUE_TITLE = "1. Phản ánh, kiến nghị chưa trả lời, đã quá hạn"
REMINDER_DUE_SOON_TITLE = "2. Phản ánh, kiến nghị sắp đến hạn"
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
REMINDER_ASK = (
    "Đề nghị đồng chí Thủ trưởng đơn vị chỉ đạo khẩn trương trả lời, xử lý dứt điểm các phản "
    "ánh, kiến nghị đã quá hạn; bảo đảm trả lời đúng thời hạn các phản ánh, kiến nghị sắp đến "
    "hạn; cập nhật kết quả trên Hệ thống 1022 và báo cáo về Văn phòng HĐND và UBND phường. "
    "Thủ trưởng đơn vị chịu trách nhiệm trước Chủ tịch Ủy ban nhân dân phường đối với trường "
    "hợp không trả lời, trả lời không đúng thời hạn các phản ánh, kiến nghị thuộc thẩm quyền "
    "giải quyết của đơn vị mình."
)
REMINDER_SIGNER = ("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG")
REMINDER_RECIPIENTS = ("- Như trên;", "- Chủ tịch UBND phường (để b/c);", "- Lưu: VT, VP.")
REMINDER_NONE_AT_ALL = "Không có đơn vị nào có phản ánh, kiến nghị quá hạn hoặc sắp đến hạn."

# --- data quality ----------------------------------------------------------------------

SEVERITIES: dict[str, str] = {
    "error": "Lỗi (dòng bị loại, không được tính)",
    "warning": "Cảnh báo (dòng vẫn được tính, cần kiểm tra)",
    "info": "Thông tin",
}
SEVERITY_SHORT: dict[str, str] = {"error": "lỗi", "warning": "cảnh báo", "info": "thông tin"}
ISSUE_COLUMNS: dict[str, str] = exports.headers(
    exports.ISSUE_COLUMNS, "sheet", "row", "cell", "column", "message", "link")
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
    "{received} phản ánh, kiến nghị qua Hệ thống 1022 và ứng dụng Smart Hải Phòng; đã xử lý, "
    "trả lời {resolved} phản ánh, trong đó đúng hạn {on_time} phản ánh (đạt {on_time_rate}), "
    "quá hạn {late} phản ánh; hiện còn {open} phản ánh đang xử lý, trong đó {overdue} phản ánh "
    "đã quá hạn."
)
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
MONTHLY_PREVIOUS_SENTENCE = (
    "So với kỳ trước, số phản ánh tiếp nhận {received_change}; tỷ lệ xử lý đúng hạn "
    "{rate_change}."
)
MONTHLY_DEPARTMENTS_INTRO = "Kết quả xử lý phản ánh, kiến nghị của các phòng, ban, đơn vị như sau:"
MONTHLY_BEST_SENTENCE = "Đơn vị có tỷ lệ tuân thủ thời hạn cao nhất: {names}."
MONTHLY_WORST_SENTENCE = "Đơn vị có tỷ lệ tuân thủ thời hạn thấp nhất: {names}."
MONTHLY_CAMPAIGN_PARAGRAPH = (
    "Trong kỳ, các đơn vị đăng tải {total} tin, bài tuyên truyền về cài đặt, sử dụng ứng dụng "
    "Smart Hải Phòng và Tổng đài 1022, gồm: {parts}."
)
MONTHLY_CAMPAIGN_TARGETS = "Lũy kế tháng {month} so với chỉ tiêu: {parts}."
MONTHLY_CAMPAIGN_BELOW = "{channel} chưa đạt chỉ tiêu tháng ({done}/{target} tin, bài)"
MONTHLY_TASKS_PARAGRAPH = (
    "Tổng số {total} nhiệm vụ được giao, trong đó: hoàn thành đúng hạn {done_on_time}; "
    "hoàn thành quá hạn {done_late}; đang thực hiện trong hạn {in_progress}; quá hạn chưa "
    "hoàn thành {overdue}; có {blocked} nhiệm vụ vướng mắc, tạm dừng và {due_soon} nhiệm vụ "
    "sắp đến hạn."
)
MONTHLY_SMART_CITY_INTRO = "Các nhiệm vụ xây dựng đô thị thông minh, chuyển đổi số cần lưu ý:"
MONTHLY_SHORTCOMINGS_INTRO = (
    "Còn tình trạng phản ánh, kiến nghị chưa được trả lời hoặc trả lời không đúng thời hạn, "
    "cụ thể:"
)
MONTHLY_SHORTCOMINGS_NONE = (
    "Trong kỳ, các phòng, ban, đơn vị trả lời phản ánh, kiến nghị bảo đảm thời hạn; không có "
    "phản ánh quá hạn chưa trả lời."
)
MONTHLY_SHORTCOMING_LINE = "{name}: {parts}."
MONTHLY_CASE_IDS = " ({ids})"
MONTHLY_SHORTCOMING_TASKS = "Còn {count} nhiệm vụ quá hạn chưa hoàn thành và {blocked} nhiệm vụ vướng mắc, tạm dừng."
MONTHLY_SHORTCOMING_CAMPAIGN = "Công tác tuyên truyền: {parts}."
MONTHLY_NEXT_STEPS = (
    ("Các phòng, ban, đơn vị khẩn trương trả lời, xử lý dứt điểm {overdue} phản ánh, kiến nghị "
    "đã quá hạn; bảo đảm trả lời đúng thời hạn {due_soon} phản ánh sắp đến hạn; phấn đấu đạt "
    "chỉ tiêu {target} phản ánh, kiến nghị được trả lời đúng hạn."),
    ("Văn phòng HĐND và UBND phường tiếp tục vận hành, khai thác Hệ thống 1022, kịp thời đôn "
    "đốc các phòng, ban, đơn vị; tham mưu Chủ tịch Ủy ban nhân dân phường xử lý trách nhiệm "
    "đối với trường hợp không trả lời, trả lời không đúng thời hạn."),
    ("Trung tâm Dịch vụ sự nghiệp công, Văn phòng HĐND và UBND phường tăng cường tin, bài "
    "tuyên truyền về cài đặt, sử dụng ứng dụng Smart Hải Phòng và Tổng đài 1022 trên Đài "
    "truyền thanh, Cổng thông tin điện tử và các trang mạng xã hội của phường."),
    ("Các phòng, ban, đơn vị chủ động phối hợp với các Sở, ban, ngành thành phố triển khai "
    "nhiệm vụ xây dựng đô thị thông minh, ứng dụng khoa học, công nghệ và đổi mới sáng tạo "
    "theo chức năng, nhiệm vụ; hoàn thành các nhiệm vụ quá hạn, tháo gỡ vướng mắc."),
)
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
    "data_quality": "[{ward}] Danh sách lỗi dữ liệu cần chỉnh sửa - ngày {as_of}",
    "notice": "[{ward}] wardbrief: cần kiểm tra - ngày {as_of}",
}
MAIL_REPLACEMENT_PREFIX = "[Thay thế] "
MAIL_REPLACEMENT_LINE = (
    "Thư này thay thế thư đã gửi lúc {sent_at}: bảng tính đã được sửa sau khi gửi "
    "(mã kiểm tra cũ {old}, mới {new}). Đề nghị dùng bản đính kèm thư này."
)
MAIL_GREETING_LEADERSHIP = "Kính gửi: Lãnh đạo Ủy ban nhân dân {ward},"
MAIL_GREETING_DEPARTMENT = "Kính gửi: Thủ trưởng {name}{head},"
MAIL_GREETING_OFFICE = "Kính gửi: Văn phòng HĐND và UBND {ward},"
MAIL_BRIEFING_INTRO = "Văn phòng gửi {title}, kỳ báo cáo từ ngày {start} đến ngày {end}:"
MAIL_RECEIVED = "- Tiếp nhận {count} phản ánh, kiến nghị."
MAIL_ON_TIME = "- Tỷ lệ xử lý đúng hạn: {rate} (chỉ tiêu {target}: {verdict})."
MAIL_ON_TIME_NONE = "- Tỷ lệ xử lý đúng hạn: chưa có phản ánh nào được trả lời trong kỳ."
MAIL_COMPLIANCE = "- Tỷ lệ tuân thủ thời hạn (tính cả phản ánh chưa trả lời đã quá hạn): {rate}."
MAIL_OVERDUE = "- {count} phản ánh chưa trả lời đã quá hạn: {departments}."
MAIL_OVERDUE_NONE = "- Không có phản ánh chưa trả lời đã quá hạn."
MAIL_BRIEFING_ATTACHED = "Báo cáo đầy đủ trong tệp PDF đính kèm."
MAIL_REMINDER_BODY = (
    "Văn phòng gửi phiếu đôn đốc (đính kèm): tính đến hết ngày {as_of}, đơn vị có {parts}. "
    "Đề nghị đơn vị xử lý, trả lời người dân đúng thời hạn và cập nhật ngày trả lời "
    "trên bảng tính."
)
MAIL_DATA_QUALITY_BODY = (
    "Bảng tính có {errors} lỗi (dòng bị loại, không được tính) và {warnings} cảnh báo. "
    "Danh sách chi tiết, với liên kết tới từng ô khi dùng Google Sheets, trong tệp đính "
    "kèm và ở tab \"Lỗi dữ liệu\" của bảng tính."
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
TRACKING_STATES: dict[str, str] = {
    "overdue": "quá hạn",
    "due_soon": "sắp đến hạn",
    "on_track": "trong hạn",
    "no_deadline": "không thời hạn",
}
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
