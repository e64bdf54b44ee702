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
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

from wardbrief.read.sources.base import (
    MAX_CELLS,
    MAX_FILE_BYTES,
    MAX_GRID_CELLS,
    MAX_ROWS,
    MAX_XML_BYTES,
    RawWorkbook,
    Rows,
    SourceError,
    too_large,
)
from wardbrief.read.sources.csvfolder import read_csv_folder

__all__ = ["ODS_SUFFIXES", "WORKBOOK_SUFFIXES", "XLSX_SUFFIXES", "XLS_SUFFIXES",
           "read_csv_folder", "read_ods", "read_workbook_file", "read_xls", "read_xlsx"]

XLSX_SUFFIXES = {".xlsx", ".xlsm"}
ODS_SUFFIXES = {".ods"}
XLS_SUFFIXES = {".xls"}
WORKBOOK_SUFFIXES = XLSX_SUFFIXES | ODS_SUFFIXES | XLS_SUFFIXES

ErrorCells = dict[tuple[int, int], str]  # (1-based row, 1-based column) -> '#VALUE!'


@dataclass
class TabScan:
    """What the scan of one tab found: error cells, cells holding a value, the extent."""

    errors: ErrorCells = field(default_factory=dict)
    cells: int = 0
    last_row: int = 0  # 1-based row of the lowest cell holding a value (0: none)
    last_column: int = 0  # 1-based column of the rightmost cell holding a value
    far_cell: str = ""  # A1 reference of the cell that stands furthest out
    filled_row: int = 0  # the quick scan's lowest cell holding a value (last_row: any row)
    _far: int = 0

    def grid(self) -> int:
        return self.last_row * self.last_column

    def add(self, row: int, col: int, count: int = 1) -> None:
        """`count` cells holding a value, the last of them at (row, col)."""
        self.cells += count
        self.last_row = max(self.last_row, row)
        self.last_column = max(self.last_column, col)
        if row * col > self._far:
            self._far, self.far_cell = row * col, a1(row, col)


class _Budget:
    """Counts the cells of a whole workbook and refuses it past the limits of `base`."""

    def __init__(self, location: str) -> None:
        self.location = location
        self.cells = 0

    def cell(self, tab: str, row: int, col: int, count: int = 1) -> None:
        self.cells += count
        if self.cells > MAX_CELLS:
            raise too_large(self.location, f"hơn {MAX_CELLS:,} ô có dữ liệu".replace(",", "."),
                            f"more than {MAX_CELLS:,} non-empty cells")
        if row > MAX_ROWS:
            ref = a1(row, col)
            raise too_large(
                self.location,
                f"trang '{tab}' có dữ liệu ở ô {ref}, quá {MAX_ROWS:,} dòng".replace(",", "."),
                f"tab '{tab}' has a value in cell {ref}, beyond {MAX_ROWS:,} rows")


def a1(row: int, col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]+)$")


def _unreadable(path: Path, kind: str, exc: BaseException | None = None) -> SourceError:
    detail = f" ({exc})" if exc else ""
    return SourceError(
        f"Không đọc được tệp {path}: không phải bảng tính {kind} hợp lệ{detail}. Hãy mở tệp "
        f"và lưu lại dưới dạng {kind}. / {path} cannot be read as an {kind} workbook"
        f"{detail}: open it and save it again as {kind}."
    )


def _check_file(path: Path) -> None:
    if not path.is_file():
        raise SourceError(f"Không tìm thấy tệp / file not found: {path}")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        mb = MAX_FILE_BYTES // (1024 * 1024)
        raise too_large(str(path), f"{size / 1e6:.0f} MB, giới hạn {mb} MB",
                        f"{size / 1e6:.0f} MB, the limit is {mb} MB")


