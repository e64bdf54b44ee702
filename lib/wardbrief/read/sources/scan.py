"""The streaming scan of a local workbook before calamine reads it (see
`read.sources.local`): each tab's error cells, how many cells hold a value and how far the
last one stands, so that the size limits of `base` are checked before any grid is built.

This module holds what every format's scan shares (`TabScan`, `Budget`, cell names) and
the .xlsx scan itself: the sheet XML with `ElementTree.iterparse` (tags compared by local
name), or a quicker regular-expression pass over plain sheet XML that falls back to the
element scan whenever the XML is anything but plain.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

from wardbrief.read.sources.base import (
    MAX_CELLS,
    MAX_FILE_BYTES,
    MAX_GRID_CELLS,
    MAX_ROWS,
    MAX_XML_BYTES,
    SourceError,
    too_large,
)

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


class Budget:
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


def unreadable(path: Path, kind: str, exc: BaseException | None = None) -> SourceError:
    detail = f" ({exc})" if exc else ""
    return SourceError(
        f"Không đọc được tệp {path}: không phải bảng tính {kind} hợp lệ{detail}. Hãy mở tệp "
        f"và lưu lại dưới dạng {kind}. / {path} cannot be read as an {kind} workbook"
        f"{detail}: open it and save it again as {kind}."
    )


def check_file(path: Path) -> None:
    if not path.is_file():
        raise SourceError(f"Không tìm thấy tệp / file not found: {path}")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        mb = MAX_FILE_BYTES // (1024 * 1024)
        raise too_large(str(path), f"{size / 1e6:.0f} MB, giới hạn {mb} MB",
                        f"{size / 1e6:.0f} MB, the limit is {mb} MB")


def check_declared(archive: zipfile.ZipFile, members: list[str], path: Path) -> None:
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


def local_name(tag: str) -> str:
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
        if local_name(rel.tag) != "Relationship":
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
        if local_name(element.tag) != "sheet":
            continue
        rid = next((v for k, v in element.attrib.items() if local_name(k) == "id"
                    and k.startswith("{")), None)
        if rid in rels:
            sheets[element.get("name", "")] = rels[rid][1]
    extra = [m for t, m in rels.values() if t.endswith("/sharedStrings")]
    return sheets, extra


def scan_xlsx_sheet(stream: IO[bytes], title: str, budget: Budget) -> TabScan:
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


def scan_xlsx(path: Path, budget: Budget) -> dict[str, TabScan]:
    """Each tab quickly (`quick_scan_xlsx_sheet`), or element by element when the quick
    scan cannot vouch for its figures; a tab the quick scan finds near a limit makes the
    whole workbook scanned element by element, so that a refusal names what it did."""
    if not zipfile.is_zipfile(path):
        raise unreadable(path, "Excel (.xlsx)")
    with zipfile.ZipFile(path) as archive:
        members, extra = xlsx_sheet_members(archive)
        check_declared(archive, [*members.values(), *extra], path)
        scans = {}
        for title, member, stream in _sheet_streams(archive, members):
            scan = quick_scan_xlsx_sheet(stream)
            if scan is not None and (budget.cells + scan.cells > MAX_CELLS
                                     or scan.last_row > MAX_ROWS):
                return _scan_xlsx_by_element(archive, members, Budget(budget.location))
            if scan is None:
                with archive.open(member) as again:
                    scan = scan_xlsx_sheet(again, title, budget)
            else:
                budget.cells += scan.cells
            scans[title] = scan
        return scans


def _scan_xlsx_by_element(archive: zipfile.ZipFile, members: dict[str, str],
                          budget: Budget) -> dict[str, TabScan]:
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
