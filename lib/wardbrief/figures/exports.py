"""The one place that defines the exported tables (CSV twins of metrics.json, the
`Tổng hợp` tab): which fields, in which order, under which Vietnamese header."""

from __future__ import annotations

DEPARTMENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", "Mã đơn vị"),
    ("name", "Tên đơn vị"),
    ("head", "Thủ trưởng"),
    ("received", "Tiếp nhận trong kỳ"),
    ("returned", "Trả lại / không thuộc thẩm quyền"),
    ("resolved", "Đã xử lý, trả lời trong kỳ"),
    ("resolved_on_time", "Xử lý đúng hạn"),
    ("resolved_late", "Xử lý quá hạn"),
    ("open", "Đang xử lý"),
    ("open_overdue", "Chưa trả lời, đã quá hạn"),
    ("open_due_soon", "Sắp đến hạn"),
    ("on_time_rate", "Tỷ lệ xử lý đúng hạn"),
    ("compliance_rate", "Tỷ lệ tuân thủ thời hạn"),
    ("rated", "Số được đánh giá"),
    ("satisfied", "Hài lòng"),
)

ACCOUNTABILITY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("kind", "Loại"),
    ("case_id", "Mã phản ánh"),
    ("department", "Mã đơn vị"),
    ("department_name", "Đơn vị xử lý"),
    ("head", "Thủ trưởng đơn vị"),
    ("received", "Ngày tiếp nhận"),
    ("due", "Hạn xử lý"),
    ("responded", "Ngày trả lời"),
    ("working_days_late", "Số ngày làm việc quá hạn"),
    ("summary", "Nội dung (tóm tắt)"),
)
ACCOUNTABILITY_KINDS = {"overdue": "Chưa trả lời, quá hạn", "late": "Trả lời quá hạn"}

TASK_COLUMNS: tuple[tuple[str, str], ...] = (
    ("task_id", "Mã nhiệm vụ"),
    ("content", "Nội dung"),
    ("group", "Nhóm"),
    ("lead", "Đơn vị chủ trì"),
    ("due", "Hạn hoàn thành"),
    ("completed", "Ngày hoàn thành"),
    ("progress", "Tiến độ (%)"),
    ("bucket", "Tình trạng"),
    ("blocked", "Vướng mắc"),
)

ISSUE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("severity", "Mức độ"),
    ("sheet", "Trang tính"),
    ("row", "Dòng"),
    ("column", "Cột"),
    ("message", "Nội dung lỗi"),
    ("link", "Liên kết"),
)