def _check_declared(archive: zipfile.ZipFile, members: list[str], path: Path) -> None:
    """Refuse a zip whose parts would unpack past MAX_XML_BYTES (a zip bomb), by the sizes
    the archive declares, before anything is unpacked. (Python's zipfile never returns
    more than the declared size, and a part larger than declared fails its CRC check.)"""
    total = 0
    for name in members:
        try:
            total += archive.getinfo(name).file_size
        except KeyError:
            continue
    if total > MAX_XML_BYTES:
        gb = MAX_XML_BYTES / 1024**3
        raise too_large(str(path), f"giải nén ra {total / 1e9:.1f} GB, giới hạn {gb:.0f} GB",
                        f"it unpacks to {total / 1e9:.1f} GB, the limit is {gb:.0f} GB")


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


# --------------------------------------------------------------------------------------
# .xlsx
# --------------------------------------------------------------------------------------
def _xml(archive: zipfile.ZipFile, member: str) -> ElementTree.Element:
    with archive.open(member) as stream:
        return ElementTree.parse(stream).getroot()


def _rels(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, target member) of `part` (targets resolved to members)."""
    folder, name = posixpath.split(part)
    rels_member = posixpath.join(folder, "_rels", f"{name}.rels")
    try:
        root = _xml(archive, rels_member)
    except KeyError:
        return {}
    found = {}
    for rel in root.iter():
        if _local(rel.tag) != "Relationship":
            continue
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        member = target.lstrip("/") if target.startswith("/") else \
            posixpath.normpath(posixpath.join(folder, target))
        found[rel.get("Id", "")] = (rel.get("Type", ""), member)
    return found


def xlsx_sheet_members(archive: zipfile.ZipFile) -> tuple[dict[str, str], list[str]]:
    """(tab title -> member of its sheet XML, other members calamine reads (shared
    strings)), from the package's relationships; any namespace prefix."""
    book_part = "xl/workbook.xml"
    for rel_type, member in _rels(archive, "").values():
        if rel_type.endswith("/officeDocument"):
            book_part = member
    rels = _rels(archive, book_part)
    root = _xml(archive, book_part)
    sheets: dict[str, str] = {}
    for element in root.iter():
        if _local(element.tag) != "sheet":
            continue
        rid = next((v for k, v in element.attrib.items() if _local(k) == "id"
                    and k.startswith("{")), None)
        if rid in rels:
            sheets[element.get("name", "")] = rels[rid][1]
    extra = [m for t, m in rels.values() if t.endswith("/sharedStrings")]
    return sheets, extra


def scan_xlsx_sheet(stream: IO[bytes], title: str, budget: _Budget) -> TabScan:
    """Stream one sheet XML: error cells, cells holding a value, the extent.

    Only `end` events (half the events of start+end): a row's cells are placed when the
    row ends, from their `r=` or, without one, right after the previous cell; the row
    from its `r=` or right below the previous row. A finished row is emptied, so memory
    stays one row deep (plus an empty element per row, ~80 bytes)."""
    scan = TabScan()
    row = 0
    cells: list[ElementTree.Element] = []
    columns: dict[str, int] = {}  # column letters -> number, computed once each
    ref_match = _REF.match
    for _event, element in ElementTree.iterparse(stream, events=("end",)):
        tag = element.tag
        tag = tag[tag.rfind("}") + 1:]
        if tag == "c":
            cells.append(element)
            continue
        if tag != "row":
            if tag == "sheetData":
                break
            continue
        number = element.get("r")
        row = int(number) if number and number.isdigit() else row + 1
        col = filled = last_col = 0
        last_row = row
        for cell in cells:
            ref = cell.get("r")
            match = ref_match(ref) if ref else None
            if match:
                letters = match.group(1)
                col = columns.get(letters) or columns.setdefault(
                    letters, _column_number(letters.upper()))
                cell_row = int(match.group(2))
            else:
                col += 1
                cell_row = row
            if not len(cell):  # no <v>, <is> or <f>: nothing calamine would place
                continue
            filled += 1
            last_col = max(last_col, col)
            if cell_row != row:
                last_row = max(last_row, cell_row)
            if cell.get("t") == "e":
                value = next((c.text for c in cell if c.tag.endswith("v")), None)
                if value and value.strip():
                    scan.errors[(cell_row, col)] = value.strip()
        if filled:
            budget.cell(title, last_row, last_col, filled)
            scan.add(last_row, last_col, filled)
        cells.clear()
        element.clear()
    return scan


