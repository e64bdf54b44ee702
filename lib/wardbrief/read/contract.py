"""Contract sections 1-2: raw cells -> typed frames + DataIssues.

Every tab goes through the same steps: find it by title key, take the first
non-blank row as the header, match headers by key, skip rows whose cells are all
blank, then validate column-wise. A row is either valid or rejected with one error
(the first reason wins); nothing is dropped silently.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from wardbrief.read import privacy, schema
from wardbrief.read.cells import (
    TextColumn,
    blank_mask,
    cell_text,
    distinct,
    one_cell_text,
    per_value,
    spread,
)
from wardbrief.read.dates import DateMemo, month_first_only, parse_dates
from wardbrief.read.issues import DataIssue
from wardbrief.read.messages import (
    DUE_SOON_DAYS,
    ISSUE_MESSAGES,
    LIMIT_DAYS,
    MONTHLY_TARGET,
    TARGET_PERCENT,
    VALUE_LIMIT,
)
from wardbrief.read.names import key, tab_key
from wardbrief.read.sources.base import RawWorkbook


def _setting_default(name: str) -> str | int | float:
    return next(s.default for s in schema.SETTINGS if s.name == name)


@dataclass
class Settings:
    """The ward's `CauHinh` values; names, defaults and rules in schema.SETTINGS."""

    ward_name: str = str(_setting_default("ward_name"))
    default_limit: int = int(_setting_default("default_limit"))
    due_soon_days: int = int(_setting_default("due_soon_days"))
    on_time_target: float = float(_setting_default("on_time_target"))  # percent
    # CauHinh `Dữ liệu mẫu` (written by the synthetic workbook generator): the figures are
    # invented and every output carries the mark DỮ LIỆU MẪU.
    demo: bool = False
    cutoff_day: int = int(_setting_default("cutoff_day"))  # NĐ 09/2019 Điều 12; 0 = calendar
    signer_name: str = str(_setting_default("signer_name"))  # blank: a line is left for it
    signer_title: str = str(_setting_default("signer_title"))
    doc_symbol: str = str(_setting_default("doc_symbol"))  # after the number left blank


CUTOFF_MAX = 28  # every month has a 28th


def parse_cutoff_day(value: object) -> int | None:
    """`14`, `14.0`, `0`, `cuối tháng` (any case, with or without diacritics) -> the
    cut-off day of the reporting periods (0 = calendar months); None when it is not one."""
    if value is None or isinstance(value, bool):
        return None
    if not isinstance(value, (int, float)):
        if key(str(value)) in ("cuoi thang", "ngay cuoi thang"):
            return 0
        try:
            value = float(str(value).strip().replace(",", "."))
        except ValueError:
            return None
    number = float(value)
    if not number.is_integer() or not 0 <= number <= CUTOFF_MAX:
        return None
    return int(number)


@dataclass
class Workbook:
    raw: RawWorkbook
    settings: Settings
    departments: pd.DataFrame  # index code; columns name, head, email (text, `;`)
    categories: pd.DataFrame  # columns name, key, limit
    days_off: list[dt.date]
    make_up_days: list[dt.date]
    cases: pd.DataFrame
    tasks: pd.DataFrame
    posts: pd.DataFrame
    targets: dict[str, int]
    issues: list[DataIssue]
    rows: dict[str, dict[str, int]]
    missing_required: list[str] = field(default_factory=list)
    reporter_names: list[str] = field(default_factory=list)  # personal data, for masking
    name_matcher: privacy.NameMatcher | None = field(default=None, repr=False)
    # The one mask of the citizens' cells every output shows (read.privacy).
    personal: privacy.PersonalData | None = field(default=None, repr=False)
    calendar_cache: object | None = field(default=None, repr=False)  # figures.calendar
    rows_cache: object | None = field(default=None, repr=False)  # figures.fingerprints
    tab_titles: dict[str, str] = field(default_factory=dict)  # contract tab -> source title
    # Sentences (Vietnamese) every briefing made from this workbook shows in its warnings
    # area: the demo mark, a date column typed month-first.
    notices: list[str] = field(default_factory=list)

    @property
    def department_codes(self) -> list[str]:
        return list(self.departments.index)

    @property
    def demo(self) -> bool:
        """The bundled synthetic sample (or another generated one), not a ward's data."""
        return self.settings.demo

    def issues_sorted(self) -> list[DataIssue]:
        return sorted(self.issues, key=DataIssue.sort_key)

    def blocking_issues(self) -> list[DataIssue]:
        """The errors that keep this workbook from giving true figures: a required tab
        missing or a source-level problem (an error without a row, e.g. a Google Sheet
        whose locale reads dates month-first) and a column a tab cannot be read without
        (CONTRACT section 2). A workbook with any of them is not briefed: only its
        data-quality list is published. Rejected rows alone do not block."""
        return [i for i in self.issues_sorted()
                if i.severity == "error" and (i.row is None or i.blocking)]

    @property
    def briefable(self) -> bool:
        return not self.blocking_issues()

    def tabs_present(self) -> dict[str, bool]:
        """Contract tab name -> whether the workbook has it."""
        return {tab.name: tab.name in self.tab_titles for tab in schema.TABS}


