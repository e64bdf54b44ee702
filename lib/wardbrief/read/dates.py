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


def _text_dates(text: pd.Series) -> pd.Series:
    """Parse stripped text cells; NaT where not an accepted form or not a real date."""
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    if text.empty:
        return out
    day_first = text.str.extract(_DAY_FIRST)
    two_digit = day_first["y"].str.len().eq(2)
    # A 2-digit year is accepted only with '/' (dd/mm/yy, d/m/yy).
    day_first.loc[two_digit & day_first["sep"].ne("/"), ["d", "m", "y"]] = np.nan
    day_first.loc[two_digit, "y"] = "20" + day_first.loc[two_digit, "y"].astype(str)
    iso = text.str.extract(_ISO)
    parts = day_first.combine_first(iso)
    for name in ("d", "m", "y"):
        parts[name] = pd.to_numeric(parts[name], errors="coerce")
    hour = pd.to_numeric(parts["hh"], errors="coerce").fillna(0)
    minute = pd.to_numeric(parts["mi"], errors="coerce").fillna(0)
    second = pd.to_numeric(parts["ss"], errors="coerce").fillna(0)
    time_ok = (hour < 24) & (minute < 60) & (second < 60)
    frame = pd.DataFrame({"year": parts["y"], "month": parts["m"], "day": parts["d"]})
    in_range = frame["year"].between(DATE_MIN.year, DATE_MAX.year)
    has_parts = frame.notna().all(axis=1) & time_ok & in_range
    if has_parts.any():
        out.loc[has_parts] = pd.to_datetime(frame.loc[has_parts], errors="coerce")
    return out


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
    return pd.Series(np.array(values, dtype=dtype), index=uniques.index)


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
    is_text = uniques.map(type).eq(str)
    found = pd.Series(False, index=uniques.index)
    if is_text.any():
        text = uniques[is_text].astype(str).str.strip()
        parts = text.str.extract(_DAY_FIRST)
        two_digit = parts["y"].str.len().eq(2)
        parts.loc[two_digit & parts["sep"].ne("/"), ["d", "m", "y"]] = np.nan
        parts.loc[two_digit, "y"] = "20" + parts.loc[two_digit, "y"].astype(str)
        numbers = parts[["d", "m", "y"]].apply(pd.to_numeric, errors="coerce")
        swapped = pd.DataFrame({"year": numbers["y"], "month": numbers["d"],
                                "day": numbers["m"]})
        candidate = (swapped.notna().all(axis=1) & numbers["m"].gt(12)
                     & numbers["y"].between(DATE_MIN.year, DATE_MAX.year))  # a sane date
        as_dates = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
        if candidate.any():
            parsed = pd.to_datetime(swapped[candidate], errors="coerce")
            as_dates.loc[parsed.index] = parsed.astype("datetime64[ns]").to_numpy()
        found[is_text] = as_dates.notna() & _text_dates(text).isna()
    return found.astype(bool)
