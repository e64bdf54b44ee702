"""Sources: fetch raw cells (one request for a remote sheet), keep a fingerprint.

`open_source(spec)` picks the reader from the spec:
- a path to `.xlsx`/`.xlsm` -> local workbook
- a path to a folder -> CSV files, one per tab
- `gsheet:<key>` or a `https://docs.google.com/spreadsheets/...` URL -> Google Sheet
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wardbrief.paths import is_gsheet_spec
from wardbrief.read.sources.base import RawWorkbook, SourceError, fingerprint_tabs
from wardbrief.read.sources.local import XLSX_SUFFIXES, read_csv_folder, read_xlsx

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
    if path.suffix.lower() in XLSX_SUFFIXES:
        return read_xlsx(path)
    raise SourceError(
        f"{path} is not a supported source: give an .xlsx workbook, a folder of CSV files, "
        "or gsheet:<spreadsheet key>"
    )
