"""Sources: fetch raw cells (one request for a remote sheet), keep a fingerprint.

`open_source(spec)` picks the reader from the spec:
- a path to `.xlsx`/`.xlsm`, `.ods` or `.xls` -> local workbook (read.sources.local)
- a path to a folder -> CSV files, one per tab (read.sources.csvfolder)
- `gsheet:<key>` or a `https://docs.google.com/spreadsheets/...` URL -> Google Sheet
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wardbrief.paths import is_gsheet_spec
from wardbrief.read.sources.base import RawWorkbook, SourceError, fingerprint_tabs
from wardbrief.read.sources.csvfolder import read_csv_folder
from wardbrief.read.sources.local import WORKBOOK_SUFFIXES, read_workbook_file

__all__ = ["RawWorkbook", "SourceError", "fingerprint_tabs", "is_gsheet_spec", "open_source"]


def open_source(spec: str | Path, **options: Any) -> RawWorkbook:
    """Read the source named by `spec`. Options go to remote sources (e.g. allow_stale)."""
    text = str(spec)
    if is_gsheet_spec(text):
        from wardbrief.read.sources.gsheet import open_gsheet

        return open_gsheet(text, **options)
    path = Path(text).expanduser()
    if path.is_dir():
        return read_csv_folder(path)
    if not path.exists():
        raise SourceError(f"Không tìm thấy nguồn dữ liệu / source not found: {path}")
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        return read_workbook_file(path)
    hint_vi, hint_en = "", ""
    if path.suffix.lower() == ".csv":
        hint_vi = f" Với tệp CSV, hãy chỉ thư mục chứa chúng: {path.parent}."
        hint_en = f" For CSV files, give the folder that holds them: {path.parent}."
    raise SourceError(
        f"Không đọc được nguồn {path}: chỉ nhận bảng tính .xlsx, .xlsm, .ods, .xls, một thư "
        f"mục các tệp CSV, hoặc gsheet:<mã bảng tính>.{hint_vi} / {path} is not a supported "
        "source: give an .xlsx, .xlsm, .ods or .xls workbook, a folder of CSV files, or "
        f"gsheet:<spreadsheet key>.{hint_en}"
    )
