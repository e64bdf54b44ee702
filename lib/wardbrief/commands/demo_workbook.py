"""Synthetic workbooks for Phường Đông Hải, in the shape of the workbook contract.

`generate(seed, cases, as_of)` builds every tab of CONTRACT section 2 with its
canonical Vietnamese headers: the seven departments of the ward after the 2025
reform, categories with their time limits, settings, calendar overrides, citizen
reports from Smart Hải Phòng / Tổng đài 1022 / walk-ins, the tasks of the ward's
directive implementing Thông báo 220/TB-VP, campaign posts and monthly targets.
Names and phone numbers are invented.

The sheet is the one as it stands a week after `as_of`: cases are received over the
~4 months up to `as_of` and in the week after it, and answers may be dated after
`as_of` (a report as of `as_of` must ignore them). Most cases are answered on time,
some late, some are still open and overdue, some are returned.

The case table is built column-wise with numpy (a million cases in a few seconds);
a seed gives the same cells every time. `messy=True` then types some cells the way
staff do (see `make_messy`), with exactly two rejected PhanAnh rows.

`write(workbook, out)` writes `out.xlsx` with openpyxl (real date cells), or, for any
other path, a folder with one `<tab>.csv` per tab (UTF-8 with BOM, dates dd/mm/yyyy).
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from functools import reduce
from pathlib import Path
from string import Formatter
from typing import Any

import numpy as np

from wardbrief.read.names import strip_marks
from wardbrief.read.schema import DEMO_PARAMETER, TABS

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
        return _tab_rows(self.tab(title), as_objects=True)


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

def generate(seed: int = DEFAULT_SEED, cases: int = 400, as_of: dt.date = DEFAULT_AS_OF,
             messy: bool = False) -> DemoWorkbook:
    """A synthetic workbook with `cases` rows in PhanAnh; the same cells for the same
    arguments."""
    if cases < 0:
        raise ValueError("cases must be >= 0")
    streams = np.random.SeedSequence(seed).spawn(4)
    rng_cases, rng_tasks, rng_posts, rng_messy = (np.random.default_rng(s) for s in streams)
    a = serial(as_of)
    snapshot = a + SNAPSHOT_LAG_DAYS
    directive = a - DIRECTIVE_LEAD_DAYS
    calendar = WorkDays(min(directive, a - WINDOW_DAYS) - 40, snapshot + 400, CALENDAR_OVERRIDES)
    workbook = DemoWorkbook(
        tabs=[
            _departments_tab(),
            _categories_tab(),
            _settings_tab(),
            _calendar_tab(),
            _cases_tab(rng_cases, cases, a, calendar),
            _tasks_tab(rng_tasks, a, calendar),
            _posts_tab(rng_posts, a, calendar),
            _targets_tab(),
        ],
        seed=seed,
        as_of=as_of,
    )
    if messy:
        make_messy(workbook, rng_messy)
    return workbook


def _departments_tab() -> Tab:
    return Tab("DonVi", [
        Column("Mã đơn vị", _text([d[0] for d in DEPARTMENTS])),
        Column("Tên đơn vị", _text([d[1] for d in DEPARTMENTS])),
        Column("Thủ trưởng", _text([d[2] for d in DEPARTMENTS])),
        Column("Tên gọi khác", _text(["; ".join(d[3]) for d in DEPARTMENTS])),
    ])


def _categories_tab() -> Tab:
    return Tab("LinhVuc", [
        Column("Lĩnh vực", _text([c[0] for c in CATEGORIES])),
        Column("Thời hạn (ngày làm việc)", _text([c[1] for c in CATEGORIES])),
    ])


def _settings_tab() -> Tab:
    return Tab("CauHinh", [
        Column("Tham số", _text([s[0] for s in SETTINGS])),
        Column("Giá trị", _text([s[1] for s in SETTINGS])),
    ])


def _calendar_tab() -> Tab:
    return Tab("NgayNghi", [
        Column("Ngày", np.array([serial(o[0]) for o in CALENDAR_OVERRIDES]), "date"),
        Column("Loại", _text([o[1] for o in CALENDAR_OVERRIDES])),
        Column("Ghi chú", _text([o[2] for o in CALENDAR_OVERRIDES])),
    ])


def _targets_tab() -> Tab:
    return Tab("ChiTieu", [
        Column("Kênh", _text([t[0] for t in MONTHLY_TARGETS])),
        Column("Số tin bài/tháng", _text([t[1] for t in MONTHLY_TARGETS])),
    ])


def _received_days(rng: np.random.Generator, n: int, as_of: int,
                   calendar: WorkDays) -> np.ndarray:
    """Sorted receipt days over the window: fewer on weekends and holidays, and a slow
    rise as the campaign brings more people to the app."""
    days = np.arange(as_of - WINDOW_DAYS, as_of + SNAPSHOT_LAG_DAYS + 1)
    weekday = (days + 5) % 7  # serial 0 (30/12/1899) was a Saturday; Monday = 0
    weight = np.where(weekday < 5, 1.0, np.where(weekday == 5, 0.35, 0.2))
    weight = np.where((weekday < 5) & ~calendar.is_working(days), 0.4, weight)
    weight = weight * np.linspace(0.8, 1.25, len(days))
    return np.sort(rng.choice(days, size=n, p=weight / weight.sum()))


def _case_ids(rng: np.random.Generator, received: np.ndarray) -> np.ndarray:
    """`PA-<year>-<number>`, numbered in order of receipt within each year; the first
    year continues a numbering that began before the window."""
    n = len(received)
    if n == 0:
        return _text([])
    lo = int(received.min())
    year_of_day = np.array([from_serial(d).year for d in range(lo, int(received.max()) + 1)])
    year = year_of_day[received - lo]
    first_year_start = int(rng.integers(300, 900))
    years, first_index = np.unique(year, return_index=True)
    start_of_year = np.zeros(n, dtype=np.int64)
    offset = np.zeros(n, dtype=np.int64)
    for y, idx in zip(years, first_index):
        mask = year == y
        start_of_year[mask] = idx
        offset[mask] = first_year_start if y == years[0] else 1
    number = np.arange(n) - start_of_year + offset
    width = max(6, len(str(int(number.max()))))
    return _fixed_text("PA-", _digits(year, 4), "-", _digits(number, width))


def _summaries(rng: np.random.Generator, category: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Citizen texts: a template of the case's category with its slots filled."""
    n = len(category)
    streets = _text(STREETS)
    street = rng.integers(0, len(streets), n)
    street2 = (street + rng.integers(1, len(streets), n)) % len(streets)
    slots = {
        "duong": streets[street],
        "duong2": streets[street2],
        "so": _ints_as_text(rng.integers(1, 400, n)),
        "ngo": _ints_as_text(2 * rng.integers(1, 200, n)),
        "to": _ints_as_text(group),
        "tang": _ints_as_text(rng.integers(3, 10, n)),
        "diadiem": _choose(rng, PLACES, n),
    }
    pick = rng.random(n)
    ending = _choose(rng, SUMMARY_ENDINGS, n)
    text = np.empty(n, dtype=object)
    for c, (name, *_rest) in enumerate(CATEGORIES):
        templates = SUMMARIES[name]
        in_cat = np.flatnonzero(category == c)
        which = np.minimum((pick[in_cat] * len(templates)).astype(int), len(templates) - 1)
        for t, template in enumerate(templates):
            rows = in_cat[which == t]
            if len(rows) == 0:
                continue
            parts: list[Any] = []
            for literal, slot, _spec, _conv in Formatter().parse(template):
                if literal:
                    parts.append(literal)
                if slot:
                    parts.append(slots[slot][rows])
            text[rows] = _cat(*parts, ending[rows])
    return text


