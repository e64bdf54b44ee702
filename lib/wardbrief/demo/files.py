"""Writing a synthetic workbook: `out.xlsx` with openpyxl (real date cells, reproducible
bytes) or a folder of CSV files (UTF-8 with BOM, dates dd/mm/yyyy)."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from wardbrief.demo.cells import (
    BLANK,
    SNAPSHOT_LAG_DAYS,
    Column,
    DemoWorkbook,
    Tab,
    _cat,
    _text,
    from_serial,
)
from wardbrief.demo.messy import (
    MESSY_TITLES,
    NOTES_TAB,
)
from wardbrief.read.schema import TABS

LONG_TEXT_HEADERS = {"Nội dung", "Tên đơn vị", "Tên gọi khác", "Tiêu đề", "Ghi chú"}

def _date_lookup(values: np.ndarray, make: Any) -> np.ndarray:
    """Cells for serial-number values through a table over the distinct range."""
    out = np.full(len(values), None, dtype=object)
    present = values != BLANK
    if present.any():
        lo, hi = int(values[present].min()), int(values[present].max())
        table = _text([make(from_serial(d)) for d in range(lo, hi + 1)])
        out[present] = table[values[present] - lo]
    return out


def _column_cells(col: Column, as_objects: bool, rows: slice = slice(None)) -> np.ndarray:
    """Cells of a column (or of `rows` of it): Python objects for a workbook (dates as
    dt.date), or text for CSV (dates dd/mm/yyyy, blanks empty). A CSV file has no
    numeric cells, so a date typed as a serial number in the workbook is written as
    dd/mm/yyyy there."""
    values = col.values[rows]
    if col.kind == "date":
        cells = _date_lookup(values, (lambda d: d) if as_objects
                             else (lambda d: d.strftime("%d/%m/%Y")))
    else:
        cells = values.copy()
    if col.override is not None:
        override = col.override[rows]
        typed = np.not_equal(override, None)
        if not as_objects and col.kind == "date":
            typed &= np.array([isinstance(v, str) for v in override], dtype=bool)
        cells[typed] = override[typed]
    if not as_objects:
        cells[np.equal(cells, None)] = ""
    return cells


def tab_rows(tab: Tab, as_objects: bool) -> list[list[Any]]:
    columns = [_column_cells(c, as_objects) for c in tab.columns]
    rows = [list(r) for r in zip(*columns)]
    blank: list[Any] = [None] * len(tab.columns)
    for pos in sorted(tab.blank_rows_before, reverse=True):
        rows.insert(pos, list(blank))
    return [list(blank)] * tab.blank_rows_above_header + [[c.header for c in tab.columns]] + rows


def write_csv_folder(workbook: DemoWorkbook, folder: Path) -> list[Path]:
    """One `<tab>.csv` per tab, UTF-8 with BOM, `\\n` line ends, dates dd/mm/yyyy.

    Lines are assembled column-wise (`_csv_fields`, then `str.join` over the rows in
    C), a chunk of rows at a time: for a million cases this is several times faster than
    `DataFrame.to_csv`, which spends its time converting and checking every cell
    (bench/metrics_scale.py reports the time). The quoting is the csv module's:
    a field holding a comma, a quote or a line break is quoted."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for tab in workbook.tabs:
        header = ",".join(_csv_fields(_text([c.header for c in tab.columns])))
        blank_line = "," * (len(tab.columns) - 1)
        path = folder / f"{tab.title}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            handle.write((blank_line + "\n") * tab.blank_rows_above_header + header + "\n")
            bounds = [0, *tab.blank_rows_before, tab.n_rows]
            for piece, (lo, hi) in enumerate(itertools.pairwise(bounds)):
                if piece:
                    handle.write(blank_line + "\n")
                for first in range(lo, hi, CSV_CHUNK_ROWS):
                    rows = slice(first, min(first + CSV_CHUNK_ROWS, hi))
                    fields = [_csv_fields(_column_cells(c, False, rows)) for c in tab.columns]
                    handle.write("\n".join(map(",".join, zip(*fields))) + "\n")
        written.append(path)
    return written


