"""What a data issue says to the staff who keep the sheet (Vietnamese).

One template per kind of issue; `{value}` is the cell as typed (masked and cut to
VALUE_LIMIT characters by read.tables.issue_text), other fields are named where the
issue is raised (read.contract).

The bounds of the numbers read from the sheet are declared here, beside the messages
that state them: a value outside them is not used (the default applies) and a warning
names the cell.
"""

from __future__ import annotations

from wardbrief.read.issues import DataIssue

LIMIT_DAYS = (1, 365)  # LinhVuc `Thời hạn`, CauHinh `Thời hạn mặc định` (working days)
DUE_SOON_DAYS = (0, 60)  # CauHinh `Sắp đến hạn` (working days)
TARGET_PERCENT = (0, 100)  # CauHinh `Chỉ tiêu đúng hạn`
MONTHLY_TARGET = (0, 10_000)  # ChiTieu `Số tin bài/tháng`
VALUE_LIMIT = 80  # characters of a cell quoted into a message

ISSUE_MESSAGES: dict[str, str] = {
    "tab_duplicate": "Bỏ qua trang tính '{value}': trang '{first}' đã được dùng làm {tab}",
    "column_duplicate": "Cột '{value}' trùng với cột {label}; chỉ dùng cột đầu tiên",
    "tab_missing": ("Thiếu trang tính bắt buộc {tab}: thêm một trang tên {tab} (hoặc đổi tên "
                    "trang đang có cho đúng)"),
    "tab_missing_near": ("Thiếu trang tính bắt buộc {tab}; trang '{value}' có tên gần giống: nếu "
                         "đó là trang {tab}, đổi tên trang thành '{tab}'"),
    "tab_near": ("Trang tính '{value}' có tên gần giống {tab} nhưng không được đọc là {tab}; "
                 "nếu đây là trang {tab}, đổi tên trang thành '{tab}'"),
    "month_first": ("Cột '{header}' có {count} ngày chỉ đọc được theo kiểu tháng/ngày/năm "
                    "(ví dụ '{value}' ở ô {cell}): có lẽ cột được nhập với cài đặt Mỹ. Những "
                    "ngày đó không đọc được, và những ngày có số ngày từ 12 trở xuống có thể "
                    "đã bị đảo ngày với tháng; sửa cả cột thành dd/mm/yyyy"),
    "month_first_notice": ("Trang {tab}, cột {header}: {count} ngày ghi theo kiểu tháng/ngày/năm "
                           "(ví dụ {value} ở ô {cell}); các ngày trong cột này có thể bị đọc sai "
                           "cho đến khi sửa thành dd/mm/yyyy."),
    # the period of a report begins before the sheet's first case (figures.periods)
    "partial_period_notice": ("Số liệu của kỳ báo cáo này tính từ ngày {first}, ngày tiếp nhận "
                              "phản ánh, kiến nghị đầu tiên trong bảng tính; trước ngày đó bảng "
                              "tính chưa có dữ liệu."),
    "demo_notice": ("DỮ LIỆU MẪU: số liệu trong văn bản này lấy từ bảng tính mẫu tổng hợp, "
                    "không phải số liệu thật của phường."),
    "column_missing": ("Trang '{tab}' không có cột '{label}' ở dòng tiêu đề {row}, nên không "
                       "đọc được dòng nào; thêm cột hoặc đổi tên tiêu đề thành một trong: "
                       "{accepted}"),
    "column_vital": ("Trang '{tab}' không có cột '{label}' ở dòng tiêu đề {row}: thiếu cột "
                     "này thì số liệu sai; thêm cột hoặc đổi tên tiêu đề thành một trong: "
                     "{accepted}"),
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
    "cutoff_invalid": ("Ngày chốt số liệu '{value}' không phải ngày từ 1 đến 28 hoặc "
                       "'cuối tháng'; dùng ngày {default}"),
    "day_blank": "Ngày để trống; bỏ qua dòng này",
    "day_unreadable": "Ngày '{value}' không đọc được (ghi dd/mm/yyyy); bỏ qua dòng này",
    "day_kind_invalid": "Loại '{value}' không phải 'Nghỉ' hoặc 'Làm bù'; bỏ qua dòng này",
    "monthly_target_invalid": (f"Số tin bài/tháng '{{value}}' không phải số từ "
                               f"{MONTHLY_TARGET[0]} đến {MONTHLY_TARGET[1]:,}; "
                               "bỏ qua dòng này").replace(",", "."),
    "date_unreadable": "Ngày '{value}' không đọc được (ghi dd/mm/yyyy); coi như để trống",
    "case_id_blank": "Thiếu mã phản ánh; dòng bị loại",
    "case_id_duplicate": ("Mã phản ánh {value} trùng với dòng {first_row}; giữ dòng {first_row}, "
                          "loại dòng này"),
    "received_blank": "Thiếu ngày tiếp nhận; dòng bị loại",
    "received_unreadable": "Ngày tiếp nhận '{value}' không đọc được (ghi dd/mm/yyyy); dòng bị loại",
    "category_unknown": ("Lĩnh vực '{value}' không có trong trang {LinhVuc}; "
                         "áp dụng thời hạn mặc định"),
    "department_unknown": ("Đơn vị '{value}' không có trong trang {DonVi}; "
                           "tính vào nhóm chưa xác định đơn vị"),
    "responded_before_received": "Ngày trả lời '{value}' trước Ngày tiếp nhận",
    "answered_without_date": ("Trạng thái '{value}' là đã trả lời nhưng Ngày trả lời để trống; "
                              "phản ánh vẫn tính là chưa trả lời"),
    "status_unknown": ("Trạng thái '{value}' không thuộc danh mục; đã trả lời hay chưa "
                       "căn cứ vào Ngày trả lời"),
    "rating_unknown": "Đánh giá '{value}' không phải 'Hài lòng' hoặc 'Chưa hài lòng'",
    "task_id_blank": "Thiếu mã nhiệm vụ; dòng bị loại",
    "task_id_duplicate": ("Mã nhiệm vụ {value} trùng với dòng {first_row}; giữ dòng {first_row}, "
                          "loại dòng này"),
    "content_blank": "Nội dung nhiệm vụ để trống; dòng bị loại",
    "progress_unreadable": "Tiến độ '{value}' không đọc được (ghi 60, 60% hoặc 0,6)",
    "progress_out_of_range": "Tiến độ '{value}' nằm ngoài khoảng 0-100%; không dùng",
    "support_unknown": "Có đơn vị phối hợp trong '{value}' không có trong trang {DonVi}",
    "post_date_blank": "Thiếu ngày đăng; dòng bị loại",
    "post_date_unreadable": "Ngày đăng '{value}' không đọc được (ghi dd/mm/yyyy); dòng bị loại",
}


