"""Report periods, and the one table of the reports that use them.

A report declares its period kind; the dates follow from a cut-off day (`Ngày chốt số
liệu` in CauHinh). Nghị định 09/2019/NĐ-CP, Điều 12 (cut-off 14):

| kind      | period T                | from                              | to                  |
|-----------|-------------------------|-----------------------------------|---------------------|
| month     | month M                 | 15 of month M−1                   | 14 of M             |
| quarter   | quarter Q               | 15 of the month before Q          | 14 of Q's last month|
| half_year | H1 / H2 of year Y       | 15/12 of Y−1 / 15/06 of Y         | 14/06 / 14/12 of Y  |
| year      | year Y                  | 15/12 of Y−1                      | 14/12 of Y          |

With cut-off c (1..28) the 15th is c+1 and the 14th is c. With cut-off 0 (`cuối tháng`)
periods are calendar months, quarters, halves and years. A `week` is the contract's
default period (A − 6 days to A); `custom` is given dates. Labels are machine-readable
(`2026-11`, `2026-Q4`, `2026-H1`, `2026`); the Vietnamese names are in briefings.labels.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from wardbrief.read.schema import setting_default

DEFAULT_CUTOFF = int(setting_default("cutoff_day"))  # 14: Nghị định 09/2019/NĐ-CP, Điều 12
WEEK, MONTH, QUARTER, HALF_YEAR, YEAR, CUSTOM = (
    "week", "month", "quarter", "half_year", "year", "custom")
KINDS = (WEEK, MONTH, QUARTER, HALF_YEAR, YEAR, CUSTOM)
MONTHS_IN = {MONTH: 1, QUARTER: 3, HALF_YEAR: 6, YEAR: 12}  # the kinds on the cut-off


@dataclass(frozen=True)
class Period:
    kind: str
    label: str
    start: dt.date
    end: dt.date
    cutoff: int = DEFAULT_CUTOFF  # of the kinds on the cut-off: previous() etc. keep it

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "label": self.label, "start": self.start.isoformat(),
                "end": self.end.isoformat()}


# --- the reports ----------------------------------------------------------------------

@dataclass(frozen=True)
class ReportKind:
    name: str  # the command's name and the output folder's
    notebook: str  # notebooks/<notebook>.ipynb (a notebook of several reports gets `report`)
    period: str  # one of KINDS
    title: str  # what the reader calls it (index, --help)
    formal: bool = False  # an administrative document: also written as .docx for signing


REPORT_KINDS: tuple[ReportKind, ...] = (
    ReportKind("weekly_briefing", "weekly_briefing", WEEK, "Báo cáo giao ban tuần"),
    ReportKind("monthly_report", "monthly_report", MONTH, "Báo cáo tháng", formal=True),
    ReportKind("quarterly_report", "period_report", QUARTER, "Báo cáo quý", formal=True),
    ReportKind("half_year_report", "period_report", HALF_YEAR, "Báo cáo 6 tháng", formal=True),
    ReportKind("year_report", "period_report", YEAR, "Báo cáo năm", formal=True),
    ReportKind("department_reminders", "department_reminders", WEEK, "Phiếu đôn đốc các đơn vị",
               formal=True),
    ReportKind("data_quality", "data_quality", WEEK, "Danh sách lỗi dữ liệu"),
)
REPORT_NAMES: tuple[str, ...] = tuple(k.name for k in REPORT_KINDS)
BY_NAME: dict[str, ReportKind] = {k.name: k for k in REPORT_KINDS}


def report_kind(name: str) -> ReportKind | None:
    return BY_NAME.get(name)


# --- dates ----------------------------------------------------------------------------

def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _shift(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _span(last_year: int, last_month: int, months: int, cutoff: int) -> tuple[dt.date, dt.date]:
    """The dates of `months` months ending with (last_year, last_month) on the cut-off."""
    first_year, first_month = _shift(last_year, last_month, -(months - 1))
    if cutoff == 0:
        return dt.date(first_year, first_month, 1), _month_end(last_year, last_month)
    before_year, before_month = _shift(first_year, first_month, -1)
    return (dt.date(before_year, before_month, cutoff + 1),
            dt.date(last_year, last_month, cutoff))


def _label(kind: str, year: int, last_month: int) -> str:
    if kind == MONTH:
        return f"{year}-{last_month:02d}"
    if kind == QUARTER:
        return f"{year}-Q{last_month // 3}"
    if kind == HALF_YEAR:
        return f"{year}-H{last_month // 6}"
    return str(year)


def _on_cutoff(kind: str, year: int, last_month: int, cutoff: int) -> Period:
    start, end = _span(year, last_month, MONTHS_IN[kind], cutoff)
    return Period(kind, _label(kind, year, last_month), start, end, cutoff)


def month(year: int, number: int, cutoff: int = DEFAULT_CUTOFF) -> Period:
    return _on_cutoff(MONTH, year, number, cutoff)


def quarter(year: int, number: int, cutoff: int = DEFAULT_CUTOFF) -> Period:
    if not 1 <= number <= 4:
        raise ValueError(f"quarter {number} is not 1-4")
    return _on_cutoff(QUARTER, year, 3 * number, cutoff)


def half_year(year: int, number: int, cutoff: int = DEFAULT_CUTOFF) -> Period:
    if number not in (1, 2):
        raise ValueError(f"half {number} is not 1 or 2")
    return _on_cutoff(HALF_YEAR, year, 6 * number, cutoff)


def year(number: int, cutoff: int = DEFAULT_CUTOFF) -> Period:
    return _on_cutoff(YEAR, number, 12, cutoff)


def week(as_of: dt.date, cutoff: int = DEFAULT_CUTOFF) -> Period:
    """The contract's default period: A − 6 days to A."""
    return _dated(WEEK, as_of - dt.timedelta(days=6), as_of, cutoff)


