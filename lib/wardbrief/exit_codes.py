"""The exit codes of every `wardbrief` command, declared once (README and
docs/WORKBOOK.md list them; a test checks the list is documented)."""

from __future__ import annotations

EXIT_OK = 0
EXIT_DATA_ERRORS = 1  # rows rejected, the workbook cannot be briefed, or a report failed
EXIT_SOURCE = 2  # the source cannot be read (file, folder, Google Sheet)
EXIT_LOCKED = 3  # another run holds outputs/.lock

EXIT_CODES: tuple[tuple[int, str, str], ...] = (
    (EXIT_OK, "mọi việc đã xong, không có lỗi dữ liệu", "done, no data errors"),
    (EXIT_DATA_ERRORS, ("có lỗi dữ liệu (dòng bị loại), bảng tính không đủ để báo cáo, "
     "hoặc một báo cáo không lập được"),
     "data errors (rows rejected), the workbook cannot be briefed, or a report failed"),
    (EXIT_SOURCE, "không đọc được nguồn dữ liệu (tệp, thư mục, Google Sheet)",
     "the source cannot be read (file, folder, Google Sheet)"),
    (EXIT_LOCKED, "một lần chạy khác đang giữ outputs/.lock", "another run holds outputs/.lock"),
)
