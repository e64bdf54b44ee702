"""Contract section 2, what every tab shares: finding a tab by its title key, its header
row, its columns matched by key, rows whose cells are all blank skipped, and the log of
DataIssues with the sheet's own row numbers and cell names."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from wardbrief.read import privacy, schema
from wardbrief.read.cells import (
    blank_rows,
    one_cell_text,
    per_value,
)
from wardbrief.read.dates import DateMemo, month_first_only
from wardbrief.read.issues import DataIssue
from wardbrief.read.messages import (
    ISSUE_MESSAGES,
    VALUE_LIMIT,
)
from wardbrief.read.names import key, tab_key
from wardbrief.read.sources.base import RawWorkbook


# --------------------------------------------------------------------------------------
# Cells
# --------------------------------------------------------------------------------------
def keys_of(text: pd.Series) -> pd.Series:
    """key() of each text cell (None stays None), computed once per distinct value."""
    return per_value(text, lambda u: u.map(key), None)


def whole_number(cell: object, bounds: tuple[int, int]) -> int | None:
    """A whole number within `bounds` (5, 5.0, '5'), else None."""
    number = number_cell(cell)
    if number is None or not number.is_integer() or not bounds[0] <= number <= bounds[1]:
        return None
    return int(number)


def number_cell(cell: object) -> float | None:
    """A finite number (5, 5.5, '5,5'), else None: NaN, inf and 1e400 are not numbers."""
    if isinstance(cell, bool) or cell is None:
        return None
    if isinstance(cell, (int, float, np.integer, np.floating)):
        try:
            number = float(cell)
        except OverflowError:  # an int of 400 digits
            return None
    else:
        text = str(cell).strip().replace(",", ".")
        if len(text) > 40:
            return None
        try:
            number = float(text)
        except ValueError:
            return None
    return number if math.isfinite(number) else None


# --------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------
@dataclass
class Table:
    """One tab after header matching: `data` has one column per matched field plus
    `sheet_row`; blank rows are already gone."""

    tab: schema.Tab
    title: str  # the tab's title in the source
    data: pd.DataFrame
    columns: dict[str, int]  # field -> 1-based column number in the source
    header_row: int | None = None  # the spreadsheet's number of the header row
    headers: dict[str, str] = field(default_factory=dict)  # field -> header text as typed

    def has(self, name: str) -> bool:
        return name in self.columns

    def without_rows(self) -> Table:
        """The same tab with no data rows (a tab that cannot be read: its rows are all
        rejected by one error at the header row, not one per row)."""
        return Table(self.tab, self.title, self.data.iloc[0:0], self.columns, self.header_row,
                     self.headers)


def column_letter(number: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA (the spreadsheet's column name)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def quoted(value: object, names: privacy.NameMatcher | None = None) -> str:
    """A cell as a message quotes it: phones, e-mail addresses and known names masked,
    at most VALUE_LIMIT characters (a 50 MB cell is not copied into every message)."""
    if value is None:
        return ""
    return privacy.mask_text(str(value), names, limit=VALUE_LIMIT) or ""


def issue_text(message: str, value: object = None,
               names: privacy.NameMatcher | None = None, **params: object) -> str:
    return ISSUE_MESSAGES[message].format(value=quoted(value, names), **params)


class IssueLog:
    def __init__(self, raw: RawWorkbook) -> None:
        self.raw = raw
        self.items: list[DataIssue] = []
        self.notices: list[str] = []  # for every briefing's warnings area
        self.names: privacy.NameMatcher | None = None  # reporter names, masked in messages
        self.dates = DateMemo()  # the date cells read so far, for the next date column
        self.titles: dict[str, str] = {}  # contract tab -> the sheet's title, once found

    def text(self, message: str, value: object = None, **params: object) -> str:
        """A message; a tab it names (`{LinhVuc}`, `{DonVi}`) by the sheet's title."""
        tabs = {tab: self.titles.get(tab, tab) for tab in ("LinhVuc", "DonVi")}
        return issue_text(message, value, self.names, **{**tabs, **params})

    def add(self, table: Table | None, sheet: str, row: int | None, field_name: str | None,
            severity: str, message: str, *, sheet_title: str | None = None,
            blocking: bool | None = None) -> None:
        column = header = cell = link = None
        if table is not None:
            sheet_title = table.title or sheet_title
        if table is not None and field_name is not None:
            column = table.tab.column(field_name).label
            header = table.headers.get(field_name)
            col_no = table.columns.get(field_name)
            if row is not None and col_no is not None:
                cell = f"{column_letter(col_no)}{row}"
                if self.raw.cell_link:
                    link = self.raw.cell_link(table.title, row, col_no)
        elif table is not None and row is not None and self.raw.cell_link:
            link = self.raw.cell_link(table.title, row, 1)
        self.items.append(DataIssue(sheet, row, column, severity, message, link,
                                    sheet_title=sheet_title, header=header, cell=cell,
                                    blocking=blocking))

    def rows(self, table: Table, mask: pd.Series, field_name: str | None, severity: str,
             message: str, shown: pd.Series | None = None,
             per_row: dict[str, pd.Series] | None = None, **params: object) -> None:
        """One issue per flagged row; `message` names a template of messages.ISSUE_MESSAGES,
        filled with the row's cell (or its `shown` text) as {value}, `params`, and for
        each name of `per_row` that row's value of the series."""
        flagged = table.data.loc[mask.fillna(False).astype(bool)]
        if flagged.empty:
            return
        raw_name = f"{field_name}__raw"
        raw_col = flagged[raw_name] if field_name and raw_name in flagged else None
        if shown is not None:
            raw_col = shown.loc[flagged.index]
        own = {name: series.loc[flagged.index] for name, series in (per_row or {}).items()}
        texts: dict[tuple, str] = {}  # one message per distinct cell (when no per-row values)
        for pos, sheet_row in enumerate(flagged["sheet_row"].to_numpy()):
            cell = None if raw_col is None else raw_col.iloc[pos]
            if isinstance(cell, str) and len(cell) > 4 * VALUE_LIMIT:
                cell = cell[: 4 * VALUE_LIMIT]
            if own:
                values = {name: series.iloc[pos] for name, series in own.items()}
                text = self.text(message, one_cell_text(cell), **params, **values)
            else:
                try:
                    seen = (type(cell), cell)
                    text = texts.get(seen)
                except TypeError:  # an unhashable cell
                    seen = (str, str(cell))
                    text = texts.get(seen)
                if text is None:
                    text = texts[seen] = self.text(message, one_cell_text(cell), **params)
            self.add(table, table.tab.name, int(sheet_row), field_name, severity, text)