def custom(start: dt.date, end: dt.date, cutoff: int = DEFAULT_CUTOFF) -> Period:
    if start > end:
        raise ValueError(f"period start {start} is after its end {end}")
    return _dated(CUSTOM, start, end, cutoff)


def _last_month(period: Period) -> tuple[int, int]:
    """(year, month) of the month the period is named after (its last month)."""
    if period.kind == MONTH:
        y, m = period.label.split("-")
        return int(y), int(m)
    if period.kind == QUARTER:
        y, q = period.label.split("-Q")
        return int(y), 3 * int(q)
    if period.kind == HALF_YEAR:
        y, h = period.label.split("-H")
        return int(y), 6 * int(h)
    if period.kind == YEAR:
        return int(period.label), 12
    raise ValueError(f"a {period.kind} period is not on the cut-off")


def ending_on_or_before(kind: str, day: dt.date, cutoff: int = DEFAULT_CUTOFF) -> Period:
    """The period of `kind` whose end is `day` or the latest before it (a week ends on
    `day` itself)."""
    if kind == WEEK:
        return week(day, cutoff)
    if kind not in MONTHS_IN:
        raise ValueError(f"a {kind} period has no end of its own")
    step = MONTHS_IN[kind]
    named_month = -(-day.month // step) * step  # the first month of the kind ≥ the day's
    own = _on_cutoff(kind, day.year, named_month, cutoff)
    if own.end <= day:
        return own
    return _on_cutoff(kind, *_shift(day.year, named_month, -step), cutoff)


def previous(period: Period) -> Period:
    """The period of the same kind just before (the same length for a week or given
    dates)."""
    if period.kind in MONTHS_IN:
        y, m = _shift(*_last_month(period), -MONTHS_IN[period.kind])
        return _on_cutoff(period.kind, y, m, period.cutoff)
    end = period.start - dt.timedelta(days=1)
    start = end - (period.end - period.start)
    return _dated(period.kind, start, end, period.cutoff)


def before_data(period: Period, first_case: dt.date | None) -> bool:
    """A report on the cut-off whose period ends before the sheet's first case has no
    figure to give (a 2025 year report of a sheet begun in June 2026): it is not built.
    A week or given dates are the user's own choice of A (`run` warns instead)."""
    return first_case is not None and period.kind in MONTHS_IN and period.end < first_case


def covered_from(start: dt.date, end: dt.date, first_case: dt.date | None) -> dt.date | None:
    """The sheet's first case when it falls inside the period after its first day: the
    period is covered only from then (its page 1 says so); else None."""
    if first_case is None or not start < first_case <= end:
        return None
    return first_case


def _dated(kind: str, start: dt.date, end: dt.date, cutoff: int = DEFAULT_CUTOFF) -> Period:
    label = end.isoformat() if kind == WEEK else f"{start.isoformat()}..{end.isoformat()}"
    return Period(kind, label, start, end, cutoff)


def same_period_last_year(period: Period) -> Period:
    """Cùng kỳ năm trước: the period of the same kind a year earlier."""
    if period.kind in MONTHS_IN:
        y, m = _last_month(period)
        return _on_cutoff(period.kind, y - 1, m, period.cutoff)
    return _dated(period.kind, _year_back(period.start), _year_back(period.end), period.cutoff)


def _year_back(day: dt.date) -> dt.date:
    """The same day a year earlier; 29/02 becomes 28/02."""
    return day.replace(year=day.year - 1, day=min(day.day, 28 if day.month == 2 else day.day))


def reporting_year(day: dt.date, cutoff: int = DEFAULT_CUTOFF) -> Period:
    """The reporting year that `day` falls in (15/12 of the year before to 14/12)."""
    named = day.year + 1 if cutoff and (day.month, day.day) > (12, cutoff) else day.year
    return year(named, cutoff)


def year_to_date(period: Period) -> Period:
    """Lũy kế từ đầu năm: from the start of the reporting year of the period's end to its
    end."""
    reporting = reporting_year(period.end, period.cutoff)
    return Period("year_to_date", f"{reporting.label}-YTD", reporting.start, period.end,
                  period.cutoff)


# --- from the command line ------------------------------------------------------------

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
_HALF = re.compile(r"^(\d{4})-?[Hh]([12])$")


def parse_month(text: str) -> tuple[int, int]:
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"'{text}' is not a month YYYY-MM")
    return int(match.group(1)), int(match.group(2))


