"""Local sources: an .xlsx workbook, or a folder of CSV files (one file per tab)."""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd

from wardbrief.read.sources.base import RawWorkbook, Rows, SourceError

XLSX_SUFFIXES = {".xlsx", ".xlsm"}


def _clean(cell: object) -> object:
    """Blank strings become None; a time-of-day cell without a date stays as text."""
    if isinstance(cell, str):
        return cell if cell.strip() else None
    if isinstance(cell, dt.time):
        return cell.isoformat()
    return cell


def read_xlsx(path: Path) -> RawWorkbook:
    """Read every tab with python-calamine, then put back the error cells it empties.

    Chosen by measurement (bench/xlsx_readers.py): calamine reads 12-15x faster than
    openpyxl read-only, but turns an error cell such as `#VALUE!` into an empty string,
    so a cell staff must fix would vanish silently; `_error_cells` finds those cells in
    the sheet XML and restores their text. Date cells stay dates; numbers stay numbers;
    row i of the list is spreadsheet row i + 1.
    """
    from python_calamine import CalamineWorkbook

    if not path.exists():
        raise SourceError(f"Không tìm thấy tệp / file not found: {path}")
    if not zipfile.is_zipfile(path):
        raise SourceError(f"{path} is not an Excel workbook (.xlsx): it cannot be opened as one")
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        tabs: dict[str, Rows] = {}
        for name in workbook.sheet_names:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            tabs[name] = [[_clean(c) for c in row] for row in rows]
        errors = _error_cells(path)
    except SourceError:
        raise
    except Exception as exc:  # calamine and zipfile raise several error types
        raise SourceError(f"{path} cannot be read as a workbook: {exc}") from exc
    for name, cells in errors.items():
        rows = tabs.setdefault(name, [])
        for (row, col), text in cells.items():
            while len(rows) < row:
                rows.append([])
            line = rows[row - 1]
            line.extend([None] * (col - len(line)))
            line[col - 1] = text
    return RawWorkbook(kind="xlsx", location=str(path), tabs=tabs)


_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}
_ERROR_CELL = re.compile(rb'<c r="([A-Z]+)([0-9]+)"[^>]*?\bt="e"[^>]*>(?:<f[^>]*>.*?</f>|<f/>)?'
                         rb"<v>([^<]*)</v>", re.DOTALL)


def _error_cells(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """{tab title: {(row, column): '#VALUE!'}} for every error cell of the workbook."""
    found: dict[str, dict[tuple[int, int], str]] = {}
    with zipfile.ZipFile(path) as archive:
        targets = _sheet_files(archive)
        for title, member in targets.items():
            try:
                data = archive.read(member)
            except KeyError:
                continue
            if b't="e"' not in data:
                continue
            cells = {(int(row), _column_number(col.decode())): value.decode("utf-8")
                     for col, row, value in _ERROR_CELL.findall(data)}
            if cells:
                found[title] = cells
    return found


def _sheet_files(archive: zipfile.ZipFile) -> dict[str, str]:
    """Tab title -> the member holding its XML, from workbook.xml and its relationships."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target", "") for r in rels.findall("rel:Relationship", _NS)}
    files = {}
    for sheet in book.findall("m:sheets/m:sheet", _NS):
        ref = target.get(sheet.get(f"{{{_NS['r']}}}id"), "")
        files[sheet.get("name")] = ref.lstrip("/") if ref.startswith("/") else f"xl/{ref}"
    return files


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


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