CSV_CHUNK_ROWS = 100_000
_CSV_SPECIAL = (",", '"', "\n", "\r")


def _csv_fields(cells: np.ndarray) -> np.ndarray:
    """Text cells as CSV fields. The cells are checked as one joined string; when one
    holds a comma every non-empty field is quoted, when one holds a quote or a line
    break they are quoted cell by cell (as the csv module does)."""
    try:
        joined = "".join(cells)
    except TypeError:  # numbers among the cells (small tabs, the STT column)
        cells = _text([c if isinstance(c, str) else str(c) for c in cells])
        joined = "".join(cells)
    if not any(ch in joined for ch in _CSV_SPECIAL):
        return cells
    if '"' in joined or "\n" in joined or "\r" in joined:
        return _text([_csv_quote(c) for c in cells])
    return np.where(cells != "", _cat('"', cells, '"'), cells)


def _csv_quote(cell: str) -> str:
    if any(ch in cell for ch in _CSV_SPECIAL):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def write_xlsx(workbook: DemoWorkbook, path: Path) -> Path:
    """A workbook with real date cells (shown dd/mm/yyyy), bold frozen headers.
    Written to a temporary file and renamed, so a reader never sees half a file."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for tab in workbook.tabs:
        sheet = book.create_sheet(tab.title)
        sheet.freeze_panes = f"A{tab.blank_rows_above_header + 2}"
        for i, col in enumerate(tab.columns, start=1):
            wide = col.header in LONG_TEXT_HEADERS
            sheet.column_dimensions[get_column_letter(i)].width = 60 if wide else 18
        for _ in range(tab.blank_rows_above_header):
            sheet.append([])
        header = []
        for col in tab.columns:
            cell = WriteOnlyCell(sheet, value=col.header)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        columns = [_column_cells(c, as_objects=True) for c in tab.columns]
        blank_before = set(tab.blank_rows_before)
        for r, row in enumerate(zip(*columns)):
            if r in blank_before:
                sheet.append([])
            sheet.append([_xlsx_cell(sheet, v, WriteOnlyCell) for v in row])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # same folder: rename is atomic
    try:
        book.save(tmp)
        stamp = dt.datetime.combine(workbook.as_of + dt.timedelta(days=SNAPSHOT_LAG_DAYS),
                                    dt.time())
        _make_reproducible(tmp, stamp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def _make_reproducible(path: Path, stamp: dt.datetime) -> None:
    """Fix what openpyxl takes from the clock (document dates, zip entry times), so the
    same workbook gives the same bytes: `make demo-data` leaves git with nothing to do."""
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + iso,
                              data)
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, data)


def _xlsx_cell(sheet: Any, value: Any, cell_type: Any) -> Any:
    if isinstance(value, dt.date):
        cell = cell_type(sheet, value=value)
        cell.number_format = "dd/mm/yyyy"
        return cell
    if isinstance(value, str) and value.startswith("="):
        cell = cell_type(sheet, value=value)
        cell.data_type = "s"  # text that looks like a formula stays text
        return cell
    return value


def is_xlsx_path(out: Path) -> bool:
    return out.suffix.lower() == ".xlsx"


def write(workbook: DemoWorkbook, out: Path) -> list[Path]:
    """`out.xlsx` -> one workbook; any other path -> a folder of CSV files."""
    if is_xlsx_path(out):
        return [write_xlsx(workbook, out)]
    return write_csv_folder(workbook, out)


TAB_TITLES = [tab.name for tab in TABS]


def csv_file_names(messy: bool = False) -> list[str]:
    """The files `write_csv_folder` writes for a clean or a messy workbook."""
    if not messy:
        return [f"{title}.csv" for title in TAB_TITLES]
    titles = [MESSY_TITLES.get(title, title) for title in TAB_TITLES] + [NOTES_TAB]
    return [f"{title}.csv" for title in titles]