def refusal_line(blocking: list[DataIssue], missing_tabs: list[str]) -> str:
    """One line for the person at the desk when a workbook is not briefed (see
    Workbook.blocking_issues): the first blocking problem, where it is and how to fix it,
    in Vietnamese, then in English; how many more there are."""
    first = blocking[0]
    tab = first.sheet_title or first.sheet
    if first.column is not None:  # a column a tab cannot be read without
        english = (f"tab '{tab}' has no column '{first.column}' in its header row "
                   f"{first.row}: add the column or rename its header to '{first.column}'")
    elif first.sheet in missing_tabs and first.sheet_title:  # a tab with a near title
        english = (f"the workbook has no tab '{first.sheet}': if the tab '{first.sheet_title}' "
                   f"is that one, rename it to '{first.sheet}'")
    elif first.sheet in missing_tabs:
        english = (f"the workbook has no tab '{first.sheet}': add it, or rename the tab "
                   f"that holds it to '{first.sheet}'")
    else:  # a problem of the source itself (no row)
        english = f"'{tab}': the source cannot give true figures; fix it as said above"
    more = len(blocking) - 1
    more_en = f" ({more} more such errors)" if more else ""
    return (f"KHÔNG LẬP BÁO CÁO: {refusal_reason(blocking)}. / "
            f"NOT BRIEFED: {english}{more_en}.")


def refusal_reason(blocking: list[DataIssue]) -> str:
    """Why a workbook is not briefed, in Vietnamese: the first blocking problem and how
    many more there are (the office's notice says it in its own sentence)."""
    more = len(blocking) - 1
    return blocking[0].message + (f" (và {more} lỗi khác như vậy)" if more else "")