def find_tabs(raw: RawWorkbook, log: IssueLog) -> dict[str, str]:
    """contract tab name -> source tab title (first title whose key matches)."""
    found: dict[str, str] = {}
    for title in raw.tabs:
        tk = tab_key(title)
        for tab in schema.TABS:
            if tk in tab.title_keys():
                if tab.name in found:
                    log.add(None, tab.name, None, None, "info",
                            log.text("tab_duplicate", title, first=quoted(found[tab.name]),
                                     tab=tab.name))
                else:
                    found[tab.name] = title
                break
    return found


def near_titles(raw: RawWorkbook, found: dict[str, str]) -> dict[str, list[str]]:
    """Contract tab the workbook lacks -> the titles of tabs that come near its name
    (`Nhiệm vụ 2026`, `Tin bai`): they are not read under that name."""
    used = set(found.values())
    near: dict[str, list[str]] = {}
    for tab in schema.TABS:
        if tab.name in found:
            continue
        words = {*tab.title_keys(), *tab.near_words}
        titles = [t for t in raw.tabs if t not in used and any(w in tab_key(t) for w in words)]
        if titles:
            near[tab.name] = titles
    return near


def tab_issues(titles: dict[str, str], near: dict[str, list[str]], log: IssueLog
                ) -> list[str]:
    """An error for each required tab missing (naming a near title when there is one), an
    `info` issue for each near title; returns the missing required tabs."""
    missing = [t.name for t in schema.TABS if t.required and t.name not in titles]
    for name in missing:
        if near.get(name):
            log.add(None, name, None, None, "error",
                    issue_text("tab_missing_near", near[name][0], tab=name),
                    sheet_title=near[name][0])
        else:
            log.add(None, name, None, None, "error", issue_text("tab_missing", tab=name))
    for name, found in near.items():
        for title in found:
            log.add(None, name, None, None, "info", issue_text("tab_near", title, tab=name),
                    sheet_title=title)
    return missing


def as_frame(rows) -> pd.DataFrame:
    if isinstance(rows, pd.DataFrame):
        frame = rows.reset_index(drop=True)
        frame.columns = range(frame.shape[1])
        return frame
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([list(r) + [None] * (width - len(r)) for r in rows],
                        columns=range(width), dtype=object)


# A tab of cells (not a CSV frame) this long has its text columns factorized once, as the
# CSV reader does: every per-value step then reads the codes instead of hashing the cells.
CATEGORICAL_ROWS = 1000


