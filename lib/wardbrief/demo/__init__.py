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
some late, some are still open and overdue, some are returned. A seed gives the same
cells every time; `messy=True` then types some cells the way staff do (`messy`).

`write(workbook, out)` writes `out.xlsx` (real date cells), or, for any other path, a
folder with one `<tab>.csv` per tab (`files`).
"""

from wardbrief.demo.cells import (
    DEFAULT_AS_OF,
    DEFAULT_SEED,
    SNAPSHOT_LAG_DAYS,
    WINDOW_DAYS,
    Column,
    DemoWorkbook,
    Tab,
    from_serial,
    serial,
)
from wardbrief.demo.files import csv_file_names, is_xlsx_path, write, write_csv_folder, write_xlsx
from wardbrief.demo.generate import generate
from wardbrief.demo.messy import make_messy

__all__ = ["DEFAULT_AS_OF", "DEFAULT_SEED", "SNAPSHOT_LAG_DAYS", "WINDOW_DAYS", "Column",
           "DemoWorkbook", "Tab", "csv_file_names", "from_serial", "generate", "is_xlsx_path",
           "make_messy", "serial", "write", "write_csv_folder", "write_xlsx"]
