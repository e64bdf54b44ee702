"""Every Vietnamese word the city briefing shows (its figures come from city.json)."""

from __future__ import annotations

KIND = "BÁO CÁO"
SUBJECT = ("Kết quả tiếp nhận, xử lý phản ánh, kiến nghị của người dân tại các xã, phường, "
           "đặc khu từ ngày {start} đến ngày {end}")
SIGN_FOR_COMMITTEE = "TM. ỦY BAN NHÂN DÂN"
SIGN_FOR_CHAIRMAN = "KT. CHỦ TỊCH"
CHAIRMAN = "CHỦ TỊCH"
RECIPIENTS_TITLE = "Nơi nhận:"
RECIPIENTS = (
    "- Thường trực Thành ủy (để b/c);",
    "- Thường trực HĐND thành phố (để b/c);",
    "- Chủ tịch, các PCT UBND thành phố;",
    "- UBND các xã, phường, đặc khu;",
    "- Lưu: VT, VP.",
)

SECTIONS = {
    "summary": "I. TÌNH HÌNH CHUNG",
    "ranking": "II. XẾP HẠNG CÁC XÃ, PHƯỜNG, ĐẶC KHU",
    "intake": "III. PHẢN ÁNH QUA ỨNG DỤNG SMART HẢI PHÒNG VÀ HỆ THỐNG 1022",
    "quality": "IV. CHẤT LƯỢNG DỮ LIỆU CỦA CÁC ĐƠN VỊ",
    "next": "V. ĐỀ NGHỊ",
}

# page 1
BRIEFED = ("Kỳ báo cáo có {briefed}/{total} đơn vị cấp xã lập được báo cáo. Các đơn vị này "
           "tiếp nhận {received} phản ánh, kiến nghị; đã giải quyết {resolved}, trong đó "
           "{on_time} đúng hạn và {late} trễ hạn; còn {open} phản ánh chưa giải quyết, trong "
           "đó {overdue} đã quá hạn.")
NO_WARD_BRIEFED = "Kỳ báo cáo không đơn vị nào lập được báo cáo; không có số liệu tổng hợp."
KEY_CAPTION = "Kết quả chung của thành phố"
KEY_HEADER = ("Chỉ số", "Kỳ này", "Chỉ tiêu", "Kỳ trước", "So với kỳ trước")
ON_TIME_RATE = "Tỷ lệ giải quyết đúng hạn"
COMPLIANCE_RATE = "Tỷ lệ bảo đảm thời hạn (tính cả phản ánh quá hạn chưa trả lời)"
DIGITAL_SHARE = "Tỷ lệ phản ánh qua ứng dụng Smart Hải Phòng và Hệ thống 1022"
KEY_NOTE = ("Tỷ lệ của thành phố tính trên tổng số phản ánh của các đơn vị đã lập báo cáo, "
            "không lấy bình quân tỷ lệ của các đơn vị. Kỳ trước: {start} - {end}.")
BEST = "Dẫn đầu: {names} (tỷ lệ bảo đảm thời hạn {rate}, {overdue} phản ánh quá hạn chưa trả lời)."
WORST = "Thấp nhất: {names} (tỷ lệ bảo đảm thời hạn {rate}, {overdue} phản ánh quá hạn chưa trả lời)."
ALL_SAME = "Các đơn vị đồng hạng: {names}."
NOT_BRIEFED_HEAD = "Chưa lập được báo cáo ({count} đơn vị, không tính vào số liệu trên):"
NOT_BRIEFED_ITEM = "- {name} ({code}): {reason}"
ALL_BRIEFED = "Tất cả các đơn vị đã lập được báo cáo."

# the tables
RANKING_CAPTION = "Bảng 1. Xếp hạng theo tỷ lệ bảo đảm thời hạn"
INTAKE_CAPTION = "Bảng 2. Phản ánh tiếp nhận trong kỳ theo kênh"
QUALITY_CAPTION = "Bảng 3. Lỗi và cảnh báo dữ liệu theo đơn vị"
RANKING_INTRO = ("Xếp theo tỷ lệ bảo đảm thời hạn từ cao xuống thấp; bằng nhau thì đơn vị ít "
                 "phản ánh quá hạn chưa trả lời hơn xếp trên; bằng nhau cả hai thì đồng hạng. "
                 "Đơn vị chưa có phản ánh nào đến hạn xếp cuối.")
RANKING_HEADER = ("Hạng", "Đơn vị", "Tiếp nhận", "Đã giải quyết", "Đúng hạn",
                  "Quá hạn chưa trả lời", "Tỷ lệ đúng hạn", "Tỷ lệ bảo đảm thời hạn",
                  "Số ngày giải quyết bình quân")
INTAKE_INTRO = ("Số phản ánh tiếp nhận trong kỳ theo kênh; tỷ lệ qua ứng dụng Smart Hải Phòng "
                "và Hệ thống 1022 cho thấy kết quả vận động người dân dùng kênh số.")
INTAKE_HEADER = ("Đơn vị", "Tiếp nhận", "Smart Hải Phòng", "Hệ thống 1022", "Trực tiếp",
                 "Kênh khác, không rõ", "Tỷ lệ qua ứng dụng và 1022")
QUALITY_INTRO = ("Lỗi: dòng bị loại, không tính vào số liệu; cảnh báo: dòng vẫn được tính nhưng "
                 "cần kiểm tra. Mỗi đơn vị xem danh sách chi tiết trong báo cáo của mình.")
QUALITY_HEADER = ("Đơn vị", "Lỗi", "Cảnh báo", "Ghi chú")
QUALITY_NOT_BRIEFED = "Chưa lập được báo cáo: {reason}"
TOTAL = "Toàn thành phố"
NEXT_BELOW_TARGET = ("Đề nghị UBND {names} chỉ đạo giải quyết dứt điểm các phản ánh quá hạn, "
                     "bảo đảm tỷ lệ giải quyết đúng hạn đạt chỉ tiêu {target}.")
NEXT_NOT_BRIEFED = ("Đề nghị UBND {names} khắc phục ngay bảng tính theo dõi phản ánh (lý do nêu "
                    "tại mục I) để kỳ sau được tổng hợp.")
NEXT_QUALITY = ("Đề nghị các đơn vị có lỗi dữ liệu rà soát, sửa các dòng bị loại trên bảng "
                "tính của mình.")
NEXT_NONE = "Các đơn vị tiếp tục duy trì kết quả giải quyết phản ánh đúng hạn."
