"""Cases: due dates, the as-of rule, on time / late / open / overdue / due soon, rates.

All functions take whole columns; no per-row Python.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from wardbrief.figures.calendar import WorkCalendar
from wardbrief.read.schema import INTAKE_CHANNELS

COUNT_KEYS = ("received", "returned", "resolved", "resolved_on_time", "resolved_late", "open",
              "open_overdue", "open_due_soon")


def due_dates(cases: pd.DataFrame, calendar: WorkCalendar) -> pd.Series:
    """`Gia hạn đến` if valid, else `Hạn xử lý` if valid, else the N-th working day after
    S (S = `Ngày giao` if valid else `Ngày tiếp nhận`; N = the category's limit)."""
    start = cases["assigned"].fillna(cases["received"])
    computed = calendar.add_working_days(start.to_numpy(), cases["limit_days"].to_numpy())
    computed.index = cases.index
    return cases["extended_to"].fillna(cases["due_explicit"]).fillna(computed)


# The columns the figures read; the rest stays in the workbook (same index).
STATUS_COLUMNS = ("case_id", "received", "assigned", "department", "responded", "returned",
                  "rating", "satisfied", "category_name", "area", "intake")
# those case_totals and intake_counts read (a period whose cases are not listed)
TOTALS_COLUMNS = tuple(c for c in STATUS_COLUMNS if c not in ("case_id", "category_name", "area"))


def first_received(cases: pd.DataFrame) -> dt.date | None:
    """The day the sheet's first valid case was received (None: no case)."""
    first = cases["received"].min() if len(cases) else None
    return None if first is None or pd.isna(first) else pd.Timestamp(first).date()


def case_status(cases: pd.DataFrame, calendar: WorkCalendar, as_of: dt.date,
                period_start: dt.date, due_soon_days: int,
                due: pd.Series | None = None,
                columns: tuple[str, ...] = STATUS_COLUMNS) -> pd.DataFrame:
    """The cases received ≤ A with their due date, answer, flags and working_days_late;
    `due` (from due_dates) may be passed in when computed already; `columns`: those of
    the cases kept (TOTALS_COLUMNS: enough for case_totals and intake_counts)."""
    a = pd.Timestamp(as_of)
    p = pd.Timestamp(period_start)
    received = cases["received"] <= a
    due = due if due is not None else due_dates(cases, calendar)
    # a new frame sharing the taken columns: only new columns are added to it below (every
    # case received by A, as for a report as of the sheet's last day: all its rows, not a
    # copy of them taken by the mask)
    if received.all():
        c = cases[list(columns)].copy(deep=False)
        c["due"] = due
    else:
        c = cases.loc[received, list(columns)].copy(deep=False)
        c["due"] = due[received]
    answer = c["responded"].where(c["responded"] <= a)
    c["answer"] = answer
    active = ~c["returned"]
    c["is_received"] = c["received"] >= p  # received ≤ A already holds
    c["is_returned"] = c["returned"] & c["is_received"]
    c["is_resolved"] = active & answer.notna() & (answer >= p)
    c["is_resolved_on_time"] = c["is_resolved"] & (answer <= c["due"])
    c["is_resolved_late"] = c["is_resolved"] & ~c["is_resolved_on_time"]
    c["is_open"] = active & answer.isna()
    c["is_open_overdue"] = c["is_open"] & (a > c["due"])
    due_np = c["due"].to_numpy()
    left = calendar.count_at(due_np) - calendar.count_on(as_of)
    c["working_days_left"] = left
    c["is_open_due_soon"] = c["is_open"] & ~c["is_open_overdue"] & (left <= due_soon_days)
    late_wd = calendar.working_days_between(due_np, answer.to_numpy())
    overdue_wd = -left
    c["working_days_late"] = np.where(
        c["is_resolved_late"], late_wd, np.where(c["is_open_overdue"], overdue_wd, np.nan))
    # wd(S, R] with S as for the due date (0 when R <= S), for the cases resolved in period
    start = c["assigned"].fillna(c["received"]).to_numpy()
    taken = np.maximum(calendar.working_days_between(start, answer.to_numpy()), 0)
    c["working_days_taken"] = np.where(c["is_resolved"], taken, np.nan)
    c["is_rated"] = c["is_resolved"] & c["rating"].notna()
    c["is_satisfied"] = c["is_rated"] & c["satisfied"]
    return c


def case_totals(status: pd.DataFrame, departments: list[str]) -> tuple[dict, dict]:
    """(totals, by_department) of case_status(...), every department in `departments`,
    zeros included."""
    flags = ["is_" + k for k in COUNT_KEYS] + ["is_rated", "is_satisfied"]
    grouped = status.groupby("department")[flags].sum().reindex(departments, fill_value=0)
    grouped.columns = list(COUNT_KEYS) + ["rated", "satisfied"]
    grouped = grouped.astype(int)
    taken = status.loc[status["is_resolved"], ["department", "working_days_taken"]]
    mean_taken = taken.groupby("department")["working_days_taken"].mean()
    by_department = {code: {**_with_rates(row), "avg_working_days": _mean(mean_taken.get(code))}
                     for code, row in zip(grouped.index, grouped.to_dict("records"))}
    totals = {**_with_rates({k: int(grouped[k].sum()) for k in grouped.columns}),
              "avg_working_days": _mean(taken["working_days_taken"].mean())}
    return totals, by_department


def intake_counts(status: pd.DataFrame) -> dict[str, int]:
    """Cases received in the period by intake channel (returned ones included); the five
    counts add up to totals.received."""
    counts = status.loc[status["is_received"], "intake"].value_counts()
    return {name: int(counts.get(name, 0)) for name in INTAKE_CHANNELS}


DIGITAL_INTAKE = ("smart_app", "system_1022")  # what the directive's campaign promotes


def digital_share(intake: dict[str, int]) -> float | None:
    """The share of the period's cases that came through the app or the 1022 system
    (None when none were received)."""
    received = sum(intake.values())
    return sum(intake[k] for k in DIGITAL_INTAKE) / received if received else None


def _mean(value: object) -> float | None:
    """A mean as a float, None for the mean of nothing."""
    return None if value is None or pd.isna(value) else float(value)


def _with_rates(counts: dict) -> dict:
    resolved = counts["resolved"]
    compliance_denominator = resolved + counts["open_overdue"]
    out = {k: int(counts[k]) for k in COUNT_KEYS}
    out["on_time_rate"] = counts["resolved_on_time"] / resolved if resolved else None
    out["compliance_rate"] = (counts["resolved_on_time"] / compliance_denominator
                              if compliance_denominator else None)
    out["rated"] = int(counts["rated"])
    out["satisfied"] = int(counts["satisfied"])
    return out