CASE_DATES = ("received", "assigned", "due_explicit", "extended_to", "responded")
TASK_DATES = ("assigned", "due", "completed")


# --------------------------------------------------------------------------------------
# Cells
# --------------------------------------------------------------------------------------
def keys_of(text: pd.Series) -> pd.Series:
    """key() of each text cell (None stays None), computed once per distinct value."""
    return per_value(text, lambda u: u.map(key), None)


def _whole_number(cell: object, bounds: tuple[int, int]) -> int | None:
    """A whole number within `bounds` (5, 5.0, '5'), else None."""
    number = _number(cell)
    if number is None or not number.is_integer() or not bounds[0] <= number <= bounds[1]:
        return None
    return int(number)


def _number(cell: object) -> float | None:
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


class _IssueLog:
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


def _find_tabs(raw: RawWorkbook, log: _IssueLog) -> dict[str, str]:
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


def _tab_issues(titles: dict[str, str], near: dict[str, list[str]], log: _IssueLog
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


def _as_frame(rows) -> pd.DataFrame:
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


def _text_as_categories(frame: pd.DataFrame) -> pd.DataFrame:
    """Each column holding only text (and blanks) as a categorical of the same cells."""
    for col in frame.columns:
        values = frame[col].to_numpy()
        if pd.api.types.infer_dtype(values, skipna=True) == "string":
            codes, uniques = pd.factorize(values, use_na_sentinel=True)
            frame[col] = pd.Categorical.from_codes(codes,
                                                   categories=pd.Index(uniques, dtype=object))
    return frame


def _read_table(raw: RawWorkbook, tab: schema.Tab, title: str, log: _IssueLog) -> Table:
    cells = raw.tabs[title]
    frame = _as_frame(cells)
    if not isinstance(cells, pd.DataFrame) and len(frame) >= CATEGORICAL_ROWS:
        frame = _text_as_categories(frame)
    if frame.shape[1] == 0:
        return _empty_table(tab, title)
    blank = np.logical_and.reduce([blank_mask(frame[c]).to_numpy() for c in frame.columns])
    filled = np.flatnonzero(~blank)
    if len(filled) == 0:
        return _empty_table(tab, title)
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


def _empty_table(tab: schema.Tab, title: str = "") -> Table:
    """A tab with no rows (absent, or without a single non-blank cell)."""
    data = pd.DataFrame({"sheet_row": pd.Series([], dtype=int)})
    for col in tab.columns:
        data[f"{col.field}__raw"] = pd.Series([], dtype=object)
    return Table(tab, title, data, {})


def _month_first_notice(table: Table, log: _IssueLog, field_name: str) -> None:
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


def _readable(table: Table, log: _IssueLog) -> bool:
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


# --------------------------------------------------------------------------------------
# Departments and name resolution
# --------------------------------------------------------------------------------------
def _read_departments(table: Table, log: _IssueLog) -> tuple[pd.DataFrame, dict[str, str]]:
    d = table.data
    code = cell_text(d["code__raw"])
    code_key = keys_of(code)
    blank_code = code.isna()
    dup = code_key.duplicated(keep="first") & ~blank_code
    log.rows(table, blank_code, "code", "error", "code_blank")
    log.rows(table, dup, "code", "error", "code_duplicate")
    ok = ~blank_code & ~dup
    departments = pd.DataFrame({
        "code": code[ok],
        "name": cell_text(d["name__raw"])[ok],
        "head": cell_text(d["head__raw"])[ok],
        "aliases": cell_text(d["aliases__raw"])[ok],
        "email": cell_text(d["email__raw"])[ok],
    }).set_index("code")
    lookup: dict[str, str] = {}
    # Codes first, then names, then aliases: an earlier kind of name wins a clash.
    for kind in ("code", "name", "aliases"):
        for code_value, row in departments.iterrows():  # a handful of departments
            if kind == "code":
                names = [code_value]
            elif kind == "name":
                names = [row["name"]]
            else:
                aliases = row["aliases"]
                names = aliases.split(";") if isinstance(aliases, str) else []
            for name in names:
                k = key(name)
                if k:
                    lookup.setdefault(k, code_value)
    departments["name"] = departments["name"].astype(object).fillna(
        departments.index.to_series())
    return departments[["name", "head", "email"]], lookup


def _resolve(text: pd.Series, keys: pd.Series | None, lookup: dict[str, str]
             ) -> tuple[pd.Series, pd.Series]:
    """(department code or UNASSIGNED, unresolvable mask) for a column of references
    (`keys`: their keys_of, when known already)."""
    resolved = (keys_of(text) if keys is None else keys).map(lookup).astype(object)
    unresolvable = text.notna() & resolved.isna()
    return resolved.fillna(schema.UNASSIGNED).astype(object), unresolvable


# --------------------------------------------------------------------------------------
# Optional settings tabs
# --------------------------------------------------------------------------------------
def _read_categories(table: Table, log: _IssueLog, default_limit: int) -> pd.DataFrame:
    d = table.data
    name = cell_text(d["name__raw"])
    log.rows(table, name.isna(), "name", "warning", "category_blank")
    limit = d["limit__raw"].map(lambda cell: _whole_number(cell, LIMIT_DAYS))
    bad_limit = name.notna() & limit.isna()
    log.rows(table, bad_limit, "limit", "warning", "limit_invalid", default=default_limit)
    cats = pd.DataFrame({"name": name, "key": keys_of(name), "limit": limit})[name.notna()]
    return cats.drop_duplicates("key", keep="first").reset_index(drop=True)


# The bounds of each rule (read.messages): a value outside is not used, the default stays.
RULE_BOUNDS: dict[str, tuple[int, int]] = {
    "positive_int": LIMIT_DAYS, "whole_number": DUE_SOON_DAYS, "percent": TARGET_PERCENT}


def _setting_value(rule: str, cell: object) -> str | int | float | None:
    """`Giá trị` read by its rule (schema.Setting.rule), or None when it cannot be."""
    if rule == "text":
        text = one_cell_text(cell)
        return text[:160] if text else None  # a ward name, not a 50 MB cell
    if rule == "flag":  # anything but blank, `Không`, `no`, `0` means yes
        return key(one_cell_text(cell) or "") not in schema.NOT_DEMO
    if rule in ("positive_int", "whole_number"):
        return _whole_number(cell, RULE_BOUNDS[rule])
    if rule == "percent":
        number = _number(str(one_cell_text(cell) or "")[:40].rstrip("%").strip())
        if number is None or not TARGET_PERCENT[0] <= number <= TARGET_PERCENT[1]:
            return None
        return number * 100 if 0 < number <= 1 else number
    if rule == "cutoff_day":
        return parse_cutoff_day(cell)
    raise ValueError(f"unknown setting rule {rule!r}")


def _read_settings(table: Table, log: _IssueLog) -> Settings:
    settings = Settings()
    d = table.data
    params = keys_of(cell_text(d["param__raw"]))
    for pos in range(len(d)):  # a handful of rows
        setting = schema.SETTING_KEYS.get(params.iloc[pos])
        if setting is None:
            continue
        cell = d["value__raw"].iloc[pos]
        value = _setting_value(setting.rule, cell)
        if value is not None:
            setattr(settings, setting.name, value)
        elif setting.issue:
            default = getattr(settings, setting.name)
            log.add(table, "CauHinh", int(d["sheet_row"].iloc[pos]), "value", setting.severity,
                    log.text(setting.issue, one_cell_text(cell),
                             default=f"{default:g}" if isinstance(default, float) else default))
    return settings


def _read_days_off(table: Table, log: _IssueLog) -> tuple[list[dt.date], list[dt.date]]:
    d = table.data
    _month_first_notice(table, log, "date")
    dates = parse_dates(d["date__raw"], log.dates)
    kind = keys_of(cell_text(d["kind__raw"]))
    bad_date = dates.values.isna()
    log.rows(table, dates.blank, "date", "warning", "day_blank")
    log.rows(table, dates.unreadable, "date", "warning", "day_unreadable")
    bad_kind = ~bad_date & ~kind.isin([schema.DAY_OFF, schema.MAKE_UP_DAY])
    log.rows(table, bad_kind, "kind", "warning", "day_kind_invalid")
    as_dates = dates.values.dt.date
    off = sorted(set(as_dates[~bad_date & kind.eq(schema.DAY_OFF)]))
    make_up = sorted(set(as_dates[~bad_date & kind.eq(schema.MAKE_UP_DAY)]))
    return off, make_up


def _first_rule(channel_keys: pd.Series, rules: tuple[tuple[str, tuple[str, ...]], ...],
                otherwise: str) -> pd.Series:
    """The name of the first rule one of whose substrings the key contains, else `otherwise`."""
    codes, keys = distinct(channel_keys.fillna(""))  # decided once per distinct key
    out = pd.Series(otherwise, index=keys.index, dtype=object)
    decided = pd.Series(False, index=keys.index)
    text = keys.astype(str)
    for name, needles in rules:
        hit = ~decided & text.str.contains("|".join(needles), regex=True)
        out[hit] = name
        decided |= hit
    return spread(codes, out, otherwise, channel_keys.index).astype(object)


def normalize_channel(channel_keys: pd.Series) -> pd.Series:
    """Campaign channel -> radio / portal / social / other (by key substrings, in order)."""
    return _first_rule(channel_keys, schema.CHANNEL_RULES, "other")


def intake_channel(channel_keys: pd.Series) -> pd.Series:
    """Intake channel of a case (CONTRACT section 3): smart_app / system_1022 / in_person
    by key substrings, in that order; other for any other non-blank `Kênh`, unknown for
    a blank one."""
    out = _first_rule(channel_keys, schema.INTAKE_RULES, "other")
    return out.where(channel_keys.fillna("").ne(""), "unknown")


def _read_targets(table: Table, log: _IssueLog) -> dict[str, int]:
    d = table.data
    channel = normalize_channel(keys_of(cell_text(d["channel__raw"])))
    target = d["target__raw"].map(_number).astype(float)
    bad = ~target.between(*MONTHLY_TARGET)  # NaN too
    log.rows(table, bad, "target", "info", "monthly_target_invalid")
    sums = target[~bad].groupby(channel[~bad]).sum()
    return {ch: int(sums.get(ch, 0)) for ch in schema.CHANNELS if ch in sums.index}


# --------------------------------------------------------------------------------------
# PhanAnh
# --------------------------------------------------------------------------------------
def _unreadable_date_warnings(table: Table, log: _IssueLog, fields: tuple[str, ...],
                              valid: pd.Series) -> dict[str, pd.Series]:
    parsed: dict[str, pd.Series] = {}
    for name in fields:
        _month_first_notice(table, log, name)
        dates = parse_dates(table.data[f"{name}__raw"], log.dates)
        log.rows(table, dates.unreadable & valid, name, "warning", "date_unreadable")
        parsed[name] = dates.values
    return parsed


def _first_error(table: Table, log: _IssueLog, reasons: list[tuple[pd.Series, str, str]],
                 per_row: dict[str, pd.Series] | None = None) -> pd.Series:
    """Reject each row for its first reason; returns the mask of valid rows. `per_row`
    values are there for the messages that name them (see _IssueLog.rows)."""
    rejected = pd.Series(False, index=table.data.index)
    for mask, field_name, message in reasons:
        hit = mask & ~rejected
        log.rows(table, hit, field_name, "error", message, per_row=per_row)
        rejected |= hit
    return ~rejected


def _valid_rows(frame: pd.DataFrame, valid: pd.Series) -> pd.DataFrame:
    """The valid rows, numbered from 0 (all of them without a copy when none is rejected)."""
    keep = valid.to_numpy(dtype=bool)
    return (frame if keep.all() else frame[keep]).reset_index(drop=True)


def first_rows(ids: pd.Series, sheet_rows: pd.Series) -> pd.Series:
    """For each row, the spreadsheet row of the first row with the same id (blank ids: 0)."""
    codes, uniques = pd.factorize(ids.to_numpy(dtype=object), use_na_sentinel=True)
    rows = sheet_rows.to_numpy().astype(int)
    present, first_at = np.unique(codes, return_index=True)  # each code's first row
    first = np.zeros(len(uniques) + 1, dtype=int)  # the last entry, for code -1, stays 0
    keep = present >= 0
    first[present[keep]] = rows[first_at[keep]]
    return pd.Series(first[codes], index=sheet_rows.index)


def _status_kind(status_key: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(returned, answered, unknown) masks for status keys (decided per distinct key)."""
    codes, keys = distinct(status_key)
    text = keys.fillna("").astype(str)
    pattern = "|".join(schema.RETURNED_SUBSTRINGS)
    returned = text.str.contains(pattern, regex=True) | text.isin(schema.RETURNED_EXACT)
    answered = text.isin(schema.ANSWERED_STATUSES)
    unknown = ~returned & ~answered & ~text.isin(schema.OPEN_STATUSES)
    index = status_key.index
    return (spread(codes, returned, False, index).astype(bool),
            spread(codes, answered, False, index).astype(bool),
            spread(codes, unknown, False, index).astype(bool))


def _id_rules(ids: pd.Series, field: str, sheet_rows: pd.Series
              ) -> tuple[list[tuple[pd.Series, str, str]], pd.Series]:
    """The contract's two id errors, in order: blank, then seen on an earlier row (the
    first one stands). Messages `<field>_blank` / `<field>_duplicate`; with them, each
    row's first_rows (the row its id was first seen on, for the duplicate's message)."""
    blank = ids.isna()
    repeated = ids.duplicated(keep="first") & ~blank
    if repeated.any():
        first = first_rows(ids, sheet_rows)
    else:  # every id once: each row is its own first
        first = pd.Series(np.where(blank.to_numpy(), 0, sheet_rows.to_numpy().astype(int)),
                          index=sheet_rows.index)
    return [(blank, field, f"{field}_blank"), (repeated, field, f"{field}_duplicate")], first


def _read_cases(table: Table, log: _IssueLog, lookup: dict[str, str],
                categories: pd.DataFrame, settings: Settings, reporter: TextColumn
                ) -> tuple[pd.DataFrame, list[str]]:
    """The valid cases, and the reporters they name (in row order, for masking);
    `reporter` is the table's `Người phản ánh` column, read already.

    Each text column is decided once per distinct cell (cells.TextColumn) and spread over
    the rows once: a million cases hold a few hundred distinct categories, areas,
    departments, statuses, ratings and channels."""
    if not _readable(table, log):
        table = table.without_rows()
        reporter = TextColumn(table.data["reporter__raw"])
    d = table.data
    case_id = cell_text(d["case_id__raw"])
    _month_first_notice(table, log, "received")
    received = parse_dates(d["received__raw"], log.dates)
    id_rules, first_row = _id_rules(case_id, "case_id", d["sheet_row"])
    valid = _first_error(table, log, [
        *id_rules,
        (received.blank, "received", "received_blank"),
        (received.unreadable, "received", "received_unreadable"),
    ], per_row={"first_row": first_row})
    dates = _unreadable_date_warnings(
        table, log, ("assigned", "due_explicit", "extended_to", "responded"), valid)

    category = TextColumn(d["category__raw"])
    limits = dict(zip(categories["key"], categories["limit"]))
    unknown_category = category.text.notna() & ~category.keys.isin(list(limits))
    log.rows(table, valid & category.rows(unknown_category, False), "category", "warning",
             "category_unknown")
    default_limit = float(settings.default_limit)
    limit = category.keys.map(limits).astype(float).fillna(default_limit)
    canonical = dict(zip(categories["key"], categories["name"]))
    category_name = category.keys.map(canonical).astype(object).fillna(
        category.first_spellings())

    area = TextColumn(d["area__raw"])
    department = TextColumn(d["department__raw"])
    code, unresolvable = _resolve(department.text, department.keys, lookup)
    log.rows(table, valid & department.rows(unresolvable, False), "department", "warning",
             "department_unknown")

    responded = dates["responded"]
    early = valid & (responded < received.values)
    log.rows(table, early, "responded", "warning", "responded_before_received",
             shown=responded[early].dt.strftime("%d/%m/%Y"))  # the flagged rows' dates only
    status = TextColumn(d["status__raw"])
    returned, answered, unknown = _status_kind(status.keys)
    log.rows(table, valid & status.rows(answered, False) & responded.isna(), "status",
             "warning", "answered_without_date")
    log.rows(table, valid & status.rows(unknown, False), "status", "warning",
             "status_unknown")
    rating = TextColumn(d["rating__raw"])
    odd_rating = rating.text.notna() & ~rating.keys.isin([schema.RATING_SATISFIED,
                                                           schema.RATING_NOT_SATISFIED])
    log.rows(table, valid & rating.rows(odd_rating, False), "rating", "info",
             "rating_unknown")

    channel = TextColumn(d["channel__raw"])
    cases = pd.DataFrame({
        "case_id": case_id,
        "sheet_row": d["sheet_row"],
        "received": received.values,
        "channel": channel.row_text(),
        "intake": channel.rows(intake_channel(channel.keys), "unknown"),
        "category": category.row_text(),
        # the LinhVuc spelling, else the first one seen
        "category_name": category.rows(category_name, np.nan),
        "summary": cell_text(d["summary__raw"]),
        "reporter": reporter.row_text(),
        "phone": cell_text(d["phone__raw"]),
        "area": area.rows(area.first_spellings(), np.nan),  # one spelling per key
        "department": department.rows(code, schema.UNASSIGNED),
        "assigned": dates["assigned"],
        "due_explicit": dates["due_explicit"],
        "extended_to": dates["extended_to"],
        "responded": responded,
        "status": status.row_text(),
        "rating": rating.row_text(),
        "satisfied": rating.rows(rating.keys.eq(schema.RATING_SATISFIED), False),
        "returned": status.rows(returned, False),
        "limit_days": category.rows(limit, default_limit).astype(int),
    }, copy=False)  # the columns as made, not copied again into one block per type
    keep = valid.to_numpy(dtype=bool)
    return _valid_rows(cases, valid), reporter.texts_in_row_order(keep)


# --------------------------------------------------------------------------------------
# NhiemVu and TruyenThong
# --------------------------------------------------------------------------------------
def parse_progress(column: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Progress in percent: 60, '60%', 0.6 all mean 60.

    Returns (percent, unreadable, out of range): a number outside 0-100 is readable
    (no contract warning) but implausible, and is not used."""
    text = cell_text(column)
    has_percent = text.fillna("").str.endswith("%")
    numbers = text.fillna("").str.rstrip("%").str.strip().str.replace(",", ".", regex=False)
    value = pd.to_numeric(numbers, errors="coerce")
    fraction = ~has_percent & value.between(0, 1, inclusive="both") & (value < 1)
    value = value.where(~fraction, value * 100)
    unreadable = text.notna() & value.isna()
    out_of_range = value.notna() & ((value < 0) | (value > 100))
    return value.where(~out_of_range), unreadable, out_of_range


