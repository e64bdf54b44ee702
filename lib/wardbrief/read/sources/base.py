"""What every source yields: the raw cells of each tab plus a stable fingerprint.

A source never interprets cells (no header matching, no date parsing): that is the
contract's job. Cells are Python values as the reader gives them: None, str,
int/float, bool, datetime.date or datetime.datetime.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from wardbrief.read.file_prints import FileChanged, PrintedFile, folder_fingerprint
from wardbrief.read.issues import DataIssue

Cell = Any
Rows = list[list[Cell]]

# What a local source may hold before it is refused (read.sources.local checks them all
# before building any grid). The contract's largest real workbook is a few thousand rows;
# the demo's 100,000 cases are 1.5 M cells and a 9 MB .xlsx.
MAX_FILE_BYTES = 100 * 1024 * 1024  # the file (.xlsx/.ods/.xls), or one CSV file
MAX_XML_BYTES = 1024 * 1024 * 1024  # declared uncompressed size of the parts read (zip bomb)
MAX_CELLS = 2_000_000  # non-empty cells in the whole workbook
MAX_ROWS = 1_000_000  # rows of one tab
MAX_GRID_CELLS = 5_000_000  # a tab read as one rectangle (rows x columns of its used range)

# A folder of CSV files is the city-scale source: pandas reads each column into a
# categorical (its repeated dates, departments and statuses stored once), so a million
# cases (a 290 MB PhanAnh.csv, 13 M cells) take about 1 GB where a spreadsheet's cells,
# one Python object each, would take several.
CSV_MAX_FILE_BYTES = 1024 * 1024 * 1024  # one CSV file
CSV_MAX_CELLS = 40_000_000  # non-empty cells in the whole folder
CSV_MAX_ROWS = 2_000_000  # rows of one file
CSV_MAX_GRID_CELLS = 60_000_000  # one file as a rectangle (rows x columns)

SOURCE_SHEET = "(nguồn)"  # DataIssue.sheet of a problem of the whole source, not of a tab


class SourceError(Exception):
    """The source cannot be read at all (missing file, not a workbook, unreachable sheet).

    The message speaks to the member of staff who can fix it: Vietnamese first, then
    English."""


def too_large(location: str, what_vi: str, what_en: str) -> SourceError:
    """The refusal of a source over one of the limits above."""
    return SourceError(
        f"{location}: tệp quá lớn để đọc ({what_vi}); hãy xóa các dòng, cột hoặc ô thừa, "
        f"hoặc tách tệp. / The file is too large to read ({what_en}); delete stray rows, "
        "columns or cells, or split the file."
    )


def _cell_token(cell: Cell) -> Any:
    if cell is None:
        return None
    if isinstance(cell, dt.datetime):
        return {"dt": cell.isoformat()}
    if isinstance(cell, dt.date):
        return {"d": cell.isoformat()}
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    if isinstance(cell, (str, int, float, bool)):
        return cell
    return str(cell)


def _frame_digest(frame: pd.DataFrame) -> bytes:
    """A column-wise hash of a frame of text cells (read from CSV): one row hash each."""
    return pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes()


def fingerprint_tabs(tabs: dict[str, Rows | pd.DataFrame]) -> str:
    """`sha256:` of the cells, tab by tab in source order; equal cells give an equal print."""
    digest = hashlib.sha256()
    for title, rows in tabs.items():
        digest.update(json.dumps(["tab", title], ensure_ascii=False).encode())
        if isinstance(rows, pd.DataFrame):
            digest.update(_frame_digest(rows))
            continue
        lines = []
        dates: dict[Any, Any] = {}  # a date's token, made once per distinct date
        for row in rows:
            end = len(row)
            while end and (row[end - 1] is None or row[end - 1] == ""):
                end -= 1
            # text, blanks and whole numbers are their own token (no call for them)
            payload = [c if c is None or type(c) is str or type(c) is int
                       else dates.get(c) or _date_token(c, dates) for c in row[:end]]
            lines.append(_ENCODE(payload))
            if len(lines) == _ROWS_AT_ONCE:
                _update(digest, lines)
        _update(digest, lines)
    return "sha256:" + digest.hexdigest()


_ROWS_AT_ONCE = 4096  # rows hashed at a time (a few MB of JSON, not a whole tab's)


def _update(digest: Any, lines: list[str]) -> None:
    """One JSON line per row, as json.dumps(row, ensure_ascii=False, sort_keys=True) + "\\n"."""
    if lines:
        digest.update(("\n".join(lines) + "\n").encode())
        lines.clear()


def _date_token(cell: Cell, dates: dict[Any, Any]) -> Any:
    token = _cell_token(cell)
    if type(cell) in (dt.date, dt.datetime):  # equal dates and datetimes never meet
        dates[cell] = token
    return token


def _encoder() -> Callable[[Any], str]:
    """json.dumps(payload, ensure_ascii=False, sort_keys=True), with the C encoder made
    once instead of once a row (JSONEncoder.encode makes it each call)."""
    encoder = json.JSONEncoder(ensure_ascii=False, sort_keys=True)
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return encoder.encode
    c_encode = make(None, encoder.default, json.encoder.encode_basestring, None,
                    encoder.key_separator, encoder.item_separator, True, False, True)
    return lambda payload: "".join(c_encode(payload, 0))


_ENCODE = _encoder()


def _get_fingerprint(self: RawWorkbook) -> str:
    value = self.__dict__.get("_fingerprint", "")
    if not value:
        try:
            if self.fingerprint_maker is not None:
                value = self.fingerprint_maker()
            elif self.files:
                value = folder_fingerprint(self.files)
            else:
                value = fingerprint_tabs(self.tabs)
        except FileChanged as exc:
            raise SourceError(str(exc)) from None
        self.__dict__["_fingerprint"] = value
    return value


def _set_fingerprint(self: RawWorkbook, value: str) -> None:
    self.__dict__["_fingerprint"] = value


CellLink = Callable[[str, int, int], "str | None"]
"""(tab title as in the source, 1-based row, 1-based column) -> URL of that cell."""


@dataclass
class RawWorkbook:
    kind: str  # "xlsx" | "csv" | "gsheet"
    location: str  # path, or spreadsheet URL
    # tab title as in the source -> rows of cells (a DataFrame of text for CSV sources)
    tabs: dict[str, Rows | pd.DataFrame]
    fingerprint: str = ""
    taken_at: dt.datetime | None = None  # when the cells were pulled (remote sources)
    stale: bool = False  # True when served from a snapshot because the live source failed
    cell_link: CellLink | None = field(default=None, repr=False)
    # problems of the source as a whole (e.g. a Google Sheet whose locale reads dates
    # month-first): DataIssue(sheet=SOURCE_SHEET, row=None, ...), added to the workbook's
    # issues by the contract reader
    source_issues: list[DataIssue] = field(default_factory=list)
    locale: str | None = None  # the spreadsheet's locale (Google Sheets), e.g. vi_VN
    time_zone: str | None = None  # the spreadsheet's time zone (Google Sheets)
    # (tab title, file, its size and mtime as read) of a CSV folder, in order: the
    # fingerprint is made from their bytes (read.file_prints), when first asked for
    files: tuple[PrintedFile, ...] = ()
    # what makes the fingerprint, if not the above (one made elsewhere meanwhile)
    fingerprint_maker: Callable[[], str] | None = field(default=None, repr=False)

    def fingerprint_made(self) -> bool:
        return bool(self.__dict__.get("_fingerprint"))

    def source_info(self) -> dict[str, Any]:
        info: dict[str, Any] = {"kind": self.kind, "fingerprint": self.fingerprint}
        if self.taken_at is not None:
            info["taken_at"] = self.taken_at.isoformat(timespec="seconds")
        if self.stale:
            info["stale"] = True
        return info


# `fingerprint` is a field (given by a source that has one), else computed from the cells
# (or a CSV folder's files) where it is first read: a workbook whose print is never asked
# for is not hashed
RawWorkbook.fingerprint = property(_get_fingerprint, _set_fingerprint)  # type: ignore[assignment]
