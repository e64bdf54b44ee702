"""Contract: the working-day calendar.

A day listed `Làm bù` in NgayNghi is a working day; a day listed `Nghỉ` is not; any
other day is one exactly when `holidays` (country VN) says so with `is_working_day`.

The calendar is an array over a range of dates: `cum[i]` is the number of working
days in (origin, origin + i]. Then for whole columns at once:
  wd(x, y]                  = cum[y] - cum[x]
  N-th working day after S  = first D with cum[D] >= cum[S] + N
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache

import holidays
import numpy as np
import pandas as pd

from wardbrief.read.contract import Workbook
from wardbrief.read.record_tabs import CASE_DATES, TASK_DATES

DAY = np.timedelta64(1, "D")
# Room past the last date seen, for due dates N working days later.
_TAIL_DAYS = 400
# Dates outside this window are clipped to it (a typo like 2206 must not build a calendar
# of two centuries); wd() near the window's edges is then approximate.
_EARLIEST = dt.date(1990, 1, 1)
_LATEST = dt.date(2100, 12, 31)


@cache
def _vn_working_year(year: int) -> np.ndarray:
    """is_working_day of `holidays` (country VN) for every day of `year` (the package's
    own rule, one pass per year and process; the neighbouring years are loaded too, for
    holidays observed across New Year)."""
    vn = holidays.country_holidays("VN", years=range(year - 1, year + 2))
    days = np.arange(np.datetime64(f"{year}-01-01"), np.datetime64(f"{year + 1}-01-01"),
                     dtype="datetime64[D]").astype(dt.date)
    mask = np.fromiter((vn.is_working_day(d) for d in days), dtype=bool, count=len(days))
    mask.setflags(write=False)
    return mask


class WorkCalendar:
    def __init__(
        self,
        start: dt.date,
        end: dt.date,
        days_off: Iterable[dt.date] = (),
        make_up_days: Iterable[dt.date] = (),
        tail_days: int = _TAIL_DAYS,
    ) -> None:
        start = min(max(start, _EARLIEST), _LATEST)
        end = min(max(end, start), _LATEST)
        self.origin = np.datetime64(start, "D") - DAY
        last = np.datetime64(end, "D") + tail_days
        days = np.arange(self.origin, last + DAY, dtype="datetime64[D]")
        self.working = self._working_mask(days, set(days_off), set(make_up_days))
        self.working[0] = False  # the origin itself lies outside (origin, ...]
        self.cum = np.cumsum(self.working, dtype=np.int64)
        self.days = days

    @staticmethod
    def _working_mask(
        days: np.ndarray, days_off: set[dt.date], make_up: set[dt.date]
    ) -> np.ndarray:
        first, last = int(str(days[0])[:4]), int(str(days[-1])[:4])
        whole = np.concatenate([_vn_working_year(y) for y in range(first, last + 1)])
        skip = int((days[0] - np.datetime64(f"{first}-01-01", "D")) // DAY)
        mask = whole[skip:skip + len(days)].copy()
        if days_off:
            mask &= ~np.isin(days, np.array(sorted(days_off), dtype="datetime64[D]"))
        if make_up:
            mask |= np.isin(days, np.array(sorted(make_up), dtype="datetime64[D]"))
        return mask

    @classmethod
    def covering(
        cls,
        dates: Iterable[pd.Series | np.ndarray],
        days_off: Iterable[dt.date] = (),
        make_up_days: Iterable[dt.date] = (),
        extra: Iterable[dt.date] = (),
        tail_days: int = _TAIL_DAYS,
    ) -> WorkCalendar:
        """A calendar wide enough for every date in `dates` (NaT ignored) and `extra`."""
        lows, highs = [], []
        for column in dates:
            if isinstance(column, pd.Series) and column.dtype.kind == "M":
                low, high = column.min(), column.max()  # NaT skipped, in C
                if not pd.isna(low):
                    lows.append(low.date())
                    highs.append(high.date())
                continue
            values = np.asarray(column, dtype="datetime64[D]")
            values = values[~np.isnat(values)]
            if len(values):
                lows.append(values.min().astype(dt.date))
                highs.append(values.max().astype(dt.date))
        for day in extra:
            lows.append(day)
            highs.append(day)
        today = dt.date.today()
        start = min(lows, default=today)
        end = max(highs, default=today)
        return cls(start, end, days_off, make_up_days, tail_days)

    def covers(self, day: dt.date) -> bool:
        index = (np.datetime64(day, "D") - self.origin) // DAY
        return 0 < index < len(self.cum) - _TAIL_DAYS // 2

    # -- array operations -------------------------------------------------------------
    def _positions(self, dates: pd.Series | np.ndarray | dt.date) -> tuple[np.ndarray, np.ndarray]:
        """(position of each date in the calendar, clipped to its range; where it is NaT)."""
        if isinstance(dates, np.ndarray) and np.issubdtype(dates.dtype, np.datetime64):
            days = dates.astype("datetime64[D]")
        else:
            values = pd.to_datetime(pd.Series(dates) if not np.isscalar(dates) else [dates])
            days = values.to_numpy().astype("datetime64[D]")
        missing = np.isnat(days)
        offsets = (days - self.origin).view(np.int64)  # NaT stays NaT (the smallest int)
        np.clip(offsets, 0, len(self.cum) - 1, out=offsets)
        return offsets, missing

    def _index(self, dates: pd.Series | np.ndarray | dt.date) -> np.ndarray:
        """Position of each date in the calendar (float; NaN for NaT; clipped to the range)."""
        positions, missing = self._positions(dates)
        idx = positions.astype(float)
        idx[missing] = np.nan
        return idx

    def count_at(self, dates: pd.Series | np.ndarray | dt.date) -> np.ndarray:
        """cum[] at each date (float, NaN for NaT)."""
        positions, missing = self._positions(dates)
        out = self.cum[positions].astype(float)
        out[missing] = np.nan
        return out

    def count_on(self, day: dt.date) -> float:
        """cum[] at one date."""
        return float(self.count_at(np.array([np.datetime64(day, "D")]))[0])

    def working_days_between(self, start, end) -> np.ndarray:
        """wd(start, end] for each pair (float; NaN where either is NaT)."""
        return self.count_at(end) - self.count_at(start)

    def add_working_days(self, start, n) -> pd.Series:
        """The first day D after each start with wd(start, D] = n (n >= 1)."""
        base = self.count_at(start)
        target = base + np.asarray(n, dtype=float)
        ok = ~np.isnan(target)
        out = np.full(target.shape, np.datetime64("NaT"), dtype="datetime64[ns]")
        pos = np.searchsorted(self.cum, target[ok], side="left")
        if len(pos) and pos.max() >= len(self.cum):
            raise ValueError("due date beyond the working-day calendar's range")
        out[ok] = self.days[pos].astype("datetime64[ns]")
        return pd.Series(out, copy=False)

    def is_working_day(self, day: dt.date) -> bool:
        return bool(self.working[int(self._index(day)[0])])


def workbook_calendar(workbook: Workbook, *extra: dt.date | None) -> WorkCalendar:
    """The working-day calendar covering every date of the workbook and `extra`
    (built once per workbook and widened only when a later call needs more days)."""
    cal = workbook.calendar_cache
    needed = [d for d in extra if d is not None]
    if not isinstance(cal, WorkCalendar) or any(not cal.covers(d) for d in needed):
        columns = [workbook.cases[c] for c in CASE_DATES] + [workbook.tasks[c] for c in TASK_DATES]
        columns.append(workbook.posts["date"])
        longest = int(workbook.cases["limit_days"].max()) if len(workbook.cases) else 0
        cal = WorkCalendar.covering(columns, workbook.days_off, workbook.make_up_days, needed,
                                    tail_days=400 + 2 * longest)
        workbook.calendar_cache = cal
    return cal
