"""The synthetic workbook in memory (`Column`, `Tab`, `DemoWorkbook`), the ward it
describes (departments, categories, channels, names, statuses and their shares) and the
working-day calendar the generator draws dates on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

import numpy as np

from wardbrief.read.schema import DEMO_PARAMETER

DEFAULT_AS_OF = dt.date(2026, 11, 27)
DEFAULT_SEED = 2026
WINDOW_DAYS = 118  # cases are received from as_of - WINDOW_DAYS ...
SNAPSHOT_LAG_DAYS = 7  # ... up to the day the sheet is read, a week after as_of
DIRECTIVE_LEAD_DAYS = 191  # the ward's directive (20/05/2026 for the default as-of)

EPOCH = dt.date(1899, 12, 30)  # date columns hold spreadsheet serial numbers
BLANK = -1  # a blank date cell

# --- reference data -------------------------------------------------------------

WARD = "Phường Đông Hải"

# code, name, head (invented), aliases
DEPARTMENTS: list[tuple[str, str, str, list[str]]] = [
    ("VP", "Văn phòng HĐND và UBND phường", "Nguyễn Thị Thanh Hương",
     ["Văn phòng", "Văn phòng UBND phường", "VP HĐND-UBND", "Văn phòng HĐND - UBND phường"]),
    ("KTHTDT", "Phòng Kinh tế, Hạ tầng và Đô thị", "Trần Quang Huy",
     ["Phòng Kinh tế", "Phòng KT-HT-ĐT", "Phòng KTHT&ĐT", "Kinh tế, hạ tầng, đô thị"]),
    ("VHXH", "Phòng Văn hóa - Xã hội", "Lê Thị Hồng Nhung",
     ["Phòng VH-XH", "Phòng Văn hóa xã hội", "Phòng VHXH"]),
    ("TTPVHCC", "Trung tâm Phục vụ hành chính công", "Phạm Văn Toàn",
     ["Trung tâm HCC", "Bộ phận một cửa", "TT PVHCC", "Trung tâm Phục vụ HCC"]),
    ("TTDVSNC", "Trung tâm Dịch vụ sự nghiệp công", "Vũ Đức Thịnh",
     ["Trung tâm dịch vụ", "TT DVSNC", "Trung tâm DVSNC"]),
    ("CA", "Công an phường", "Đặng Minh Tuấn",
     ["Công an", "CAP", "Công an phường Đông Hải"]),
    ("QS", "Ban Chỉ huy Quân sự phường", "Bùi Văn Khải",
     ["Ban CHQS", "BCHQS phường", "Quân sự phường"]),
]
DEPT_CODES = [d[0] for d in DEPARTMENTS]
# How often a department answers late or not at all, relative to the ward's average.
DEPT_RISK = {"VP": 0.8, "KTHTDT": 1.6, "VHXH": 1.0, "TTPVHCC": 0.6, "TTDVSNC": 1.2,
             "CA": 0.9, "QS": 0.5}
UNASSIGNED_RISK = 2.0

# name, time limit (working days), share of cases, {department: share}
CATEGORIES: list[tuple[str, int, float, dict[str, float]]] = [
    ("Trật tự đô thị", 5, 0.19, {"KTHTDT": 0.7, "CA": 0.3}),
    ("Môi trường", 5, 0.22, {"TTDVSNC": 0.6, "KTHTDT": 0.4}),
    ("Hạ tầng giao thông", 10, 0.12, {"KTHTDT": 1.0}),
    ("Điện chiếu sáng", 3, 0.12, {"TTDVSNC": 0.6, "KTHTDT": 0.4}),
    ("An ninh trật tự", 3, 0.09, {"CA": 0.93, "QS": 0.07}),
    ("Đất đai - Xây dựng", 10, 0.08, {"KTHTDT": 1.0}),
    ("Văn hóa - Xã hội", 7, 0.07, {"VHXH": 1.0}),
    ("Hành chính công", 5, 0.07, {"TTPVHCC": 0.8, "VP": 0.2}),
    ("Khác", 10, 0.04, {"VP": 0.6, "VHXH": 0.4}),
]

CHANNELS = ["Smart Hải Phòng", "Tổng đài 1022", "Trực tiếp"]
CHANNEL_SHARE = [0.55, 0.32, 0.13]
RATED_SHARE = [0.6, 0.3, 0.1]  # by channel: the app asks the citizen to rate the answer

STREETS = [
    "Đông Hải", "Hạ Đoạn", "Bùi Thị Từ Nhiên", "Trung Hành", "Phương Lưu", "Cát Bi",
    "Lê Hồng Phong", "Ngô Gia Tự", "Thư Trung", "Nguyễn Bỉnh Khiêm", "Đằng Hải",
    "Chùa Vẽ", "Đình Vũ", "Hạ Lũng",
]
PLACES = [
    "chợ Đông Hải", "trường THCS Đông Hải", "trường Tiểu học Đông Hải",
    "nhà văn hóa tổ dân phố", "khu tái định cư Đông Hải", "cổng cảng Chùa Vẽ",
    "khu công nghiệp Đình Vũ", "trụ sở UBND phường", "trạm y tế phường",
]

# Citizen texts by category; {duong}/{duong2} street, {so} house number, {ngo} lane,
# {to} residential group, {tang} storeys, {diadiem} a place.
SUMMARIES: dict[str, list[str]] = {
    "Trật tự đô thị": [
        ("Hộ kinh doanh lấn chiếm vỉa hè trước số {so} đường {duong}, người đi bộ phải xuống "
        "lòng đường."),
        "Ô tô đỗ dưới lòng đường {duong} đoạn gần {diadiem}, gây ùn tắc giờ tan tầm.",
        "Biển quảng cáo treo sai quy định tại ngã ba {duong} - {duong2}.",
        "Chợ cóc họp tự phát trên đường {duong}, xả rác bừa bãi.",
        "Quán ăn kê bàn ghế tràn ra vỉa hè ngõ {ngo} đường {duong} vào buổi tối.",
        "Tập kết vật liệu xây dựng trên vỉa hè trước số {so} đường {duong}.",
    ],
    "Môi trường": [
        "Rác thải sinh hoạt tồn đọng nhiều ngày tại đầu ngõ {ngo} đường {duong}, bốc mùi hôi thối.",
        "Cống thoát nước tại tổ dân phố {to} bị tắc, mưa xuống nước tràn vào nhà dân.",
        "Có người đốt rác gây khói bụi tại khu đất trống gần {diadiem}.",
        "Điểm tập kết rác gần {diadiem} không được thu gom đúng giờ.",
        "Nước thải từ cơ sở rửa xe chảy tràn ra đường {duong}.",
        "Xe chở vật liệu làm rơi vãi đất cát trên đường {duong}, gây bụi cho khu dân cư.",
    ],
    "Hạ tầng giao thông": [
        "Mặt đường {duong} đoạn trước số {so} bị sụt lún, ổ gà gây nguy hiểm cho người đi đường.",
        "Vỉa hè đường {duong} bị bong tróc gạch lát, đề nghị sửa chữa.",
        "Đề nghị lắp gờ giảm tốc tại đoạn đường trước {diadiem}.",
        "Nắp hố ga trên đường {duong} bị vỡ, nguy hiểm cho xe máy.",
        "Đèn tín hiệu giao thông tại nút {duong} - {duong2} không hoạt động.",
    ],
    "Điện chiếu sáng": [
        "Đèn đường trên tuyến {duong} bị hỏng nhiều bóng, khu vực tối om về đêm.",
        "Cột đèn chiếu sáng tại tổ dân phố {to} bị nghiêng, có nguy cơ đổ.",
        "Đèn chiếu sáng ngõ {ngo} đường {duong} sáng cả ban ngày, lãng phí điện.",
        "Dây điện chiếu sáng võng thấp tại ngõ {ngo} đường {duong}, có nguy cơ mất an toàn.",
    ],
    "An ninh trật tự": [
        "Hát karaoke quá 22 giờ gây ồn ào tại tổ dân phố {to}.",
        "Nhóm thanh niên tụ tập, đua xe máy trên đường {duong} vào ban đêm.",
        "Có người lạ thường xuyên lảng vảng trước {diadiem}, đề nghị kiểm tra.",
        "Tờ rơi quảng cáo cho vay nặng lãi dán tại ngõ {ngo} đường {duong}.",
    ],
    "Đất đai - Xây dựng": [
        "Công trình xây dựng tại số {so} đường {duong} không che chắn, vật liệu rơi vãi.",
        "Đề nghị kiểm tra giấy phép xây dựng nhà {tang} tầng tại số {so} đường {duong}.",
        "Hộ dân tại tổ dân phố {to} xây dựng lấn chiếm đất công.",
        "Công trình thi công ban đêm tại ngõ {ngo} đường {duong} gây ồn, ảnh hưởng sinh hoạt.",
    ],
    "Văn hóa - Xã hội": [
        "Đề nghị xem xét chế độ trợ cấp cho người cao tuổi tại tổ dân phố {to}.",
        "Đề nghị hỗ trợ hộ cận nghèo tại tổ dân phố {to} sửa chữa nhà ở.",
        "Sân chơi tại nhà văn hóa tổ dân phố {to} xuống cấp, đề nghị sửa chữa.",
        "Cơ sở kinh doanh trên đường {duong} phát nhạc quá to, ảnh hưởng khu dân cư.",
    ],
    "Hành chính công": [
        "Cán bộ một cửa yêu cầu bổ sung giấy tờ nhiều lần cho cùng một hồ sơ.",
        "Hồ sơ đăng ký hộ kinh doanh nộp trực tuyến đã quá hạn nhưng chưa có kết quả.",
        "Thời gian chờ tại Trung tâm Phục vụ hành chính công phường quá lâu vào buổi sáng.",
        "Góp ý về việc triển khai ứng dụng Smart Hải Phòng trên địa bàn phường.",
    ],
    "Khác": [
        "Cây xanh trên đường {duong} có cành khô, nguy cơ gãy đổ khi mưa bão.",
        "Chó thả rông không rọ mõm tại tổ dân phố {to}.",
        "Đề nghị phường công khai kết quả giải quyết phản ánh trên ứng dụng Smart Hải Phòng.",
    ],
}
SUMMARY_ENDINGS = ["", "", "", "", " Đề nghị phường sớm xử lý.", " Kèm ảnh hiện trường.",
                   " Người dân rất bức xúc.", " Đã phản ánh nhiều lần nhưng chưa được giải quyết.",
                   " Xin cảm ơn!"]

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô",
            "Dương", "Lương", "Đinh", "Phan", "Trịnh", "Mai", "Cao", "Tạ", "Lưu", "Đoàn"]
SURNAME_SHARE = [0.30, 0.10, 0.08, 0.07, 0.05, 0.06, 0.04, 0.04, 0.04, 0.03,
                 0.02, 0.02, 0.02, 0.03, 0.02, 0.02, 0.02, 0.01, 0.02, 0.01]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quốc", "Hữu", "Thanh", "Xuân", "Ngọc", "Công", "Quang"]
MIDDLE_F = ["Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Phương", "Hồng", "Bích"]
GIVEN_M = ["Hùng", "Dũng", "Tuấn", "Hải", "Nam", "Long", "Quang", "Thắng", "Sơn", "Cường",
           "Hiếu", "Trung", "Khánh", "Phúc", "Tùng", "Đạt", "Bình", "Huy", "Mạnh", "Việt"]
GIVEN_F = ["Lan", "Hương", "Hoa", "Mai", "Hạnh", "Nhung", "Trang", "Linh", "Thảo", "Hà",
           "Yến", "Ngọc", "Anh", "Phương", "Huyền", "Thủy", "Loan", "Dung", "Vân", "Oanh"]
# Vietnamese mobile prefixes (without the leading 0).
PHONE_PREFIXES = [32, 33, 34, 35, 36, 37, 38, 39, 70, 76, 77, 78, 79, 81, 82, 83, 84, 85,
                  86, 88, 89, 90, 91, 93, 94, 96, 97, 98]
RESIDENTIAL_GROUPS = 30  # Tổ dân phố 1..30

ANSWERED_STATUSES = ["Đã trả lời", "Đã xử lý", "Hoàn thành", "Đã giải quyết"]
ANSWERED_SHARE = [0.35, 0.3, 0.3, 0.05]
OPEN_STATUSES = ["Đang xử lý", "Đã giao", "Chờ xử lý", "Đang xác minh"]
OPEN_SHARE = [0.55, 0.2, 0.15, 0.1]
EXTENDED_STATUSES = ["Đã gia hạn", "Gia hạn"]
NEW_STATUS = "Mới tiếp nhận"
RETURNED_STATUSES = ["Trả lại", "Không thuộc thẩm quyền", "Trùng lặp", "Đã hủy"]
RETURNED_SHARE = [0.35, 0.3, 0.2, 0.15]
SATISFIED, NOT_SATISFIED = "Hài lòng", "Chưa hài lòng"

# Shares of cases by outcome (before DEPT_RISK): returned, extended, late, unanswered.
RETURNED_RATE = 0.045
EXTENDED_RATE = 0.04
LATE_RATE = 0.08
STUCK_RATE = 0.025
EXPLICIT_DUE_RATE = 0.4  # staff fill in Hạn xử lý on some rows
ANONYMOUS_RATE = 0.03
UNASSIGNED_RATE = 0.005

CALENDAR_OVERRIDES = [
    (dt.date(2026, 1, 2), "Nghỉ", "Nghỉ bù Tết Dương lịch theo thông báo của UBND thành phố"),
    (dt.date(2026, 1, 10), "Làm bù", "Làm bù ngày 02/01/2026 (thứ Bảy)"),
    (dt.date(2026, 8, 22), "Làm bù", "Làm bù ngày 31/8/2026 (thứ Bảy)"),
]

# The last row marks the workbook as synthetic (read.schema.DEMO_PARAMETER): every output
# made from it carries the mark DỮ LIỆU MẪU, whatever the file is called.
SETTINGS = [("Tên phường", WARD), ("Thời hạn mặc định", 10), ("Sắp đến hạn", 2),
            ("Chỉ tiêu đúng hạn", 95),
            (DEMO_PARAMETER, "Có (dữ liệu tổng hợp, không phải số liệu thật của phường)")]

MONTHLY_TARGETS = [("Đài truyền thanh", 8), ("Cổng thông tin điện tử", 4),
                   ("Mạng xã hội (Facebook, Zalo)", 12), ("Khác", 2)]

DIRECTIVE = "Thông báo 220/TB-VP"
PLAN = "Kế hoạch 86/KH-UBND (Thông báo 220/TB-VP)"
# group, text, basis, lead, support, due (days after the directive; None = standing)
TASKS: list[tuple[str, str, str, str, str, int | None]] = [
    ("Tổng đài 1022", ("Cử cán bộ đầu mối tiếp nhận, vận hành Hệ thống thông tin tiếp nhận, "
     "xử lý phản ánh, kiến nghị 1022 của phường"), DIRECTIVE, "VP", "", 9),
    ("Tổng đài 1022", ("Tiếp nhận, phân loại, chuyển xử lý phản ánh qua Tổng đài 1022 và "
     "ứng dụng Smart Hải Phòng hằng ngày"), DIRECTIVE, "VP", "", None),
    ("Tổng đài 1022", ("Đôn đốc các phòng, ban, đơn vị trả lời, xử lý phản ánh đúng hạn; báo cáo "
     "Chủ tịch UBND phường các trường hợp không trả lời, trả lời không đúng hạn"), DIRECTIVE,
     "VP", "", None),
    ("Tổng đài 1022", ("Xây dựng quy chế phối hợp tiếp nhận, xử lý phản ánh, kiến nghị giữa các "
     "phòng, ban, đơn vị"), PLAN, "VP", "KTHTDT; VHXH; TTPVHCC; TTDVSNC; CA; QS", 26),
    ("Smart Hải Phòng", ("Hướng dẫn người dân cài đặt Smart Hải Phòng khi đến giao dịch tại "
     "Trung tâm Phục vụ hành chính công"), PLAN, "TTPVHCC", "", None),
    ("Smart Hải Phòng", ("Ra quân hướng dẫn người dân cài đặt, sử dụng Smart Hải Phòng tại 30 tổ "
     "dân phố (phối hợp Đoàn Thanh niên)"), PLAN, "VHXH", "CA; QS; TTDVSNC", 72),
    ("Smart Hải Phòng", ("Phấn đấu 80% hộ gia đình trên địa bàn cài đặt, sử dụng ứng dụng Smart "
     "Hải Phòng"), PLAN, "VHXH", "CA", 225),
    ("Truyền thông", ("Xây dựng tin, bài tuyên truyền về cài đặt, sử dụng Smart Hải Phòng và Tổng "
     "đài 1022 trên hệ thống đài truyền thanh phường"), DIRECTIVE, "TTDVSNC", "VP", 225),
    ("Truyền thông", ("Đăng tin, bài hướng dẫn sử dụng Smart Hải Phòng trên Cổng thông tin điện tử "
     "phường"), DIRECTIVE, "VP", "TTDVSNC", 134),
    ("Truyền thông", ("Tuyên truyền qua Fanpage Facebook, Zalo OA phường và nhóm Zalo của 30 "
     "tổ dân phố"), DIRECTIVE, "TTDVSNC", "VHXH", 225),
    ("Truyền thông", ("Sản xuất video ngắn hướng dẫn gửi phản ánh kèm hình ảnh, vị trí qua Smart "
     "Hải Phòng"), PLAN, "TTDVSNC", "VP", 103),
    ("Đô thị thông minh", ("Phối hợp Sở Xây dựng cung cấp thông tin, đề xuất nhiệm vụ đô thị thông "
     "minh lĩnh vực hạ tầng, đô thị"), DIRECTIVE, "KTHTDT", "", 72),
    ("Đô thị thông minh", "Lắp đặt hệ thống chiếu sáng thông minh tuyến đường Bùi Thị Từ Nhiên",
     PLAN, "KTHTDT", "TTDVSNC", 164),
    ("Đô thị thông minh", ("Mở rộng hệ thống camera giám sát an ninh trật tự tại các nút giao "
     "trọng điểm"), PLAN, "CA", "KTHTDT", 133),
    ("Đô thị thông minh", "Gắn mã địa chỉ số cho hộ gia đình, cơ sở kinh doanh trên địa bàn",
     PLAN, "CA", "KTHTDT", 194),
    ("Đô thị thông minh", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực",
     PLAN, "TTPVHCC", "VP", 103),
    ("Đô thị thông minh", "Triển khai thanh toán không dùng tiền mặt tại chợ Đông Hải", PLAN,
     "KTHTDT", "VHXH", 148),
    ("Đô thị thông minh", ("Lắp đặt cảm biến quan trắc chất lượng không khí khu vực giáp khu công "
     "nghiệp Đình Vũ"), PLAN, "TTDVSNC", "KTHTDT", 179),
    ("Đô thị thông minh", ("Cung cấp thông tin, dữ liệu lĩnh vực văn hóa, xã hội, y tế, giáo dục "
     "phục vụ xây dựng đề án đô thị thông minh"), DIRECTIVE, "VHXH", "", 72),
    ("Đô thị thông minh", "Số hóa hồ sơ đăng ký nghĩa vụ quân sự, quân nhân dự bị động viên",
     PLAN, "QS", "CA", 164),
    ("Đô thị thông minh", "Xây dựng bản đồ số điểm nóng phản ánh hiện trường theo tổ dân phố",
     PLAN, "KTHTDT", "VP", 209),
]
DEPT_REVIEW_DUE = 41  # each department clears its backlog within this many days
BLOCKED_STATUSES = ["Vướng mắc: chưa bố trí được kinh phí",
                    "Vướng mắc: chờ thành phố nâng cấp ứng dụng Smart Hải Phòng", "Tạm dừng"]

# channel kind, share per working day, labels, departments posting
POST_CHANNELS: list[tuple[str, float, list[str], dict[str, float]]] = [
    ("radio", 0.4, ["Đài truyền thanh phường", "Hệ thống loa truyền thanh", "Truyền thanh cơ sở",
                    "Loa phát thanh tổ dân phố"], {"TTDVSNC": 0.7, "VHXH": 0.3}),
    ("portal", 0.2, ["Cổng thông tin điện tử phường", "Cổng thông tin điện tử", "Website phường"],
     {"VP": 0.6, "VHXH": 0.4}),
    ("social", 0.6, ["Fanpage Facebook UBND phường", "Facebook", "Zalo OA phường",
                     "Nhóm Zalo tổ dân phố", "YouTube", "TikTok"],
     {"TTDVSNC": 0.5, "VHXH": 0.4, "CA": 0.1}),
    ("other", 0.05, ["Tờ rơi", "Pano, áp phích"], {"VHXH": 1.0}),
]
POST_TITLES = [
    "Hướng dẫn cài đặt ứng dụng Smart Hải Phòng trên điện thoại",
    "Gửi phản ánh kèm hình ảnh, vị trí qua Smart Hải Phòng",
    "Phản ánh hiện trường qua Tổng đài 1022: người dân cần biết",
    "Thực hiện Thông báo 220/TB-VP của Văn phòng UBND thành phố",
    "Phường Đông Hải ra quân hướng dẫn người dân sử dụng Smart Hải Phòng",
    "Tra cứu kết quả giải quyết phản ánh trên ứng dụng",
    "Lịch thu gom rác thải sinh hoạt theo tổ dân phố",
    "Cảnh báo lừa đảo qua điện thoại, mạng xã hội",
    "Kết quả tiếp nhận, xử lý phản ánh, kiến nghị tháng trước",
    "Chung tay xây dựng đô thị thông minh",
]


# --- the in-memory workbook --------------------------------------------------------

@dataclass
class Column:
    """One column of a tab. `kind` says how `values` is stored:
    "text": object array of cells (None = blank; str, int or float);
    "date": int array of spreadsheet serial numbers (BLANK = blank).
    `override` (messy only): object array; a cell that is not None is written as given
    (text typed by hand, a serial number) instead of the value."""

    header: str
    values: np.ndarray
    kind: str = "text"
    override: np.ndarray | None = None


@dataclass
class Tab:
    title: str
    columns: list[Column]
    blank_rows_before: list[int] = field(default_factory=list)  # data-row indices (messy)
    blank_rows_above_header: int = 0

    @property
    def n_rows(self) -> int:
        return len(self.columns[0].values) if self.columns else 0

    def column(self, header: str) -> Column:
        for col in self.columns:
            if col.header == header:
                return col
        raise KeyError(header)


@dataclass
class DemoWorkbook:
    tabs: list[Tab]
    seed: int
    as_of: dt.date
    messy: bool = False

    def tab(self, title: str) -> Tab:
        for tab in self.tabs:
            if tab.title == title:
                return tab
        raise KeyError(title)

    def cells(self, title: str) -> list[list[Any]]:
        """The rows of a tab as written to a workbook (header first), for tests and tools."""
        from wardbrief.demo.files import tab_rows  # files builds on this module

        return tab_rows(self.tab(title), as_objects=True)


def serial(day: dt.date) -> int:
    return (day - EPOCH).days


def from_serial(value: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(value))


def _text(values: Any) -> np.ndarray:
    return np.asarray(values, dtype=object)


def _cat(*parts: Any) -> np.ndarray:
    """Element-wise string concatenation of object arrays and str scalars."""
    return reduce(np.add, parts)


def _ints_as_text(values: np.ndarray, width: int = 0) -> np.ndarray:
    """Decimal text of whole numbers >= 0, zero-padded to `width`: through a table of
    the distinct range when it is small, else through fixed-width code points (then
    every number is padded to the widest)."""
    values = np.asarray(values, dtype=np.int64)
    if len(values) == 0:
        return _text([])
    lo, hi = int(values.min()), int(values.max())
    if hi - lo <= 100_000:
        return _text([f"{v:0{width}d}" for v in range(lo, hi + 1)])[values - lo]
    return _fixed_text(_digits(values, max(width, len(str(hi)))))


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    """Code points of the zero-padded decimal digits, one row per value."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return ((np.asarray(values, dtype=np.int64)[:, None] // powers) % 10 + ord("0")).astype(
        np.uint32)


