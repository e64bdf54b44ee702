"""Local sources: an .xlsx workbook, or a folder of CSV files (one file per tab)."""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from pathlib import Path

from .base import RawWorkbook, Rows, SourceError

XLSX_SUFFIXES = {".xlsx", ".xlsm"}


def _clean(cell: object) -> object:
    """Blank strings become None; a time-of-day cell without a date stays as text."""
    if isinstance(cell, str):
        return cell if cell.strip() else None
    if isinstance(cell, dt.time):
        return cell.isoformat()
    return cell


def read_xlsx(path: Path) -> RawWorkbook:
    """Read every tab with openpyxl in read-only mode.

    Chosen by measurement (bench/xlsx_readers.py): python-calamine is faster but
    turns an error cell such as `#VALUE!` into an empty string, so a cell staff must
    fix would vanish silently; openpyxl keeps it as text. Date cells stay dates;
    numbers stay numbers; row i of the list is spreadsheet row i + 1.
    """
    import openpyxl

    if not path.exists():
        raise SourceError(f"Không tìm thấy tệp / file not found: {path}")
    if not zipfile.is_zipfile(path):
        raise SourceError(f"{path} is not an Excel workbook (.xlsx): it cannot be opened as one")
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several error types for broken files
        raise SourceError(f"{path} cannot be read as a workbook: {exc}") from exc
    try:
        tabs: dict[str, Rows] = {}
        for sheet in workbook.worksheets:
            rows = sheet.iter_rows(min_row=1, min_col=1, values_only=True)
            tabs[sheet.title] = [[_clean(c) for c in row] for row in rows]
    finally:
        workbook.close()
    return RawWorkbook(kind="xlsx", location=str(path), tabs=tabs)


def read_csv_folder(path: Path) -> RawWorkbook:
    """Each `<tab>.csv` in the folder is one tab (UTF-8, with or without BOM)."""
    files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv")
    if not files:
        raise SourceError(f"{path} holds no .csv files (one file per tab is expected)")
    tabs: dict[str, Rows] = {}
    for file in files:
        try:
            with file.open(encoding="utf-8-sig", newline="") as handle:
                tabs[file.stem] = [[_clean(c) for c in row] for row in csv.reader(handle)]
        except UnicodeDecodeError as exc:
            raise SourceError(f"{file} is not UTF-8 text: save it as 'CSV UTF-8'") from exc
    return RawWorkbook(kind="csv", location=str(path), tabs=tabs)