def _read_tasks(table: Table, log: _IssueLog, lookup: dict[str, str]) -> pd.DataFrame:
    if not _readable(table, log):
        table = table.without_rows()
    d = table.data
    task_id = cell_text(d["task_id__raw"])
    content = cell_text(d["content__raw"])
    id_rules, first_row = _id_rules(task_id, "task_id", d["sheet_row"])
    valid = _first_error(table, log, [
        *id_rules,
        (content.isna(), "content", "content_blank"),
    ], per_row={"first_row": first_row})
    dates = _unreadable_date_warnings(table, log, ("assigned", "due", "completed"), valid)
    progress, bad_progress, odd_progress = parse_progress(d["progress__raw"])
    log.rows(table, valid & bad_progress, "progress", "warning", "progress_unreadable")
    log.rows(table, valid & odd_progress, "progress", "info", "progress_out_of_range")
    lead, lead_bad = _resolve(cell_text(d["lead__raw"]), None, lookup)
    log.rows(table, valid & lead_bad, "lead", "warning", "department_unknown")
    support_text = cell_text(d["support__raw"])
    parts = support_text.str.split(";").explode().str.strip()
    parts = parts[parts.notna() & parts.ne("")]
    part_code, part_bad = _resolve(parts, None, lookup)
    bad_rows = part_bad.groupby(level=0).any().reindex(d.index, fill_value=False)
    log.rows(table, valid & bad_rows, "support", "warning", "support_unknown")
    support = part_code[~part_bad].groupby(level=0).agg(list).reindex(d.index)
    status = cell_text(d["status__raw"])
    status_key = keys_of(status).fillna("")
    blocked = status_key.str.contains("|".join(schema.BLOCKED_SUBSTRINGS), regex=True)
    tasks = pd.DataFrame({
        "task_id": task_id,
        "sheet_row": d["sheet_row"],
        "content": content,
        "group": cell_text(d["group__raw"]),
        "basis": cell_text(d["basis__raw"]),
        "lead": lead,
        "support": support.map(lambda v: v if isinstance(v, list) else []),
        "assigned": dates["assigned"],
        "due": dates["due"],
        "progress": progress,
        "completed": dates["completed"],
        "status": status,
        "blocked": blocked.astype(bool),
    })
    return _valid_rows(tasks, valid)