def _fixed_text(*parts: str | np.ndarray) -> np.ndarray:
    """Strings assembled from constant text and code-point blocks (see `_digits`),
    without a Python-level operation per row."""
    n = next(len(p) for p in parts if isinstance(p, np.ndarray))
    blocks = [np.broadcast_to(np.array([ord(c) for c in p], dtype=np.uint32), (n, len(p)))
              if isinstance(p, str) else p for p in parts]
    codes = np.ascontiguousarray(np.hstack(blocks))
    return codes.view(f"<U{codes.shape[1]}").ravel().astype(object)


def _choose(rng: np.random.Generator, options: list[Any], n: int,
            p: list[float] | None = None) -> np.ndarray:
    return _text(options)[rng.choice(len(options), size=n, p=_normalised(p))]


def _normalised(p: list[float] | None) -> np.ndarray | None:
    if p is None:
        return None
    arr = np.asarray(p, dtype=float)
    return arr / arr.sum()


# --- working days --------------------------------------------------------------------

class WorkDays:
    """Working days between two serial numbers: holidays VN plus the NgayNghi overrides,
    as arrays, so that the n-th working day after a date is one lookup."""

    def __init__(self, first: int, last: int, overrides: list[tuple[dt.date, str, str]]):
        import holidays

        days = np.arange(first, last + 1)
        years = range(from_serial(first).year, from_serial(last).year + 1)
        calendar = holidays.country_holidays("VN", years=years)
        working = np.array([calendar.is_working_day(from_serial(d)) for d in days])
        for day, kind, _note in overrides:
            pos = serial(day) - first
            if 0 <= pos < len(days):
                working[pos] = kind == "Làm bù"
        self.first = first
        self.working = working
        self.cum = np.cumsum(working)  # working days <= day
        self.days = days[working]  # serials of the working days, in order

    def after(self, day: np.ndarray, n: np.ndarray | int) -> np.ndarray:
        """The n-th working day after `day` (n >= 1); `day` itself where n == 0."""
        day = np.asarray(day)
        n = np.broadcast_to(np.asarray(n), day.shape)
        pos = self.cum[day - self.first] + n - 1
        found = self.days[np.clip(pos, 0, len(self.days) - 1)]
        return np.where(n > 0, found, day)

    def between(self, start: np.ndarray, end: np.ndarray) -> np.ndarray:
        """wd(start, end]: working days d with start < d <= end."""
        return self.cum[end - self.first] - self.cum[start - self.first]

    def is_working(self, day: np.ndarray) -> np.ndarray:
        return self.working[np.asarray(day) - self.first]


# --- generation ------------------------------------------------------------------------