def _scan_xlsx(path: Path, budget: _Budget) -> dict[str, TabScan]:
    """Each tab quickly (`quick_scan_xlsx_sheet`), or element by element when the quick
    scan cannot vouch for its figures; a tab the quick scan finds near a limit makes the
    whole workbook scanned element by element, so that a refusal names what it did."""
    if not zipfile.is_zipfile(path):
        raise _unreadable(path, "Excel (.xlsx)")
    with zipfile.ZipFile(path) as archive:
        members, extra = xlsx_sheet_members(archive)
        _check_declared(archive, [*members.values(), *extra], path)
        scans = {}
        for title, member, stream in _sheet_streams(archive, members):
            scan = quick_scan_xlsx_sheet(stream)
            if scan is not None and (budget.cells + scan.cells > MAX_CELLS
                                     or scan.last_row > MAX_ROWS):
                return _scan_xlsx_by_element(archive, members, _Budget(budget.location))
            if scan is None:
                with archive.open(member) as again:
                    scan = scan_xlsx_sheet(again, title, budget)
            else:
                budget.cells += scan.cells
            scans[title] = scan
        return scans


def _scan_xlsx_by_element(archive: zipfile.ZipFile, members: dict[str, str],
                          budget: _Budget) -> dict[str, TabScan]:
    return {title: scan_xlsx_sheet(stream, title, budget)
            for title, _member, stream in _sheet_streams(archive, members)}


def _sheet_streams(archive: zipfile.ZipFile,
                   members: dict[str, str]) -> Iterator[tuple[str, str, IO[bytes]]]:
    """(tab title, member, its open sheet XML) for each sheet the archive holds (a sheet
    the workbook declares but the archive lacks is left out, as before)."""
    for title, member in members.items():
        try:
            stream = archive.open(member)
        except KeyError:
            continue
        with stream:
            yield title, member, stream


# --- the quick scan: byte patterns over the sheet XML as spreadsheet programs write it ----
_CHUNK = 8 << 20  # bytes of sheet XML unpacked at a time
_HEAD_LIMIT = 64 << 20  # XML before <sheetData> (or in one row) past which the scan gives up
_SHEET_DATA = re.compile(rb"<([A-Za-z_][\w.-]*:)?sheetData(/?)(?=[\s>/])[^>]*?(/?)>")
_PLAIN_REF = rb'\$?([A-Za-z]{1,3})\$?([0-9]+)"'


class _Quick:
    """The byte patterns of one namespace prefix (`''` or `x:`)."""

    def __init__(self, prefix: bytes) -> None:
        p = re.escape(prefix)
        self.prefix = prefix
        self.cell = b"<" + prefix + b"c "
        self.cell_r = b"<" + prefix + b'c r="'
        self.row = b"<" + prefix + b"row"
        self.row_r = b"<" + prefix + b'row r="'
        self.row_end = b"</" + prefix + b"row>"
        self.data_end = b"</" + prefix + b"sheetData>"
        # a cell with a plain reference whose start tag is followed by a child element
        # (<v>, <is>, <f>): one holding a value, as the element scan counts them
        self.filled = re.compile(b"<" + p + b'c r="' + _PLAIN_REF
                                 + rb'[^>]*(?<!/)>[^<]*<(?!/)')
        # a cell or row whose first attribute is not a plain r=
        self.odd_cell = re.compile(b"<" + p + rb'c(?! r="\$?[A-Za-z]{1,3}\$?[0-9]+")[\s>/]')
        self.odd_row = re.compile(b"<" + p + rb'row(?! r="[0-9]+")[\s>/]')
        self.row_ref = re.compile(b"<" + p + rb'row r="([0-9]+)"')
        self.error_tag = re.compile(b"<" + p + rb'c r="' + _PLAIN_REF + rb'[^>]*? t="e"[^>]*>')
        self.cell_end = b"</" + prefix + b"c>"
        self.error_value = b"<" + prefix + b"v>#"  # how an error cell's value begins


