"""Contract section 3, accepted date cells, parsed a whole column at a time.

- a date or datetime cell;
- a number: a spreadsheet serial (days since 1899-12-30);
- text `dd/mm/yyyy`, `d/m/yyyy`, `dd-mm-yyyy`, `dd.mm.yyyy`, `dd/mm/yy`, `d/m/yy` (20yy),
  `yyyy-mm-dd`, each optionally followed by a time `hh:mm` or `hh:mm:ss`.
Text is day-first, always. Only the calendar date counts.

A date outside 1900-01-01 .. 2100-12-31 (`27/11/2620` typed for 2026, a serial above
73,415, a date cell of year 1200) is unreadable like any other bad cell: it never
reaches pandas' own range (1677-2262) nor a working-day calendar of centuries.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wardbrief.read.cells import distinct, is_blank_value, spread
from wardbrief.read.schema import DATE_MAX, DATE_MIN

SERIAL_EPOCH = pd.Timestamp("1899-12-30")
_SERIAL_MIN = (DATE_MIN - SERIAL_EPOCH.date()).days  # 2
_SERIAL_MAX = (DATE_MAX - SERIAL_EPOCH.date()).days  # 73415

_TIME = r"(?:[ T]+(?P<hh>\d{1,2}):(?P<mi>\d{2})(?::(?P<ss>\d{2}))?)?"
_DAY_FIRST = (
    r"^(?P<d>\d{1,2})(?P<sep>[/.\-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})" + _TIME + r"$"
)
_ISO = r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})" + _TIME + r"$"


@dataclass
class ParsedDates:
    values: pd.Series  # datetime64[ns] at midnight, NaT where blank or unreadable
    blank: pd.Series  # bool: the cell is blank
    unreadable: pd.Series  # bool: not blank, but not an accepted date


_DAY_FIRST_RE = re.compile(_DAY_FIRST)
_ISO_RE = re.compile(_ISO)
_NAT = np.datetime64("NaT", "ns")


def _number(digits: str | None) -> int | None:
    """The value of a run of digits, None for digits outside ASCII (`٢`, `２`): they
    are no date's digits."""
    return int(digits) if digits is not None and digits.isascii() else None


def _day_first_parts(found: re.Match[str]) -> tuple[int | None, int | None, int | None] | None:
    """(day, month, year) of a text found `dd/mm/yyyy` (any accepted separator); None
    for a 2-digit year (20yy) after any separator but '/'."""
    year = found["y"]
    if len(year) == 2:
        if found["sep"] != "/":
            return None
        year = "20" + year
    return _number(found["d"]), _number(found["m"]), _number(year)


def _text_date(text: str) -> np.datetime64:
    """A stripped text cell as a date at midnight; NaT where not an accepted form (time
    included) or not a real date between DATE_MIN and DATE_MAX."""
    found = _DAY_FIRST_RE.search(text)
    if found is not None:
        parts = _day_first_parts(found)
    else:
        found = _ISO_RE.search(text)
        if found is None:
            return _NAT
        parts = _number(found["d"]), _number(found["m"]), _number(found["y"])
    if parts is None or None in parts:
        return _NAT
    day, month, year = parts
    hour, minute, second = (_number(found[g]) or 0 for g in ("hh", "mi", "ss"))
    if hour >= 24 or minute >= 60 or second >= 60 or not DATE_MIN.year <= year <= DATE_MAX.year:
        return _NAT
    try:
        return np.datetime64(dt.date(year, month, day), "ns")
    except ValueError:  # 31/02, month 13
        return _NAT


def _text_dates(text: pd.Series) -> pd.Series:
    """Parse stripped text cells; NaT where not an accepted form or not a real date (one
    cell at a time: they are distinct cells, and pandas' steps per column cost more than
    the few hundred cells of a workbook's dates)."""
    return pd.Series([_text_date(t) for t in text], index=text.index, dtype="datetime64[ns]")


def _as_float(number: object) -> float:
    try:
        return float(number)  # type: ignore[arg-type]
    except (OverflowError, TypeError, ValueError):  # an int of 400 digits
        return np.nan


def _serial_dates(numbers: pd.Series) -> pd.Series:
    values = numbers.map(_as_float).astype(float)
    ok = values.between(_SERIAL_MIN, _SERIAL_MAX + 1, inclusive="left")  # NaN and inf: no
    days = np.floor(values.where(ok)).to_numpy()
    result = SERIAL_EPOCH + pd.to_timedelta(days, unit="D")
    return pd.Series(result, index=numbers.index).astype("datetime64[ns]")


