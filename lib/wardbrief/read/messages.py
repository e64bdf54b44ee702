"""What a data issue says to the staff who keep the sheet (Vietnamese).

One template per kind of issue; `{value}` is the cell as typed (masked and cut to
VALUE_LIMIT characters by read.contract.issue_text), other fields are named where the
issue is raised (read.contract).

The bounds of the numbers read from the sheet are declared here, beside the messages
that state them: a value outside them is not used (the default applies) and a warning
names the cell.
"""

LIMIT_DAYS = (1, 365)  # LinhVuc `Thời hạn`, CauHinh `Thời hạn mặc định` (working days)
DUE_SOON_DAYS = (0, 60)  # CauHinh `Sắp đến hạn` (working days)
TARGET_PERCENT = (0, 100)  # CauHinh `Chỉ tiêu đúng hạn`
MONTHLY_TARGET = (0, 10_000)  # ChiTieu `Số tin bài/tháng`
VALUE_LIMIT = 80  # characters of a cell quoted into a message

ISSUE_MESSAGES: dict[str, str] = {
    "tab_duplicate": "Bỏ qua trang tính '{value}': trang '{first}' đã được dùng làm {tab}",
    "column_duplicate": "Cột '{value}' trùng với cột {label}; chỉ dùng cột đầu tiên",
    "tab_missing": "Thiếu trang tính bắt buộc {tab}",
    "code_blank": "Mã đơn vị để trống; bỏ qua dòng này",
    "code_duplicate": "Mã đơn vị '{value}' đã có ở dòng trên; giữ dòng đầu tiên, bỏ qua dòng này",
    "category_blank": "Tên lĩnh vực để trống; bỏ qua dòng này",
    "limit_invalid": (f"Thời hạn '{{value}}' không phải số nguyên từ {LIMIT_DAYS[0]} đến "
                      f"{LIMIT_DAYS[1]} (ngày làm việc); áp dụng thời hạn mặc định {{default}} ngày"),
    "default_limit_invalid": (f"Thời hạn mặc định '{{value}}' không phải số nguyên từ "
                              f"{LIMIT_DAYS[0]} đến {LIMIT_DAYS[1]}; dùng {{default}} ngày"),
    "due_soon_invalid": (f"Sắp đến hạn '{{value}}' không phải số nguyên từ {DUE_SOON_DAYS[0]} "
                         f"đến {DUE_SOON_DAYS[1]}; dùng {{default}}"),
    "target_percent_invalid": (f"Chỉ tiêu đúng hạn '{{value}}' không phải tỷ lệ phần trăm "
                               f"({TARGET_PERCENT[0]}-{TARGET_PERCENT[1]}); dùng {{default}}%"),
    "day_blank": "Ngày để trống; bỏ qua dòng này",
    "day_unreadable": "Ngày '{value}' không đọc được (ghi dd/mm/yyyy); bỏ qua dòng này",
    "day_kind_invalid": "Loại '{value}' không phải 'Nghỉ' hoặc 'Làm bù'; bỏ qua dòng này",
    "monthly_target_invalid": (f"Số tin bài/tháng '{{value}}' không phải số từ "
                               f"{MONTHLY_TARGET[0]} đến {MONTHLY_TARGET[1]:,}; "
                               "bỏ qua dòng này").replace(",", "."),
    "date_unreadable": "Ngày '{value}' không đọc được (ghi dd/mm/yyyy); coi như để trống",
    "case_id_blank": "Thiếu mã phản ánh; dòng bị loại",
    "case_id_duplicate": "Mã phản ánh {value} trùng với một dòng phía trên; giữ dòng đầu tiên, "
                         "loại dòng này",
    "received_blank": "Thiếu ngày tiếp nhận; dòng bị loại",
    "received_unreadable": "Ngày tiếp nhận '{value}' không đọc được (ghi dd/mm/yyyy); dòng bị loại",
    "category_unknown": ("Lĩnh vực '{value}' không có trong trang LinhVuc; "
                         "áp dụng thời hạn mặc định"),
    "department_unknown": ("Đơn vị '{value}' không có trong trang DonVi; "
                           "tính vào nhóm chưa xác định đơn vị"),
    "responded_before_received": "Ngày trả lời '{value}' trước Ngày tiếp nhận",
    "answered_without_date": ("Trạng thái '{value}' là đã trả lời nhưng Ngày trả lời để trống; "
                              "phản ánh vẫn tính là chưa trả lời"),
    "status_unknown": ("Trạng thái '{value}' không thuộc danh mục; đã trả lời hay chưa "
                       "căn cứ vào Ngày trả lời"),
    "rating_unknown": "Đánh giá '{value}' không phải 'Hài lòng' hoặc 'Chưa hài lòng'",
    "task_id_blank": "Thiếu mã nhiệm vụ; dòng bị loại",
    "task_id_duplicate": "Mã nhiệm vụ {value} trùng với một dòng phía trên; giữ dòng đầu tiên, "
                         "loại dòng này",
    "content_blank": "Nội dung nhiệm vụ để trống; dòng bị loại",
    "progress_unreadable": "Tiến độ '{value}' không đọc được (ghi 60, 60% hoặc 0,6)",
    "progress_out_of_range": "Tiến độ '{value}' nằm ngoài khoảng 0-100%; không dùng",
    "support_unknown": "Có đơn vị phối hợp trong '{value}' không có trong trang DonVi",
    "post_date_blank": "Thiếu ngày đăng; dòng bị loại",
    "post_date_unreadable": "Ngày đăng '{value}' không đọc được (ghi dd/mm/yyyy); dòng bị loại",
}
