"""Contract section 2: the tabs, their headers and the aliases accepted for each.

One place names every column: the contract reader matches headers against these,
and messages to staff name the canonical (first) header.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from wardbrief.read.names import key, tab_key

# The dates the suite accepts, whatever the cell type (read.dates; the CLI's date
# arguments, parsed before pandas is loaded).
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)


@dataclass(frozen=True)
class Column:
    field: str
    headers: tuple[str, ...]  # canonical Vietnamese header first, then accepted aliases

    @property
    def label(self) -> str:
        return self.headers[0]


@dataclass(frozen=True)
class Tab:
    name: str  # the contract's tab name, used in DataIssue.sheet
    required: bool
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()
    # Columns the tab cannot be read without (CONTRACT section 2): without one, one error
    # at the header row and every row rejected.
    required_fields: tuple[str, ...] = ()
    # Columns without which the tab is read, but its figures would be wrong: an error at
    # the header row too.
    vital_fields: tuple[str, ...] = ()
    # Words of a tab title that come near this tab's (keys, spaces removed): a tab titled
    # `Nhiệm vụ 2026` or `Tin bai` when the workbook has no NhiemVu / TruyenThong.
    near_words: tuple[str, ...] = ()

    def column(self, field: str) -> Column:
        return next(c for c in self.columns if c.field == field)

    def header_keys(self) -> dict[str, str]:
        """key(header) -> field, for every accepted header."""
        out: dict[str, str] = {}
        for col in self.columns:
            for header in col.headers:
                out.setdefault(key(header), col.field)
        return out

    def title_keys(self) -> set[str]:
        return {tab_key(t) for t in (self.name, *self.aliases)}


def _c(field: str, *headers: str) -> Column:
    return Column(field, headers)


DONVI = Tab("DonVi", True, (
    _c("code", "Mã đơn vị", "Ma don vi", "Code"),
    _c("name", "Tên đơn vị", "Ten don vi", "Name"),
    _c("head", "Thủ trưởng", "Thu truong", "Head"),
    _c("aliases", "Tên gọi khác", "Ten goi khac", "Aliases"),
    _c("email", "Email", "E-mail", "Thư điện tử", "Thu dien tu"),  # optional; several, `;`
), aliases=("Đơn vị",), near_words=("donvi", "phongban"))

LINHVUC = Tab("LinhVuc", False, (
    _c("name", "Lĩnh vực", "Category"),
    _c("limit", "Thời hạn (ngày làm việc)", "Thời hạn", "Time limit"),
), near_words=("linhvuc",))

CAUHINH = Tab("CauHinh", False, (
    _c("param", "Tham số", "Parameter"),
    _c("value", "Giá trị", "Value"),
), aliases=("Cấu hình",), near_words=("cauhinh", "thamso"))

NGAYNGHI = Tab("NgayNghi", False, (
    _c("date", "Ngày", "Date"),
    _c("kind", "Loại", "Type"),
    _c("note", "Ghi chú", "Note"),
), aliases=("Ngày nghỉ",), near_words=("ngaynghi", "lichnghi"))

PHANANH = Tab("PhanAnh", True, (
    _c("case_id", "Mã phản ánh", "Ma PA", "Case ID"),
    _c("received", "Ngày tiếp nhận", "Ngay tiep nhan", "Received"),
    _c("channel", "Kênh", "Kenh", "Channel"),
    _c("category", "Lĩnh vực", "Linh vuc", "Category"),
    _c("summary", "Nội dung", "Noi dung", "Summary"),
    _c("reporter", "Người phản ánh", "Nguoi phan anh", "Reporter"),
    _c("phone", "Số điện thoại", "So dien thoai", "Phone"),
    _c("area", "Địa bàn", "Dia ban", "Area"),
    _c("department", "Đơn vị xử lý", "Don vi xu ly", "Department"),
    _c("assigned", "Ngày giao", "Ngay giao", "Assigned"),
    _c("due_explicit", "Hạn xử lý", "Han xu ly", "Due"),
    _c("extended_to", "Gia hạn đến", "Gia han den", "Extended to"),
    _c("responded", "Ngày trả lời", "Ngay tra loi", "Responded"),
    _c("status", "Trạng thái", "Trang thai", "Status"),
    _c("rating", "Đánh giá", "Danh gia", "Rating"),
), required_fields=("case_id", "received"), vital_fields=("responded", "department"),
   near_words=("phananh", "kiennghi", "1022"))

NHIEMVU = Tab("NhiemVu", False, (
    _c("task_id", "Mã nhiệm vụ", "Task ID"),
    _c("content", "Nội dung", "Content"),
    _c("group", "Nhóm", "Group"),
    _c("basis", "Căn cứ", "Basis"),
    _c("lead", "Đơn vị chủ trì", "Lead"),
    _c("support", "Đơn vị phối hợp", "Support"),
    _c("assigned", "Ngày giao", "Assigned"),
    _c("due", "Hạn hoàn thành", "Due"),
    _c("progress", "Tiến độ (%)", "Tiến độ", "Progress"),
    _c("completed", "Ngày hoàn thành", "Completed"),
    _c("status", "Trạng thái", "Status"),
), required_fields=("task_id", "content"), near_words=("nhiemvu", "congviec", "kehoach"))

TRUYENTHONG = Tab("TruyenThong", False, (
    _c("date", "Ngày đăng", "Date"),
    _c("channel", "Kênh", "Channel"),
    _c("department", "Đơn vị thực hiện", "Department"),
    _c("title", "Tiêu đề", "Title"),
    _c("link", "Đường dẫn", "Link", "URL"),
), required_fields=("date",), near_words=("truyenthong", "tinbai", "baiviet", "baidang"))

CHITIEU = Tab("ChiTieu", False, (
    _c("channel", "Kênh", "Channel"),
    _c("target", "Số tin bài/tháng", "Target"),
), aliases=("Chỉ tiêu",), near_words=("chitieu",))

TABS: tuple[Tab, ...] = (DONVI, LINHVUC, CAUHINH, NGAYNGHI, PHANANH, NHIEMVU, TRUYENTHONG, CHITIEU)
COUNTED_TABS = ("PhanAnh", "NhiemVu", "TruyenThong")  # rows.<tab> in metrics.json
# The tabs the suite writes (`wardbrief sheet publish`, theo-doi.xlsx): not inputs, so
# never read as the workbook's tabs.
SUMMARY_TAB = "Tổng hợp"
TRACKING_TAB = "Theo dõi"  # open cases and tasks with their due dates
ISSUES_TAB = "Lỗi dữ liệu"  # the data issues with a link to each cell
WRITTEN_TABS = (SUMMARY_TAB, TRACKING_TAB, ISSUES_TAB)

@dataclass(frozen=True)
class Setting:
    """One `CauHinh` parameter: read by read.contract, written by `sheet init`, documented
    in docs/WORKBOOK.md (a test checks all three use this table)."""

    name: str  # attribute of read.reference_tabs.Settings
    label: str  # `Tham số` as the sheet shows it (matched by key)
    default: str | int | float
    rule: str  # how `Giá trị` is read: text | positive_int | whole_number | percent | cutoff_day
    issue: str  # read.messages template when the value cannot be read
    severity: str  # of that issue
    help_vi: str
    help_en: str


SETTINGS: tuple[Setting, ...] = (
    Setting("ward_name", "Tên phường", "Phường Đông Hải", "text", "", "",
            "tên phường in trên báo cáo", "ward name shown on reports"),
    Setting("default_limit", "Thời hạn mặc định", 10, "positive_int",
            "default_limit_invalid", "warning",
            "thời hạn (ngày làm việc) của phản ánh mà lĩnh vực không có thời hạn riêng",
            "time limit in working days for a case whose category has none"),
    Setting("due_soon_days", "Sắp đến hạn", 2, "whole_number", "due_soon_invalid", "warning",
            "'sắp đến hạn': còn không quá số ngày làm việc này",
            "'due soon': at most this many working days left"),
    Setting("on_time_target", "Chỉ tiêu đúng hạn", 95, "percent", "target_percent_invalid",
            "info", "chỉ tiêu tỷ lệ xử lý đúng hạn, phần trăm (95 hoặc 95%)",
            "on-time target, percent (95 or 95%)"),
    Setting("cutoff_day", "Ngày chốt số liệu", 14, "cutoff_day", "cutoff_invalid", "info",
            "ngày chốt số liệu của kỳ báo cáo (Điều 12 Nghị định 09/2019/NĐ-CP): kỳ tháng từ ngày "
            "15 tháng trước đến ngày 14; ghi 0 hoặc 'cuối tháng' để dùng tháng dương lịch",
            "cut-off day of the report periods (Decree 09/2019 Art. 12): a month runs from the "
            "15th of the month before to the 14th; 0 or 'cuối tháng' for calendar months"),
    Setting("signer_name", "Người ký", "", "text", "", "",
            "họ tên người ký báo cáo (để trống: chừa chỗ ghi tên)",
            "name of the person who signs the reports (blank: a line is left for it)"),
    Setting("signer_title", "Chức vụ người ký", "CHỦ TỊCH", "text", "", "",
            "chức vụ người ký: CHỦ TỊCH (ký TM. ỦY BAN NHÂN DÂN) hoặc PHÓ CHỦ TỊCH (ký KT. CHỦ TỊCH)",
            "the signer's title: CHỦ TỊCH (signs TM. ỦY BAN NHÂN DÂN) or PHÓ CHỦ TỊCH (KT. CHỦ TỊCH)"),
    Setting("doc_symbol", "Ký hiệu", "/BC-UBND", "text", "", "",
            "ký hiệu văn bản sau số báo cáo, ví dụ /BC-UBND",
            "the document symbol after the report's number, e.g. /BC-UBND"),
    # Written by the synthetic workbook generator (demo): every output made
    # from a workbook that has it carries the mark DỮ LIỆU MẪU, whatever the file is called.
    Setting("demo", "Dữ liệu mẫu", "Không", "flag", "", "",
            "'Có': bảng tính mẫu tổng hợp, mọi báo cáo mang dấu DỮ LIỆU MẪU; bỏ dòng này "
            "(hoặc ghi 'Không') ở bảng tính có số liệu thật",
            "'Có' (yes): a synthetic sample, every output is marked DỮ LIỆU MẪU; delete the "
            "row (or write 'Không') in a workbook of real figures"),
)
SETTING_KEYS: dict[str, Setting] = {key(s.label): s for s in SETTINGS}
DEMO_PARAMETER = "Dữ liệu mẫu"  # the CauHinh row the synthetic workbook generator writes
# `Dữ liệu mẫu` values that say the workbook is *not* the sample (any other value: it is)
NOT_DEMO = frozenset({"", "khong", "no", "false", "0"})


def setting_default(name: str) -> str | int | float:
    """The default of the setting named `name` (e.g. "on_time_target" -> 95)."""
    return next(s.default for s in SETTINGS if s.name == name)


# Status words (compared by key).
RETURNED_SUBSTRINGS = ("tra lai", "tu choi", "khong thuoc tham quyen", "trung lap", "da huy", "huy bo")
RETURNED_EXACT = ("huy",)
ANSWERED_STATUSES = frozenset({
    "da tra loi", "da xu ly", "hoan thanh", "da hoan thanh", "da giai quyet", "xong",
    "da xong", "da phan hoi",
})
OPEN_STATUSES = frozenset({
    "dang xu ly", "cho xu ly", "chua xu ly", "da giao", "moi", "moi tiep nhan", "da tiep nhan",
    "tiep nhan", "dang giai quyet", "chua tra loi", "gia han", "da gia han", "qua han",
    "dang xac minh", "da chuyen", "cho phan cong",
})
BLOCKED_SUBSTRINGS = ("vuong mac", "tam dung")
RATING_SATISFIED = key("Hài lòng")
RATING_NOT_SATISFIED = key("Chưa hài lòng")

# NgayNghi Loại
DAY_OFF = key("Nghỉ")
MAKE_UP_DAY = key("Làm bù")

# Campaign channels: normalized name -> key substrings, checked in this order.
CHANNEL_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("radio", ("truyen thanh", "loa", "radio")),
    ("portal", ("cong thong tin", "cong ttdt", "website", "portal")),
    ("social", ("facebook", "zalo", "mang xa hoi", "fanpage", "youtube", "tiktok")),
)
CHANNELS = ("radio", "portal", "social", "other")

# Intake channel of a case (PhanAnh `Kênh`): name -> key substrings, the first rule that
# matches wins; any other non-blank `Kênh` is "other", a blank one "unknown".
INTAKE_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("smart_app", ("smart", "ung dung")),
    ("system_1022", ("1022", "tong dai", "hotline", "duong day nong")),
    ("in_person", ("truc tiep", "tiep dan", "mot cua", "tai tru so")),
)
INTAKE_CHANNELS = ("smart_app", "system_1022", "in_person", "other", "unknown")
UNASSIGNED = "_unassigned"
