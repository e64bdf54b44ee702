"""Local sources: an .xlsx workbook, or a folder of CSV files (one file per tab)."""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from pathlib import Path

import pandas as pd

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
    """Each `<tab>.csv` in the folder is one tab (UTF-8, with or without BOM).

    Columns are read as pandas categoricals: a column's repeated values (dates,
    departments, statuses) are stored once, so a million cases stay small in memory."""
    files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv")
    if not files:
        raise SourceError(f"{path} holds no .csv files (one file per tab is expected)")
    tabs: dict[str, Rows | pd.DataFrame] = {}
    for file in files:
        try:
            tabs[file.stem] = _read_csv(file)
        except UnicodeDecodeError as exc:
            raise SourceError(f"{file} is not UTF-8 text: save it as 'CSV UTF-8'") from exc
    return RawWorkbook(kind="csv", location=str(path), tabs=tabs)


def _read_csv(file: Path) -> pd.DataFrame:
    """Every cell as text; each column then kept as a categorical."""
    with file.open(encoding="utf-8-sig", newline="") as handle:
        first = next(csv.reader(handle), [])
    try:
        return _read_csv_as_categories(file, len(first))
    except pd.errors.ParserError:  # a later row is wider than the first: count first
        with file.open(encoding="utf-8-sig", newline="") as handle:
            width = max((len(row) for row in csv.reader(handle)), default=0)
        return _read_csv_as_categories(file, width)


def _read_csv_as_categories(file: Path, width: int) -> pd.DataFrame:
    if width == 0:
        return pd.DataFrame()
    frame = pd.read_csv(file, header=None, names=range(width), dtype=object,
                        keep_default_na=False, na_filter=False, encoding="utf-8-sig",
                        skip_blank_lines=False)
    for col in frame.columns:
        codes, uniques = pd.factorize(frame[col].to_numpy(), use_na_sentinel=True)
        frame[col] = pd.Categorical.from_codes(codes, categories=uniques)
    return frame