def _reporters(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Invented names and mobile numbers; a few anonymous reports leave both blank."""
    # every possible name once, then one lookup per row
    table = _text([f"{s} {m} {g}" for s in SURNAMES
                   for middles, givens in ((MIDDLE_M, GIVEN_M), (MIDDLE_F, GIVEN_F))
                   for m in middles for g in givens])
    per_surname = len(MIDDLE_M) * len(GIVEN_M) + len(MIDDLE_F) * len(GIVEN_F)
    surname = rng.choice(len(SURNAMES), size=n, p=_normalised(SURNAME_SHARE))
    female = rng.random(n) < 0.5
    middle = rng.integers(0, len(MIDDLE_M), n)  # MIDDLE_F and GIVEN_F have the same sizes
    given = rng.integers(0, len(GIVEN_M), n)
    names = table[surname * per_surname + female * len(MIDDLE_M) * len(GIVEN_M)
                  + middle * len(GIVEN_M) + given]
    prefix = np.asarray(PHONE_PREFIXES, dtype=np.int64)[rng.integers(0, len(PHONE_PREFIXES), n)]
    phones = _fixed_text("0", _digits(prefix * 10_000_000 + rng.integers(0, 10_000_000, n), 9))
    anonymous = rng.random(n) < ANONYMOUS_RATE
    names[anonymous] = None
    phones[anonymous] = None
    return names, phones


def _cases_tab(rng: np.random.Generator, n: int, as_of: int, calendar: WorkDays) -> Tab:
    snapshot = as_of + SNAPSHOT_LAG_DAYS
    received = _received_days(rng, n, as_of, calendar)
    ids = _case_ids(rng, received)
    channel = rng.choice(len(CHANNELS), size=n, p=CHANNEL_SHARE)
    category = rng.choice(len(CATEGORIES), size=n, p=_normalised([c[2] for c in CATEGORIES]))

    # department: by category, a few left blank (the `_unassigned` bucket)
    shares = np.array([[c[3].get(code, 0.0) for code in DEPT_CODES] for c in CATEGORIES])
    cumulative = np.cumsum(shares / shares.sum(axis=1, keepdims=True), axis=1)
    dept = (rng.random(n)[:, None] >= cumulative[category]).sum(axis=1)
    dept = np.minimum(dept, len(DEPT_CODES) - 1)
    dept = np.where(rng.random(n) < UNASSIGNED_RATE, -1, dept)

    # assignment, due date, extension
    lag = rng.choice(3, size=n, p=[0.7, 0.25, 0.05])
    assigned = calendar.after(received, lag)
    limit = np.array([c[1] for c in CATEGORIES])[category]
    due = calendar.after(assigned, limit)
    returned = rng.random(n) < RETURNED_RATE
    extended = ~returned & (rng.random(n) < EXTENDED_RATE)
    extension = calendar.after(due, rng.integers(5, 16, n))
    effective_due = np.where(extended, extension, due)

    # answers: on time, late, or not yet; the sheet is read at the snapshot
    risk = np.append(np.array([DEPT_RISK[c] for c in DEPT_CODES]), UNASSIGNED_RISK)[dept]
    outcome = rng.random(n)
    stuck = outcome < STUCK_RATE * risk
    late = ~stuck & (outcome < (STUCK_RATE + LATE_RATE) * risk)
    allowed = calendar.between(assigned, effective_due)
    on_time_days = np.minimum((rng.beta(2.0, 3.0, n) * (allowed + 1)).astype(np.int64), allowed)
    late_days = allowed + rng.geometric(0.25, n)
    responded = calendar.after(assigned, np.where(late, late_days, on_time_days))
    responded = np.where(stuck | (responded > snapshot), BLANK, responded)
    returned_on = calendar.after(received, rng.integers(0, 3, n))
    returned_on = np.where((rng.random(n) < 0.6) & (returned_on <= snapshot), returned_on, BLANK)
    responded = np.where(returned, returned_on, responded)

    answered = ~returned & (responded != BLANK)
    status = np.where(
        returned, _choose(rng, RETURNED_STATUSES, n, RETURNED_SHARE),
        np.where(answered, _choose(rng, ANSWERED_STATUSES, n, ANSWERED_SHARE),
                 np.where(extended, _choose(rng, EXTENDED_STATUSES, n),
                          np.where(received >= snapshot - 1, NEW_STATUS,
                                   _choose(rng, OPEN_STATUSES, n, OPEN_SHARE)))))
    status = status.astype(object)

    rated = answered & (rng.random(n) < np.asarray(RATED_SHARE)[channel])
    pleased = rng.random(n) < np.where(responded <= effective_due, 0.88, 0.5)
    rating = np.where(rated, np.where(pleased, SATISFIED, NOT_SATISFIED), None).astype(object)

    group = rng.integers(1, RESIDENTIAL_GROUPS + 1, n)
    names, phones = _reporters(rng, n)
    codes = np.append(_text(DEPT_CODES), None)[dept]
    explicit_due = np.where(rng.random(n) < EXPLICIT_DUE_RATE, due, BLANK)
    return Tab("PhanAnh", [
        Column("Mã phản ánh", ids),
        Column("Ngày tiếp nhận", received, "date"),
        Column("Kênh", _text(CHANNELS)[channel]),
        Column("Lĩnh vực", _text([c[0] for c in CATEGORIES])[category]),
        Column("Nội dung", _summaries(rng, category, group)),
        Column("Người phản ánh", names),
        Column("Số điện thoại", phones),
        Column("Địa bàn", _cat("Tổ dân phố ", _ints_as_text(group))),
        Column("Đơn vị xử lý", codes),
        Column("Ngày giao", assigned, "date"),
        Column("Hạn xử lý", explicit_due, "date"),
        Column("Gia hạn đến", np.where(extended, extension, BLANK), "date"),
        Column("Ngày trả lời", responded, "date"),
        Column("Trạng thái", status),
        Column("Đánh giá", rating),
    ])


def _month_ends(first: int, last: int) -> list[int]:
    out = []
    day = from_serial(first)
    month = dt.date(day.year, day.month, 1)
    while True:
        nxt = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        end = serial(nxt) - 1
        if end > last:
            return out
        if end >= first:
            out.append(end)
        month = nxt


def _tasks_tab(rng: np.random.Generator, as_of: int, calendar: WorkDays) -> Tab:
    """Tasks of the ward's directive (Thông báo 220/TB-VP) with outcomes drawn by seed."""
    snapshot = as_of + SNAPSHOT_LAG_DAYS
    directive = as_of - DIRECTIVE_LEAD_DAYS
    rows: list[tuple[str, str, str, str, str, int, int | None]] = []
    for group, text, basis, lead, support, due in TASKS:
        rows.append((group, text, basis, lead, support, directive,
                     None if due is None else directive + due))
    for code, name, *_ in DEPARTMENTS:
        rows.append(("Smart Hải Phòng", (f"Rà soát, trả lời dứt điểm phản ánh, kiến nghị tồn đọng, "
                     f"quá hạn trên ứng dụng Smart Hải Phòng thuộc thẩm quyền của {name}"),
                     DIRECTIVE, code, "" if code == "VP" else "VP", directive,
                     directive + DEPT_REVIEW_DUE))
    for end in _month_ends(directive, snapshot):
        month = from_serial(end)
        report_due = int(calendar.after(np.array([end]), 3)[0])
        rows.append(("Tổng đài 1022", (f"Báo cáo kết quả tiếp nhận, xử lý phản ánh, kiến nghị qua "
                     f"Hệ thống 1022 và Smart Hải Phòng tháng {month.month}/{month.year}"),
                     DIRECTIVE, "VP", "", end, report_due))

    ids, assigned, due_col, progress, done_col, status = [], [], [], [], [], []
    year = from_serial(directive).year
    for i, (_g, _t, _b, _l, _s, given, due) in enumerate(rows, start=1):
        ids.append(f"NV-{year}-{i:03d}")
        assigned.append(given)
        due_col.append(BLANK if due is None else due)
        done = BLANK
        if due is None:
            progress.append(None)
            status.append("Thường xuyên")
            done_col.append(BLANK)
            continue
        u = rng.random()
        if due <= as_of:
            kind = "on_time" if u < 0.72 else ("late" if u < 0.87 else "open")
        else:
            kind = "on_time" if u < 0.35 else "open"
        if kind == "on_time":
            done = int(rng.integers(given + min(5, due - given), due + 1))
        elif kind == "late":
            done = due + int(rng.integers(1, 31))
        if done != BLANK and done <= snapshot:
            progress.append(100)
            status.append("Hoàn thành")
            done_col.append(done)
        else:
            progress.append(int(rng.integers(1, 10)) * 10)
            status.append("Đang thực hiện" if due >= as_of else "Chậm tiến độ")
            done_col.append(BLANK)
    unfinished = [i for i, s in enumerate(status) if s in ("Đang thực hiện", "Chậm tiến độ")]
    for i in rng.choice(unfinished, size=min(2, len(unfinished)), replace=False):
        status[int(i)] = str(rng.choice(BLOCKED_STATUSES))
    return Tab("NhiemVu", [
        Column("Mã nhiệm vụ", _text(ids)),
        Column("Nội dung", _text([r[1] for r in rows])),
        Column("Nhóm", _text([r[0] for r in rows])),
        Column("Căn cứ", _text([r[2] for r in rows])),
        Column("Đơn vị chủ trì", _text([r[3] for r in rows])),
        Column("Đơn vị phối hợp", _text([r[4] or None for r in rows])),
        Column("Ngày giao", np.array(assigned), "date"),
        Column("Hạn hoàn thành", np.array(due_col), "date"),
        Column("Tiến độ (%)", _text(progress)),
        Column("Ngày hoàn thành", np.array(done_col), "date"),
        Column("Trạng thái", _text(status)),
    ])


def _posts_tab(rng: np.random.Generator, as_of: int, calendar: WorkDays) -> Tab:
    """Campaign posts from the start of the case window to the snapshot."""
    days, labels, depts, titles, links = [], [], [], [], []
    counter = 0
    for day in range(as_of - WINDOW_DAYS, as_of + SNAPSHOT_LAG_DAYS + 1):
        weekday = (day + 5) % 7
        working = bool(calendar.is_working(np.array([day]))[0])
        for kind, share, names, by_dept in POST_CHANNELS:
            chance = share if working else (share / 3 if kind == "social" else 0.0)
            if rng.random() >= chance or (weekday == 6 and kind != "social"):
                continue
            counter += 1
            label = str(rng.choice(names))
            days.append(day)
            labels.append(label)
            depts.append(str(rng.choice(list(by_dept), p=_normalised(list(by_dept.values())))))
            titles.append(str(rng.choice(POST_TITLES)))
            iso = from_serial(day).isoformat()
            if kind == "portal":
                links.append(f"https://donghai.haiphong.gov.vn/tin-tuc/{iso}-{counter}")
            elif "Facebook" in label:
                links.append(f"https://www.facebook.com/phuongdonghai/posts/{day * 1000 + counter}")
            else:
                links.append(None)
    return Tab("TruyenThong", [
        Column("Ngày đăng", np.array(days, dtype=np.int64), "date"),
        Column("Kênh", _text(labels)),
        Column("Đơn vị thực hiện", _text(depts)),
        Column("Tiêu đề", _text(titles)),
        Column("Đường dẫn", _text(links)),
    ])


# --- messy: the way staff really type ------------------------------------------------

TEXT_DATE_FORMATS = ["%d/%m/%Y", "{d}/{m}/{yy}", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d",
                     "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S"]
PHANANH_MESSY_HEADERS = {
    "Mã phản ánh": "Ma PA",
    "Ngày tiếp nhận": "Ngay tiep nhan",
    "Kênh": "Channel",
    "Đơn vị xử lý": "DON VI XU LY",
    "Ngày trả lời": "Ngày trả lời ",
    "Trạng thái": "Trang thai",
    "Đánh giá": "Rating",
}
UNKNOWN_STATUS = "Đang chờ ý kiến lãnh đạo"
MESSY_TITLES = {"PhanAnh": "Phản ánh", "TruyenThong": "Truyền thông"}
NOTES_TAB = "Ghi chú"  # an extra tab the contract ignores
ODD_TEXTS = [
    "<b>Khẩn cấp</b> <script>alert('x')</script> Rác thải tồn đọng trước cổng chợ Đông Hải.",
    "=HYPERLINK(\"http://example.com\",\"Xem ảnh hiện trường\")",
    "Đường ngập sâu sau mưa 🌧️🌊, xe máy chết máy hàng loạt 😡",
    "Cống thoát nước bị tắc. " * 120,
]


def _format_dates(values: np.ndarray, fmt: str, rng: np.random.Generator) -> np.ndarray:
    """Dates (serials) as text in `fmt`, through a lookup over the distinct days."""
    lo, hi = int(values.min()), int(values.max())
    table = []
    for d in range(lo, hi + 1):
        day = from_serial(d)
        if fmt.startswith("{"):
            table.append(fmt.format(d=day.day, m=day.month, yy=f"{day.year % 100:02d}"))
        else:
            table.append(day.strftime(fmt.split(" ")[0]))
    text = _text(table)[values - lo]
    if "%H" in fmt:
        minutes = rng.integers(7 * 60, 17 * 60 + 30, len(values))
        clock = _cat(_ints_as_text(minutes // 60, 2), ":", _ints_as_text(minutes % 60, 2))
        if "%S" in fmt:
            clock = _cat(clock, ":", _ints_as_text(rng.integers(0, 60, len(values)), 2))
        text = _cat(text, " ", clock)
    return text


def _retype_dates(col: Column, rng: np.random.Generator, share: float) -> None:
    """Some date cells typed as text in the accepted forms, a few as serial numbers."""
    n = len(col.values)
    if col.override is None:
        col.override = np.full(n, None, dtype=object)
    pick = (rng.random(n) < share) & (col.values != BLANK)
    which = rng.integers(0, len(TEXT_DATE_FORMATS) + 1, n)
    for f, fmt in enumerate(TEXT_DATE_FORMATS):
        rows = np.flatnonzero(pick & (which == f))
        if len(rows):
            col.override[rows] = _format_dates(col.values[rows], fmt, rng)
    rows = np.flatnonzero(pick & (which == len(TEXT_DATE_FORMATS)))
    col.override[rows] = _text(col.values[rows].tolist())


def _department_variants(code: str) -> list[str]:
    _code, name, _head, aliases = next(d for d in DEPARTMENTS if d[0] == code)
    return [name, strip_marks(name), name.upper(), code.lower(), *aliases]


def make_messy(workbook: DemoWorkbook, rng: np.random.Generator) -> None:
    """Type the workbook the way staff do. Everything stays readable except exactly
    two PhanAnh rows that the contract rejects (a duplicate id, an impossible date);
    a few rows get warnings (an unreadable answer date, an unknown status word)."""
    workbook.messy = True
    cases = workbook.tab("PhanAnh")
    n = cases.n_rows
    cases.title = MESSY_TITLES["PhanAnh"]
    cases.blank_rows_above_header = 1
    cases.columns.insert(0, Column("STT", _text(np.arange(1, n + 1).tolist())))

    for header in ("Ngày tiếp nhận", "Ngày giao", "Ngày trả lời"):
        _retype_dates(cases.column(header), rng, 0.15)

    dept = cases.column("Đơn vị xử lý").values
    retype = rng.random(n) < 0.15
    for code in DEPT_CODES:
        rows = np.flatnonzero(retype & (dept == code))
        dept[rows] = _choose(rng, _department_variants(code), len(rows))

    category = cases.column("Lĩnh vực").values
    category[np.flatnonzero((category == "Văn hóa - Xã hội") & (rng.random(n) < 0.5))] = (
        "Văn hoá - Xã hội")
    rows = np.flatnonzero(rng.random(n) < 0.05)
    category[rows] = _text([c.upper() for c in category[rows]])

    status = cases.column("Trạng thái").values
    rows = np.flatnonzero(rng.random(n) < 0.1)
    status[rows] = _text([(s.upper() if i % 2 else strip_marks(s).lower()) + "  "
                          for i, s in enumerate(status[rows])])

    summary = cases.column("Nội dung").values
    rows = np.flatnonzero(rng.random(n) < 0.05)
    summary[rows] = _text([unicodedata.normalize("NFD", s) for s in summary[rows]])

    # rows with something special; the first five are distinct
    if n >= 8:
        special = rng.choice(np.arange(1, n), size=min(n - 1, 4 + len(ODD_TEXTS)), replace=False)
        dup_row, bad_date_row, unreadable_answer_row, unknown_status_row = (int(i) for i in
                                                                           special[:4])
        ids = cases.column("Mã phản ánh").values
        earlier = int(rng.integers(0, dup_row))
        ids[dup_row] = ids[earlier]
        received = cases.column("Ngày tiếp nhận")
        year = from_serial(int(received.values[bad_date_row])).year
        received.override[bad_date_row] = f"31/02/{year}"
        cases.column("Ngày trả lời").override[unreadable_answer_row] = "chưa rõ"
        status[unknown_status_row] = UNKNOWN_STATUS
        for row, text in zip(special[4:], ODD_TEXTS):
            summary[int(row)] = text
        cases.blank_rows_before = sorted(int(i) for i in rng.choice(np.arange(1, n), 2,
                                                                     replace=False))
    for old, new in PHANANH_MESSY_HEADERS.items():
        cases.column(old).header = new

    tasks = workbook.tab("NhiemVu")
    tasks.column("Tiến độ (%)").header = "Tien do (%)"
    progress = tasks.column("Tien do (%)").values
    for i, value in enumerate(progress):
        if value is not None and i % 3 == 1:
            progress[i] = f"{value}%"
        elif value is not None and i % 3 == 2 and value < 100:
            progress[i] = value / 100
    lead = tasks.column("Đơn vị chủ trì").values
    for i in range(0, len(lead), 4):
        lead[i] = strip_marks(next(d[1] for d in DEPARTMENTS if d[0] == lead[i]))
    _retype_dates(tasks.column("Ngày hoàn thành"), rng, 0.3)

    posts = workbook.tab("TruyenThong")
    posts.title = MESSY_TITLES["TruyenThong"]
    _retype_dates(posts.column("Ngày đăng"), rng, 0.2)

    workbook.tabs.append(Tab(NOTES_TAB, [Column("Ghi chú", _text([
        "Bảng theo dõi phản ánh, kiến nghị của phường Đông Hải",
        "Cập nhật hằng ngày trước 16 giờ",
    ]))]))


# --- writing ---------------------------------------------------------------------------

LONG_TEXT_HEADERS = {"Nội dung", "Tên đơn vị", "Tên gọi khác", "Tiêu đề", "Ghi chú"}

def _date_lookup(values: np.ndarray, make: Any) -> np.ndarray:
    """Cells for serial-number values through a table over the distinct range."""
    out = np.full(len(values), None, dtype=object)
    present = values != BLANK
    if present.any():
        lo, hi = int(values[present].min()), int(values[present].max())
        table = _text([make(from_serial(d)) for d in range(lo, hi + 1)])
        out[present] = table[values[present] - lo]
    return out


def _column_cells(col: Column, as_objects: bool, rows: slice = slice(None)) -> np.ndarray:
    """Cells of a column (or of `rows` of it): Python objects for a workbook (dates as
    dt.date), or text for CSV (dates dd/mm/yyyy, blanks empty). A CSV file has no
    numeric cells, so a date typed as a serial number in the workbook is written as
    dd/mm/yyyy there."""
    values = col.values[rows]
    if col.kind == "date":
        cells = _date_lookup(values, (lambda d: d) if as_objects
                             else (lambda d: d.strftime("%d/%m/%Y")))
    else:
        cells = values.copy()
    if col.override is not None:
        override = col.override[rows]
        typed = np.not_equal(override, None)
        if not as_objects and col.kind == "date":
            typed &= np.array([isinstance(v, str) for v in override], dtype=bool)
        cells[typed] = override[typed]
    if not as_objects:
        cells[np.equal(cells, None)] = ""
    return cells


def _tab_rows(tab: Tab, as_objects: bool) -> list[list[Any]]:
    columns = [_column_cells(c, as_objects) for c in tab.columns]
    rows = [list(r) for r in zip(*columns)]
    blank: list[Any] = [None] * len(tab.columns)
    for pos in sorted(tab.blank_rows_before, reverse=True):
        rows.insert(pos, list(blank))
    return [list(blank)] * tab.blank_rows_above_header + [[c.header for c in tab.columns]] + rows


def write_csv_folder(workbook: DemoWorkbook, folder: Path) -> list[Path]:
    """One `<tab>.csv` per tab, UTF-8 with BOM, `\\n` line ends, dates dd/mm/yyyy.

    Lines are assembled column-wise (`_csv_fields`, then `str.join` over the rows in
    C), a chunk of rows at a time: for a million cases this is several times faster than
    `DataFrame.to_csv`, which spends its time converting and checking every cell
    (bench/metrics_scale.py reports the time). The quoting is the csv module's:
    a field holding a comma, a quote or a line break is quoted."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for tab in workbook.tabs:
        header = ",".join(_csv_fields(_text([c.header for c in tab.columns])))
        blank_line = "," * (len(tab.columns) - 1)
        path = folder / f"{tab.title}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            handle.write((blank_line + "\n") * tab.blank_rows_above_header + header + "\n")
            bounds = [0, *tab.blank_rows_before, tab.n_rows]
            for piece, (lo, hi) in enumerate(itertools.pairwise(bounds)):
                if piece:
                    handle.write(blank_line + "\n")
                for first in range(lo, hi, CSV_CHUNK_ROWS):
                    rows = slice(first, min(first + CSV_CHUNK_ROWS, hi))
                    fields = [_csv_fields(_column_cells(c, False, rows)) for c in tab.columns]
                    handle.write("\n".join(map(",".join, zip(*fields))) + "\n")
        written.append(path)
    return written


CSV_CHUNK_ROWS = 100_000
_CSV_SPECIAL = (",", '"', "\n", "\r")


def _csv_fields(cells: np.ndarray) -> np.ndarray:
    """Text cells as CSV fields. The cells are checked as one joined string; when one
    holds a comma every non-empty field is quoted, when one holds a quote or a line
    break they are quoted cell by cell (as the csv module does)."""
    try:
        joined = "".join(cells)
    except TypeError:  # numbers among the cells (small tabs, the STT column)
        cells = _text([c if isinstance(c, str) else str(c) for c in cells])
        joined = "".join(cells)
    if not any(ch in joined for ch in _CSV_SPECIAL):
        return cells
    if '"' in joined or "\n" in joined or "\r" in joined:
        return _text([_csv_quote(c) for c in cells])
    return np.where(cells != "", _cat('"', cells, '"'), cells)


def _csv_quote(cell: str) -> str:
    if any(ch in cell for ch in _CSV_SPECIAL):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def write_xlsx(workbook: DemoWorkbook, path: Path) -> Path:
    """A workbook with real date cells (shown dd/mm/yyyy), bold frozen headers.
    Written to a temporary file and renamed, so a reader never sees half a file."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for tab in workbook.tabs:
        sheet = book.create_sheet(tab.title)
        sheet.freeze_panes = f"A{tab.blank_rows_above_header + 2}"
        for i, col in enumerate(tab.columns, start=1):
            wide = col.header in LONG_TEXT_HEADERS
            sheet.column_dimensions[get_column_letter(i)].width = 60 if wide else 18
        for _ in range(tab.blank_rows_above_header):
            sheet.append([])
        header = []
        for col in tab.columns:
            cell = WriteOnlyCell(sheet, value=col.header)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        columns = [_column_cells(c, as_objects=True) for c in tab.columns]
        blank_before = set(tab.blank_rows_before)
        for r, row in enumerate(zip(*columns)):
            if r in blank_before:
                sheet.append([])
            sheet.append([_xlsx_cell(sheet, v, WriteOnlyCell) for v in row])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # same folder: rename is atomic
    try:
        book.save(tmp)
        stamp = dt.datetime.combine(workbook.as_of + dt.timedelta(days=SNAPSHOT_LAG_DAYS),
                                    dt.time())
        _make_reproducible(tmp, stamp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def _make_reproducible(path: Path, stamp: dt.datetime) -> None:
    """Fix what openpyxl takes from the clock (document dates, zip entry times), so the
    same workbook gives the same bytes: `make demo-data` leaves git with nothing to do."""
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + iso,
                              data)
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, data)


def _xlsx_cell(sheet: Any, value: Any, cell_type: Any) -> Any:
    if isinstance(value, dt.date):
        cell = cell_type(sheet, value=value)
        cell.number_format = "dd/mm/yyyy"
        return cell
    if isinstance(value, str) and value.startswith("="):
        cell = cell_type(sheet, value=value)
        cell.data_type = "s"  # text that looks like a formula stays text
        return cell
    return value


def is_xlsx_path(out: Path) -> bool:
    return out.suffix.lower() == ".xlsx"


def write(workbook: DemoWorkbook, out: Path) -> list[Path]:
    """`out.xlsx` -> one workbook; any other path -> a folder of CSV files."""
    if is_xlsx_path(out):
        return [write_xlsx(workbook, out)]
    return write_csv_folder(workbook, out)


TAB_TITLES = [tab.name for tab in TABS]


def csv_file_names(messy: bool = False) -> list[str]:
    """The files `write_csv_folder` writes for a clean or a messy workbook."""
    if not messy:
        return [f"{title}.csv" for title in TAB_TITLES]
    titles = [MESSY_TITLES.get(title, title) for title in TAB_TITLES] + [NOTES_TAB]
    return [f"{title}.csv" for title in titles]