_QUICK: dict[bytes, _Quick] = {}
# left to the element scan: a namespace prefix on a cell other than the sheet's; a
# comment, CDATA or processing instruction (they could hide or fake a tag)
_FOREIGN = re.compile(rb":c[\s>/]|:row[\s>/]")
_MARKUP = re.compile(rb"<[!?]")


def quick_scan_xlsx_sheet(stream: IO[bytes]) -> TabScan | None:
    """The figures of `scan_xlsx_sheet` from byte patterns (a few passes of C code over
    the XML instead of an element per cell), for sheet XML as Excel, LibreOffice, Google
    Sheets, openpyxl and xlsxwriter write it: every cell and row with `r=` as its first
    attribute, no comment, CDATA, processing instruction or single-quoted attribute
    inside <sheetData>. Anything else gives None: the element scan reads that tab.

    `last_row` is the lowest row element or cell holding a value (an empty row below the
    data counts too: it can only make the tab look larger, never let a large one pass)."""
    buffer = b""
    quick: _Quick | None = None
    scan = TabScan()
    ends = False
    while not ends:
        chunk = stream.read(_CHUNK)
        ends = not chunk
        buffer += chunk
        if quick is None:
            found = _SHEET_DATA.search(buffer)
            if found is None:
                if ends or len(buffer) > _HEAD_LIMIT:
                    return None if not ends else scan
                continue
            if found.group(2) or found.group(3):  # <sheetData/>: no cells
                return scan
            prefix = found.group(1) or b""
            quick = _QUICK.get(prefix) or _QUICK.setdefault(prefix, _Quick(prefix))
            buffer = buffer[found.end():]
        stop = buffer.find(quick.data_end)
        if stop >= 0:
            region, ends = buffer[:stop], True
        elif ends:
            region = buffer
        else:
            cut = buffer.rfind(quick.row_end)
            if cut < 0:
                if len(buffer) > _HEAD_LIMIT:
                    return None
                continue
            cut += len(quick.row_end)
            region, buffer = buffer[:cut], buffer[cut:]
        if not _quick_region(region, quick, scan):
            return None
    if not scan.cells:
        scan.last_row = scan.last_column = 0
    elif (scan.grid() > MAX_GRID_CELLS) != (scan.filled_row * scan.last_column > MAX_GRID_CELLS):
        return None  # empty rows below the data decide whether it is a grid: look closer
    return scan


def _quick_region(region: bytes, quick: _Quick, scan: TabScan) -> bool:
    """Add the cells of `region` (whole rows) to `scan`; False when it is not plain."""
    if (_MARKUP.search(region) or b"='" in region or quick.odd_cell.search(region)
            or quick.odd_row.search(region)):
        return False
    if quick.prefix:
        if b"<c " in region or b"<row" in region:
            return False  # cells of another namespace prefix than the sheet's own
        foreign = len(_FOREIGN.findall(region)) - region.count(quick.cell) \
            - region.count(quick.cell_end) - region.count(quick.row) \
            - region.count(quick.row_end)
    else:
        foreign = len(_FOREIGN.findall(region)) if b":" in region else 0
    if foreign:
        return False
    rows = quick.row_ref.findall(region)
    filled = quick.filled.findall(region)
    if rows:
        scan.last_row = max(scan.last_row, max(map(int, rows)))
    if filled:
        letters = {a for a, _ in filled}
        last_col = max(_column_number(a.decode().upper()) for a in letters)
        last_row = max(map(int, [b for _, b in filled]))
        scan.cells += len(filled)
        scan.last_row = max(scan.last_row, last_row)
        scan.filled_row = max(scan.filled_row, last_row)
        scan.last_column = max(scan.last_column, last_col)
    # every value that looks like an error (#N/A, #REF!) must stand in a t="e" cell found
    looks = region.count(quick.error_value)
    return not (looks or b't="e"' in region) or _quick_errors(region, quick, scan, looks)


