"""Local workbook files: .xlsx/.xlsm (Excel, Google download, OpenXML SDK), .ods
(LibreOffice) and .xls (Excel 97-2003). A folder of CSV files is `csvfolder`.

Cells are read with python-calamine (chosen by measurement, bench/xlsx_readers.py). Its
`to_python` gives an error cell such as `#VALUE!` as an empty string in all three
formats, so before calamine builds anything each file is scanned once, streaming:

- .xlsx: the sheet XML with `ElementTree.iterparse` (tags compared by local name, so
  `<x:c>` reads like `<c>`; a cell without `r=` stands right after the previous one, a
  row without `r=` right below the previous one; a formula's `<f t="shared" si="0"/>`
  is an element like any other, so one cell never gets another's value);
- .ods: `content.xml` the same way (repeated rows and columns counted; LibreOffice marks
  an error cell `calcext:value-type="error"`, with its text `#VALUE!` or `Err:502`);
- .xls: the BIFF records with xlrd (which keeps error cells as error codes).

The scan gives each tab's error cells (their text is put back where calamine left ''),
how many cells hold a value and how far the last one stands. The limits of
`base` (file size, declared uncompressed size, cells, rows, grid) are checked from it,
so neither a zip bomb nor a stray cell in column XFD makes calamine allocate a huge
grid: an .xlsx tab whose used rectangle is too large for a grid is read row by row with
openpyxl (each row only as long as its last cell), an .ods/.xls one is refused with
the cell to delete. Rows come back trimmed: no trailing blank cells or rows.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

from wardbrief.read.sources.base import (
    MAX_GRID_CELLS,
    RawWorkbook,
    Rows,
    SourceError,
    too_large,
)
from wardbrief.read.sources.csvfolder import read_csv_folder
from wardbrief.read.sources.scan import (
    Budget,
    TabScan,
    check_declared,
    check_file,
    local_name,
    scan_xlsx,
    unreadable,
)

__all__ = ["ODS_SUFFIXES", "WORKBOOK_SUFFIXES", "XLSX_SUFFIXES", "XLS_SUFFIXES",
           "read_csv_folder", "read_ods", "read_workbook_file", "read_xls", "read_xlsx"]

XLSX_SUFFIXES = {".xlsx", ".xlsm"}
ODS_SUFFIXES = {".ods"}
XLS_SUFFIXES = {".xls"}
WORKBOOK_SUFFIXES = XLSX_SUFFIXES | ODS_SUFFIXES | XLS_SUFFIXES




def read_xlsx(path: Path) -> RawWorkbook:
    """Read every tab of an .xlsx/.xlsm (see the module's docstring). Date cells stay
    dates, numbers numbers, an error cell is its text; row i of a tab is spreadsheet
    row i + 1."""
    path = Path(path)
    check_file(path)
    budget = Budget(str(path))
    try:
        scans = scan_xlsx(path, budget)
    except SourceError:
        raise
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError, OSError, EOFError) as exc:
        raise unreadable(path, "Excel (.xlsx)", exc) from exc
    sparse = {t for t, s in scans.items() if s.grid() > MAX_GRID_CELLS}
    tabs = _calamine_tabs(path, scans, skip=sparse, kind="Excel (.xlsx)")
    if sparse:
        tabs.update(_openpyxl_tabs(path, sparse))
        tabs = {t: tabs[t] for t in _calamine_order(path, tabs)}
    return RawWorkbook(kind="xlsx", location=str(path), tabs=tabs)


def _calamine_order(path: Path, tabs: dict[str, Rows]) -> list[str]:

    names = _open_calamine(path).sheet_names
    return [n for n in names if n in tabs] + [n for n in tabs if n not in names]


def _openpyxl_tabs(path: Path, titles: set[str]) -> dict[str, Rows]:
    """Tabs whose used rectangle is too large for a grid: row by row, each row as long as
    its last cell (openpyxl read-only with the declared dimension dropped)."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        out: dict[str, Rows] = {}
        for title in titles:
            sheet = book[title]
            sheet.reset_dimensions()
            rows: Rows = []
            for values in sheet.iter_rows(values_only=True):
                rows.append(_trim([_from_openpyxl(c) for c in values]))
            out[title] = _trim_rows(rows)
        return out
    finally:
        book.close()


def _from_openpyxl(cell: Any) -> Any:
    if isinstance(cell, dt.datetime) and cell.time() == dt.time(0):
        return cell.date()  # as calamine gives a date cell
    return _clean(cell)


# --------------------------------------------------------------------------------------
# calamine, shared by the three formats
# --------------------------------------------------------------------------------------
def _clean(cell: object) -> object:
    """Blank strings become None; a time-of-day cell without a date stays as text."""
    if isinstance(cell, str):
        return cell if cell.strip() else None
    if isinstance(cell, dt.time):
        return cell.isoformat()
    if isinstance(cell, dt.timedelta):
        return str(cell)
    return cell


_AS_IS = {int, float, bool, dt.date, dt.datetime}  # the cell types _clean leaves alone


def _clean_row(row: list[Any]) -> list[Any]:
    """[_clean(c) for c in row], text and the usual types without a call per cell."""
    return [(c if c.strip() else None) if type(c) is str
            else c if type(c) in _AS_IS else _clean(c) for c in row]


def _trim(row: list[Any]) -> list[Any]:
    end = len(row)
    while end and row[end - 1] is None:
        end -= 1
    return row if end == len(row) else row[:end]


def _trim_rows(rows: Rows) -> Rows:
    end = len(rows)
    while end and not rows[end - 1]:
        end -= 1
    del rows[end:]
    return rows


def _open_calamine(path: Path) -> Any:
    """calamine picks the format by extension; an .xlsx named .xls is opened by content."""
    from python_calamine import CalamineWorkbook

    with path.open("rb") as handle:
        zipped = handle.read(2) == b"PK"
    if zipped == (path.suffix.lower() not in XLS_SUFFIXES):
        return CalamineWorkbook.from_path(str(path))
    with path.open("rb") as handle:
        return CalamineWorkbook.from_filelike(handle)


def _calamine_tabs(path: Path, scans: dict[str, TabScan], *, skip: set[str],
                   kind: str) -> dict[str, Rows]:
    """Every tab but `skip` with calamine, error cells put back from the scan."""

    try:
        workbook = _open_calamine(path)
        tabs: dict[str, Rows] = {}
        for name in workbook.sheet_names:
            if name in skip:
                tabs[name] = []
                continue
            scan = scans.get(name)
            if scan is not None and scan.cells == 0 and not scan.errors:
                tabs[name] = []
                continue
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            tabs[name] = [_trim(_clean_row(row)) for row in rows]
    except Exception as exc:  # calamine raises several error types
        raise unreadable(path, kind, exc) from exc
    for name, scan in scans.items():
        if name in skip or not scan.errors:
            continue
        rows = tabs.setdefault(name, [])
        for (row, col), text in scan.errors.items():
            while len(rows) < row:
                rows.append([])
            line = rows[row - 1]
            if len(line) < col:
                line.extend([None] * (col - len(line)))
            if line[col - 1] is None:  # calamine gave '' where the file holds an error
                line[col - 1] = text
    return {name: _trim_rows(rows) for name, rows in tabs.items()}


def _refuse_sparse(path: Path, scans: dict[str, TabScan]) -> None:
    for title, scan in scans.items():
        if scan.grid() > MAX_GRID_CELLS:
            raise too_large(
                str(path),
                f"trang '{title}' có ô {scan.far_cell} nằm quá xa vùng dữ liệu; hãy xóa ô đó",
                f"tab '{title}' has cell {scan.far_cell} far outside its data; delete it")


# --------------------------------------------------------------------------------------
# .ods
# --------------------------------------------------------------------------------------
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
_T_NAME = f"{{{_TABLE}}}name"
_T_ROWS = f"{{{_TABLE}}}number-rows-repeated"
_T_COLS = f"{{{_TABLE}}}number-columns-repeated"
_T_FORMULA = f"{{{_TABLE}}}formula"
_O_TYPE = f"{{{_OFFICE}}}value-type"
_C_TYPE = f"{{{_CALCEXT}}}value-type"
_ERROR_TEXT = re.compile(r"^(#[A-Z0-9/_]+[!?]?|#N/A|Err:\d{3})$")
_MAX_REPEAT_ERRORS = 10_000  # error cells recorded for one repeated run of cells


def _repeat(element: ElementTree.Element, attribute: str) -> int:
    try:
        return max(1, int(element.get(attribute, "1")))
    except ValueError:
        return 1


def _ods_cell_text(element: ElementTree.Element) -> str:
    return "\n".join("".join(p.itertext()) for p in element if local_name(p.tag) == "p")


def scan_ods_content(stream: IO[bytes], budget: Budget) -> dict[str, TabScan]:
    """Stream content.xml: per table, error cells, cells holding a value, the extent."""
    scans: dict[str, TabScan] = {}
    scan = TabScan()
    title = ""
    row = 0  # rows before the current one
    row_repeat = 1
    col = 0  # columns before the current cell
    depth = 0  # table nesting (a sub-table's cells are not the tab's)
    current_row: ElementTree.Element | None = None
    for event, element in ElementTree.iterparse(stream, events=("start", "end")):
        tag = local_name(element.tag)
        if event == "start":
            if tag == "table":
                depth += 1
                if depth == 1:
                    title = element.get(_T_NAME, f"Sheet{len(scans) + 1}")
                    scan = scans[title] = TabScan()
                    row = 0
            elif tag == "table-row" and depth == 1:
                row_repeat = _repeat(element, _T_ROWS)
                col = 0
                current_row = element
            continue
        if depth != 1:
            if tag == "table":
                depth -= 1
            continue
        if tag in ("table-cell", "covered-table-cell") and current_row is not None:
            repeat = _repeat(element, _T_COLS)
            office_type = element.get(_O_TYPE)
            has_value = office_type is not None or any(
                local_name(p.tag) == "p" for p in element)
            if has_value:
                first_row, first_col = row + 1, col + 1
                last_row, last_col = row + row_repeat, col + repeat
                budget.cell(title, last_row, last_col, repeat * row_repeat)
                scan.add(last_row, last_col, repeat * row_repeat)
                error = element.get(_C_TYPE) == "error"
                if error or (element.get(_T_FORMULA) is not None
                             and office_type in (None, "string")):
                    text = _ods_cell_text(element).strip()
                    if error or _ERROR_TEXT.match(text):
                        recorded = 0
                        for r in range(first_row, last_row + 1):
                            for c in range(first_col, last_col + 1):
                                if recorded < _MAX_REPEAT_ERRORS:
                                    scan.errors[(r, c)] = text
                                    recorded += 1
            col += repeat
            element.clear()
        elif tag == "table-row":
            row += row_repeat
            element.clear()
            current_row = None
        elif tag == "table":
            depth -= 1
            element.clear()
    return scans


def read_ods(path: Path) -> RawWorkbook:
    """Read every tab of an OpenDocument spreadsheet (LibreOffice .ods)."""
    path = Path(path)
    check_file(path)
    budget = Budget(str(path))
    kind = "OpenDocument (.ods)"
    if not zipfile.is_zipfile(path):
        raise unreadable(path, kind)
    try:
        with zipfile.ZipFile(path) as archive:
            check_declared(archive, ["content.xml"], path)
            with archive.open("content.xml") as stream:
                scans = scan_ods_content(stream, budget)
    except SourceError:
        raise
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError, OSError, EOFError) as exc:
        raise unreadable(path, kind, exc) from exc
    _refuse_sparse(path, scans)
    tabs = _calamine_tabs(path, scans, skip=set(), kind=kind)
    return RawWorkbook(kind="ods", location=str(path), tabs=tabs)