def _read_posts(table: Table, log: _IssueLog, lookup: dict[str, str]) -> pd.DataFrame:
    if not _readable(table, log):
        table = table.without_rows()
    d = table.data
    _month_first_notice(table, log, "date")
    date = parse_dates(d["date__raw"], log.dates)
    valid = _first_error(table, log, [
        (date.blank, "date", "post_date_blank"),
        (date.unreadable, "date", "post_date_unreadable"),
    ])
    department, bad = _resolve(cell_text(d["department__raw"]), None, lookup)
    log.rows(table, valid & bad, "department", "warning", "department_unknown")
    channel_text = cell_text(d["channel__raw"])
    posts = pd.DataFrame({
        "sheet_row": d["sheet_row"],
        "date": date.values,
        "channel": normalize_channel(keys_of(channel_text)),
        "channel_text": channel_text,
        "department": department,
        "title": cell_text(d["title__raw"]),
        "link": cell_text(d["link__raw"]),
    })
    return _valid_rows(posts, valid)


# --------------------------------------------------------------------------------------
# The whole workbook
# --------------------------------------------------------------------------------------
def read_workbook(raw: RawWorkbook) -> Workbook:
    log = _IssueLog(raw)
    titles = log.titles = _find_tabs(raw, log)
    missing = _tab_issues(titles, near_titles(raw, titles), log)

    def table(tab: schema.Tab) -> Table:
        if tab.name not in titles:
            return _empty_table(tab)
        return _read_table(raw, tab, titles[tab.name], log)

    counted = {name: table(tab) for name, tab in (
        ("PhanAnh", schema.PHANANH), ("NhiemVu", schema.NHIEMVU),
        ("TruyenThong", schema.TRUYENTHONG))}
    # Every reporter named in PhanAnh (rejected rows too) is masked in what follows.
    reporter = TextColumn(counted["PhanAnh"].data["reporter__raw"])
    names = privacy.name_matcher(reporter.texts_in_row_order())
    log.names = names
    log.items = [_masked(issue, names) for issue in log.items]
    settings = _read_settings(table(schema.CAUHINH), log)
    departments, lookup = _read_departments(table(schema.DONVI), log)
    names.keep(departments["head"].tolist())  # heads of departments are not citizens
    categories = _read_categories(table(schema.LINHVUC), log, settings.default_limit)
    days_off, make_up = _read_days_off(table(schema.NGAYNGHI), log)
    cases, reporter_names = _read_cases(counted["PhanAnh"], log, lookup, categories, settings,
                                        reporter)
    tasks = _read_tasks(counted["NhiemVu"], log, lookup)
    posts = _read_posts(counted["TruyenThong"], log, lookup)
    targets = _read_targets(table(schema.CHITIEU), log)
    valid_counts = {"PhanAnh": len(cases), "NhiemVu": len(tasks), "TruyenThong": len(posts)}
    rows = {
        name: {"total": len(t.data), "valid": valid_counts[name],
               "rejected": len(t.data) - valid_counts[name]}
        for name, t in counted.items()
    }
    return Workbook(
        raw=raw, settings=settings, departments=departments, categories=categories,
        days_off=days_off, make_up_days=make_up, cases=cases, tasks=tasks, posts=posts,
        targets=targets, issues=[*raw.source_issues, *log.items],
        rows=rows, missing_required=missing,
        reporter_names=reporter_names, name_matcher=names,
        personal=privacy.PersonalData(names),
        tab_titles=titles,
        notices=([issue_text("demo_notice")] if settings.demo else []) + log.notices,
    )


def _masked(issue: DataIssue, names: privacy.NameMatcher) -> DataIssue:
    """An issue raised before the reporter names were known, with them masked."""
    masked = names.mask(issue.message)
    return issue if masked == issue.message else replace(issue, message=masked)