def _quick_errors(region: bytes, quick: _Quick, scan: TabScan, looks: int) -> bool:
    """The error cells of `region`, each read as the element scan reads it."""
    matches = list(quick.error_tag.finditer(region))
    if len(matches) != region.count(b't="e"') or looks > len(matches):
        return False  # t="e" written another way (or in a text), a text value "#…"
    for match in matches:
        if region[match.end() - 2:match.end()] == b"/>":
            continue  # no value
        end = region.find(quick.cell_end, match.end())
        if end < 0:
            return False
        snippet = region[match.start():end + len(quick.cell_end)]
        if quick.prefix:
            name = quick.prefix[:-1]
            snippet = b"<w xmlns:" + name + b'="urn:x">' + snippet + b"</w>"
        try:
            cell = ElementTree.fromstring(snippet)
        except ElementTree.ParseError:
            return False
        if quick.prefix:
            cell = cell[0]
        if not len(cell):
            continue
        value = next((c.text for c in cell if c.tag.endswith("v")), None)
        if value and value.strip():
            col = _column_number(match.group(1).decode().upper())
            scan.errors[(int(match.group(2)), col)] = value.strip()
    return True


def read_xlsx(path: Path) -> RawWorkbook:
    """Read every tab of an .xlsx/.xlsm (see the module's docstring). Date cells stay
    dates, numbers numbers, an error cell is its text; row i of a tab is spreadsheet
    row i + 1."""
    path = Path(path)
    _check_file(path)
    budget = _Budget(str(path))
    try:
        scans = _scan_xlsx(path, budget)
    except SourceError:
        raise
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError, OSError, EOFError) as exc:
        raise _unreadable(path, "Excel (.xlsx)", exc) from exc
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
        raise _unreadable(path, kind, exc) from exc
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
    return "\n".join("".join(p.itertext()) for p in element if _local(p.tag) == "p")


def scan_ods_content(stream: IO[bytes], budget: _Budget) -> dict[str, TabScan]:
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
        tag = _local(element.tag)
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
                _local(p.tag) == "p" for p in element)
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
    _check_file(path)
    budget = _Budget(str(path))
    kind = "OpenDocument (.ods)"
    if not zipfile.is_zipfile(path):
        raise _unreadable(path, kind)
    try:
        with zipfile.ZipFile(path) as archive:
            _check_declared(archive, ["content.xml"], path)
            with archive.open("content.xml") as stream:
                scans = scan_ods_content(stream, budget)
    except SourceError:
        raise
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError, OSError, EOFError) as exc:
        raise _unreadable(path, kind, exc) from exc
    _refuse_sparse(path, scans)
    tabs = _calamine_tabs(path, scans, skip=set(), kind=kind)
    return RawWorkbook(kind="ods", location=str(path), tabs=tabs)


# --------------------------------------------------------------------------------------
# .xls
# --------------------------------------------------------------------------------------
def scan_xls(path: Path, budget: _Budget) -> dict[str, TabScan]:
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
    _check_file(path)
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
    budget = _Budget(str(path))
    try:
        scans = scan_xls(path, budget)
    except SourceError:
        raise
    except Exception as exc:  # xlrd raises XLRDError, struct errors, ...
        raise _unreadable(path, kind, exc) from exc
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