# --------------------------------------------------------------------------------------
# .xls
# --------------------------------------------------------------------------------------
def scan_xls(path: Path, budget: Budget) -> dict[str, TabScan]:
    """Error cells and extent of every tab of a BIFF .xls, with xlrd."""
    import xlrd

    book = xlrd.open_workbook(str(path), on_demand=True, ragged_rows=True)
    scans: dict[str, TabScan] = {}
    try:
        for index, title in enumerate(book.sheet_names()):
            sheet = book.sheet_by_index(index)
            scan = scans[title] = TabScan()
            for r in range(sheet.nrows):
                types = sheet.row_types(r)
                for c in _filled(types):
                    budget.cell(title, r + 1, c + 1)
                    scan.add(r + 1, c + 1)
                    if types[c] == xlrd.XL_CELL_ERROR:
                        code = sheet.cell_value(r, c)
                        scan.errors[(r + 1, c + 1)] = xlrd.error_text_from_code.get(
                            code, f"#ERR{code}")
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return scans


def _filled(types: Any) -> Iterator[int]:
    """Columns of the cells that are not XL_CELL_EMPTY (a formatted blank cell counts:
    a grid reader may reach out to it)."""
    for c, kind in enumerate(types):
        if kind != 0:
            yield c


def read_xls(path: Path) -> RawWorkbook:
    """Read every tab of an Excel 97-2003 workbook (.xls)."""
    path = Path(path)
    check_file(path)
    kind = "Excel 97-2003 (.xls)"
    with path.open("rb") as handle:
        start = handle.read(512)
    if start.startswith(b"PK"):  # an .xlsx named .xls
        return read_xlsx(path)
    if start.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise SourceError(
            f"Tệp {path} là một trang web (HTML/XML) được đặt tên .xls, như nhiều phần mềm "
            "xuất ra: hãy mở bằng Excel hoặc LibreOffice rồi lưu lại dạng .xlsx. / "
            f"{path} is a web page (HTML/XML) named .xls, as many systems export: open it "
            "in Excel or LibreOffice and save it as .xlsx."
        )
    budget = Budget(str(path))
    try:
        scans = scan_xls(path, budget)
    except SourceError:
        raise
    except Exception as exc:  # xlrd raises XLRDError, struct errors, ...
        raise unreadable(path, kind, exc) from exc
    _refuse_sparse(path, scans)
    tabs = _calamine_tabs(path, scans, skip=set(), kind=kind)
    return RawWorkbook(kind="xls", location=str(path), tabs=tabs)


def read_workbook_file(path: Path) -> RawWorkbook:
    """The reader for the file's extension (one of WORKBOOK_SUFFIXES)."""
    suffix = path.suffix.lower()
    if suffix in ODS_SUFFIXES:
        return read_ods(path)
    if suffix in XLS_SUFFIXES:
        return read_xls(path)
    return read_xlsx(path)
