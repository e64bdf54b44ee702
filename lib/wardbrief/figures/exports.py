"""The one registry of exported columns: key, Vietnamese header, format.

The CSV twins of metrics.json (figures.metrics_files.csv_tables), the `Tổng hợp`, `Theo dõi`
and `Lỗi dữ liệu` tabs (publish.sheet_writeback) and the PDF tables (briefings.labels) all take their columns
from here, so a header reads the same in every output.

Formats: `text`, `count` (integer), `rate` (0..1, shown as 93,1%), `date` (YYYY-MM-DD in
data and in the CSV files, a date cell shown dd/mm/yyyy in a spreadsheet), `days` (working
days, a number), `percent` (0..100).

What staff read in a file is `shown(column, item)`: a code as its Vietnamese word (`words`),
a blank cell as its `fallback` key's value (the contract's tab name when the sheet's own
title is not known), a whole number without `.0`. Every column appears once in a table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple


class ExportColumn(NamedTuple):
    key: str
    header: str
    format: str = "text"
    words: Mapping[Any, str] | None = None  # code -> the word staff read
    fallback: str | None = None  # the key shown when `key` is blank


def _cols(*spec: tuple[Any, ...]) -> tuple[ExportColumn, ...]:
    return tuple(ExportColumn(*s) for s in spec)


# The words of the codes metrics.json keeps (the briefings' labels take them from here).
TASK_BUCKET_WORDS: dict[str, str] = {
    "done_on_time": "Hoàn thành đúng hạn",
    "done_late": "Hoàn thành quá hạn",
    "in_progress": "Đang thực hiện trong hạn",
    "overdue": "Quá hạn chưa hoàn thành",
}
STATE_WORDS: dict[str, str] = {  # open_cases / open_tasks `state`
    "overdue": "quá hạn",
    "due_soon": "sắp đến hạn",
    "on_track": "trong hạn",
    "no_deadline": "không thời hạn",
}
SEVERITY_WORDS: dict[str, str] = {"error": "lỗi", "warning": "cảnh báo", "info": "thông tin"}
YES_NO: dict[bool, str] = {True: "Có", False: "Không"}


def shown(column: ExportColumn, item: Mapping[str, Any]) -> Any:
    """The value of `column` in `item` as staff read it in a file (see the docstring)."""
    value = item.get(column.key)
    if (value is None or value == "") and column.fallback:
        value = item.get(column.fallback)
    if column.words is not None and isinstance(value, (str, bool)):
        return column.words.get(value, value)
    if isinstance(value, float) and value.is_integer() and column.format in (
            "count", "percent", "days"):
        return int(value)
    return value


DEPARTMENT_COLUMNS = _cols(
    ("code", "Mã đơn vị"),
    ("name", "Tên đơn vị"),
    ("head", "Thủ trưởng"),
    ("received", "Tiếp nhận trong kỳ", "count"),
    ("returned", "Trả lại / không thuộc thẩm quyền", "count"),
    ("resolved", "Đã xử lý, trả lời trong kỳ", "count"),
    ("resolved_on_time", "Xử lý đúng hạn", "count"),
    ("resolved_late", "Xử lý quá hạn", "count"),
    ("open", "Đang xử lý", "count"),
    ("open_overdue", "Chưa trả lời, đã quá hạn", "count"),
    ("open_due_soon", "Sắp đến hạn", "count"),
    ("on_time_rate", "Tỷ lệ xử lý đúng hạn", "rate"),
    ("compliance_rate", "Tỷ lệ tuân thủ thời hạn", "rate"),
    ("avg_working_days", "Số ngày làm việc xử lý bình quân", "days"),
    ("rated", "Số được đánh giá", "count"),
    ("satisfied", "Hài lòng", "count"),
)
# Shown in the PDF department table beside the CSV columns (not in the CSV).
RANK_COLUMN = ExportColumn("rank", "Xếp hạng", "count")

ACCOUNTABILITY_COLUMNS = _cols(
    ("kind", "Loại"),
    ("case_id", "Mã phản ánh"),
    ("department", "Mã đơn vị"),
    ("department_name", "Đơn vị xử lý"),
    ("head", "Thủ trưởng đơn vị"),
    ("received", "Ngày tiếp nhận", "date"),
    ("due", "Hạn xử lý", "date"),
    ("responded", "Ngày trả lời", "date"),
    ("working_days_late", "Số ngày làm việc quá hạn", "days"),
    ("summary", "Nội dung (tóm tắt)"),
)
ACCOUNTABILITY_KINDS = {"overdue": "Chưa trả lời, quá hạn", "late": "Trả lời quá hạn"}

TASK_COLUMNS = _cols(
    ("task_id", "Mã nhiệm vụ"),
    ("content", "Nội dung"),
    ("group", "Nhóm"),
    ("lead", "Đơn vị chủ trì"),
    ("due", "Hạn hoàn thành", "date"),
    ("completed", "Ngày hoàn thành", "date"),
    ("progress", "Tiến độ (%)", "percent"),
    ("bucket", "Tình trạng", "text", TASK_BUCKET_WORDS),
    ("blocked", "Vướng mắc", "text", YES_NO),
)

# Shown in the PDF task table beside the CSV columns (the sheet's own Trạng thái text).
TASK_NOTE_COLUMN = ExportColumn("status", "Ghi chú")

# Tab and column as the sheet has them (its own titles and headers), the contract's names
# only where the sheet has none (a missing tab).
ISSUE_COLUMNS = _cols(
    ("severity", "Mức độ", "text", SEVERITY_WORDS),
    ("sheet_title", "Trang tính", "text", None, "sheet"),
    ("row", "Dòng", "count"),
    ("cell", "Ô"),
    ("header", "Cột", "text", None, "column"),
    ("message", "Nội dung lỗi"),
    ("link", "Liên kết"),
)

# The `Theo dõi` tab (sheet publish) and theo-doi.xlsx: metrics `open_cases`, `open_tasks`.
OPEN_CASE_COLUMNS = _cols(
    ("case_id", "Mã phản ánh"),
    ("department", "Đơn vị xử lý"),
    ("received", "Ngày tiếp nhận", "date"),
    ("due", "Hạn xử lý", "date"),
    ("working_days_left", "Số ngày làm việc còn lại (âm: quá hạn)", "days"),
    ("state", "Tình trạng", "text", STATE_WORDS),
)
OPEN_TASK_COLUMNS = _cols(
    ("task_id", "Mã nhiệm vụ"),
    ("content", "Nội dung"),
    ("basis", "Căn cứ"),
    ("lead", "Đơn vị chủ trì"),
    ("due", "Hạn hoàn thành", "date"),
    ("working_days_left", "Số ngày làm việc còn lại (âm: quá hạn)", "days"),
    ("state", "Tình trạng", "text", STATE_WORDS),
)

TABLES: dict[str, tuple[ExportColumn, ...]] = {
    "departments.csv": DEPARTMENT_COLUMNS,
    "accountability.csv": ACCOUNTABILITY_COLUMNS,
    "tasks.csv": TASK_COLUMNS,
    "data_issues.csv": ISSUE_COLUMNS,
}


def header(columns: tuple[ExportColumn, ...], key: str) -> str:
    """The header of `key` in a table (KeyError for a key the table does not export)."""
    for column in columns:
        if column.key == key:
            return column.header
    raise KeyError(f"no exported column {key!r}")


def headers(columns: tuple[ExportColumn, ...], *keys: str) -> dict[str, str]:
    """key -> header for `keys` (all of the table's columns when none are given)."""
    return {k: header(columns, k) for k in (keys or [c.key for c in columns])}