def parse_quarter(text: str) -> tuple[int, int]:
    match = _QUARTER.match(text.strip())
    if not match:
        raise ValueError(f"'{text}' is not a quarter YYYY-Q1..YYYY-Q4")
    return int(match.group(1)), int(match.group(2))


def parse_half(text: str) -> tuple[int, int]:
    match = _HALF.match(text.strip())
    if not match:
        raise ValueError(f"'{text}' is not a half year YYYY-H1 or YYYY-H2")
    return int(match.group(1)), int(match.group(2))


def named_period(kind: str, cutoff: int = DEFAULT_CUTOFF, *, month_text: str | None = None,
                 quarter_text: str | None = None, half_text: str | None = None,
                 year_number: int | None = None) -> Period | None:
    """The period a report of `kind` names on the command line (`--month 2026-11`,
    `--quarter 2026-Q4`, `--half 2026-H1`, `--year 2026`), or None when none names it.
    A half-year report given only `--year` is the year's first half (the sơ kết 6 tháng
    đầu năm; the second half is reported by the year report, or by `--half YYYY-H2`)."""
    if kind == MONTH and month_text:
        return month(*parse_month(month_text), cutoff)
    if kind == QUARTER and quarter_text:
        return quarter(*parse_quarter(quarter_text), cutoff)
    if kind == HALF_YEAR and half_text:
        return half_year(*parse_half(half_text), cutoff)
    if kind == HALF_YEAR and year_number:
        return half_year(year_number, 1, cutoff)
    if kind == YEAR and year_number:
        return year(year_number, cutoff)
    return None


def period_for(report: str, as_of: dt.date, cutoff: int = DEFAULT_CUTOFF,
               start: dt.date | None = None) -> Period:
    """The period a report covers as of a day: the given dates when `start` is given;
    else, for a report on the cut-off, its period that ends on or before `as_of`; else
    the week ending at `as_of`."""
    if start is not None:
        return custom(start, as_of, cutoff)
    kind = BY_NAME[report].period if report in BY_NAME else WEEK
    if kind in MONTHS_IN:
        return ending_on_or_before(kind, as_of, cutoff)
    return week(as_of, cutoff)