def text_as_categories(frame: pd.DataFrame) -> pd.DataFrame:
    """Each column holding only text (and blanks) as a categorical of the same cells."""
    for col in frame.columns:
        values = frame[col].to_numpy()
        if pd.api.types.infer_dtype(values, skipna=True) == "string":
            codes, uniques = pd.factorize(values, use_na_sentinel=True)
            frame[col] = pd.Categorical.from_codes(codes,
                                                   categories=pd.Index(uniques, dtype=object))
    return frame


def read_table(raw: RawWorkbook, tab: schema.Tab, title: str, log: IssueLog) -> Table:
    cells = raw.tabs[title]
    frame = as_frame(cells)
    if not isinstance(cells, pd.DataFrame) and len(frame) >= CATEGORICAL_ROWS:
        frame = text_as_categories(frame)
    if frame.shape[1] == 0:
        return empty_table(tab, title)
    blank = blank_rows(frame)
    filled = np.flatnonzero(~blank)
    if len(filled) == 0:
        return empty_table(tab, title)
    header_pos = int(filled[0])
    # cell by cell: a row across categorical columns would hash every column's categories
    header = {col: frame[col].iloc[header_pos] for col in frame.columns}
    wanted = tab.header_keys()
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    for col in frame.columns:
        field_name = wanted.get(key(header[col]))
        if field_name is None:
            continue  # unknown columns are kept in the sheet and ignored here
        if field_name in columns:
            log.add(None, tab.name, header_pos + 1, None, "info",
                    log.text("column_duplicate", one_cell_text(header[col]),
                             label=tab.column(field_name).label))
            continue
        columns[field_name] = int(col) + 1
        headers[field_name] = one_cell_text(header[col]) or tab.column(field_name).label
    body = frame.iloc[header_pos + 1:]
    keep = ~blank[header_pos + 1:]
    body = body.loc[keep].reset_index()
    data = pd.DataFrame({"sheet_row": (body["index"].to_numpy() + 1).astype(int)})
    for field_name, col_no in columns.items():
        data[f"{field_name}__raw"] = body[col_no - 1]
    for col in tab.columns:
        if col.field not in columns:
            data[f"{col.field}__raw"] = pd.Series([None] * len(data), dtype=object)
    data.index = range(len(data))
    return Table(tab, title, data, columns, header_pos + 1, headers)


def empty_table(tab: schema.Tab, title: str = "") -> Table:
    """A tab with no rows (absent, or without a single non-blank cell)."""
    data = pd.DataFrame({"sheet_row": pd.Series([], dtype=int)})
    for col in tab.columns:
        data[f"{col.field}__raw"] = pd.Series([], dtype=object)
    return Table(tab, title, data, {})


def month_first_notice(table: Table, log: IssueLog, field_name: str) -> None:
    """One `info` notice for a date column where some text dates can only be read
    month-first (`8/13/2026`): the column was likely typed with US settings, and its
    dates whose day is 12 or less may have been read with day and month swapped. (Each
    such cell still gets the contract's own issue: it is unreadable.)"""
    if not table.has(field_name):
        return
    column = table.data[f"{field_name}__raw"]
    found = month_first_only(column, log.dates)
    count = int(found.sum())
    if not count:
        return
    first = int(np.flatnonzero(found.to_numpy())[0])
    row = int(table.data["sheet_row"].iloc[first])
    header = table.headers.get(field_name) or table.tab.column(field_name).label
    cell = f"{column_letter(table.columns[field_name])}{row}"
    params = {"tab": table.title or table.tab.name, "header": header, "count": count,
              "cell": cell}
    example = one_cell_text(column.iloc[first])
    log.add(table, table.tab.name, table.header_row, field_name, "info",
            issue_text("month_first", example, **params))
    log.notices.append(issue_text("month_first_notice", example, **params))


def readable(table: Table, log: IssueLog) -> bool:
    """False, after one error per missing column at the header row, when the tab lacks a
    column it cannot be read without (CONTRACT section 2). A column the figures cannot be
    right without (PhanAnh `Ngày trả lời`, `Đơn vị xử lý`) gets the same error, but the
    tab is read as usual."""
    if table.header_row is None:
        return True  # absent or without a single cell: nothing to read
    for field_name in (*table.tab.required_fields, *table.tab.vital_fields):
        if table.has(field_name):
            continue
        column = table.tab.column(field_name)
        kind = "column_missing" if field_name in table.tab.required_fields else "column_vital"
        log.add(table, table.tab.name, table.header_row, field_name, "error",
                issue_text(kind, tab=table.title or table.tab.name, label=column.label,
                           accepted=", ".join(column.headers), row=table.header_row),
                blocking=True)
    return all(table.has(f) for f in table.tab.required_fields)