def _date_cells(cells: pd.Series) -> pd.Series:
    return pd.to_datetime(cells.map(_as_timestamp), errors="coerce").dt.normalize()


def _as_timestamp(cell: object) -> object:
    if isinstance(cell, (dt.date, dt.datetime)) and cell is not pd.NaT:
        day = cell.date() if isinstance(cell, dt.datetime) else cell
        if DATE_MIN <= day <= DATE_MAX:
            return pd.Timestamp(day)
    return pd.NaT


def _parse_values(values: pd.Series) -> pd.Series:
    """Parse distinct cell values (object Series) to dates; NaT where not a date."""
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    kinds = values.map(type)
    is_text = kinds.eq(str)
    is_number = kinds.isin([int, float, np.int64, np.float64])
    is_date = kinds.isin([dt.date, dt.datetime, pd.Timestamp])
    if is_text.any():
        out.loc[is_text] = _text_dates(values[is_text].astype(str).str.strip())
    if is_number.any():
        out.loc[is_number] = _serial_dates(values[is_number])
    if is_date.any():
        out.loc[is_date] = _date_cells(values[is_date])
    return out


class DateMemo:
    """What parse_dates and month_first_only decided for each distinct cell, kept for the
    next column that holds it: a workbook's date columns share the same few hundred days,
    and each column costs pandas a dozen steps however few they are."""

    def __init__(self) -> None:
        self.values: dict[tuple[type, object], np.datetime64] = {}
        self.month_first: dict[tuple[type, object], bool] = {}


def _memo_key(cell: object) -> tuple[type, object] | None:
    """The memo's key of a cell: its type with it (1, 1.0 and True are not one cell)."""
    try:
        hash(cell)
    except TypeError:
        return None
    return (type(cell), cell)


def _memoized(uniques: pd.Series, decide, store: dict | None, dtype: str) -> pd.Series:
    """decide(uniques) (elementwise over distinct cells), taking what `store` holds
    already and keeping there what was decided now."""
    if store is None:
        return decide(uniques)
    keys = [_memo_key(cell) for cell in uniques]
    todo = [i for i, k in enumerate(keys) if k is None or k not in store]
    decided = {}
    if todo:
        fresh = decide(uniques.iloc[todo]).to_numpy(dtype=dtype)
        for i, value in zip(todo, fresh):
            decided[i] = value
            if keys[i] is not None:
                store[keys[i]] = value
    values = [decided[i] if i in decided else store[k] for i, k in enumerate(keys)]
    return pd.Series(np.array(values, dtype=dtype), index=uniques.index, copy=False)


def parse_dates(column: pd.Series, memo: DateMemo | None = None) -> ParsedDates:
    """Parse a column of raw cells (once per distinct value, or once per workbook with a
    `memo`); blank and unreadable cells are told apart."""
    column = pd.Series(column, copy=False)
    codes, uniques = distinct(column)
    blank = spread(codes, uniques.map(is_blank_value).astype(bool), True, column.index)
    parsed = _memoized(uniques, _parse_values, memo.values if memo else None,
                       "datetime64[ns]")
    values = spread(codes, parsed, pd.NaT, column.index)
    values = values.astype("datetime64[ns]")
    blank = blank.astype(bool)
    unreadable = ~blank & values.isna()
    return ParsedDates(values=values, blank=blank, unreadable=unreadable)


def month_first_only(column: pd.Series, memo: DateMemo | None = None) -> pd.Series:
    """True for a text cell `a/b/yyyy` (any accepted separator) that is no date read
    day-first, as the contract reads it, but is one read month-first (`8/13/2026`): a
    sign that the column was typed with US settings. Once per distinct value (or once
    per workbook with a `memo`)."""
    column = pd.Series(column, copy=False)
    codes, uniques = distinct(column)
    found = _memoized(uniques, _month_first_values, memo.month_first if memo else None,
                      "bool")
    return spread(codes, found, False, column.index).astype(bool)


def _month_first_values(uniques: pd.Series) -> pd.Series:
    return pd.Series([type(cell) is str and _month_first(cell.strip()) for cell in uniques],
                     index=uniques.index, dtype=bool)


def _month_first(text: str) -> bool:
    """A text `a/b/yyyy` that is no date read day-first but a sane one read month-first."""
    found = _DAY_FIRST_RE.search(text)
    parts = None if found is None else _day_first_parts(found)
    if parts is None or None in parts:
        return False
    day, month, year = parts  # as read day-first
    if month <= 12 or not DATE_MIN.year <= year <= DATE_MAX.year:
        return False
    try:
        dt.date(year, day, month)
    except ValueError:
        return False
    return np.isnat(_text_date(text))
