"""Tasks as of A: done on time, done late, overdue, in progress; due soon and blocked."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from wardbrief.figures.calendar import WorkCalendar

TASK_KEYS = ("total", "done_on_time", "done_late", "in_progress", "overdue", "due_soon", "blocked")
BUCKETS = ("done_on_time", "done_late", "in_progress", "overdue")


def task_status(tasks: pd.DataFrame, calendar: WorkCalendar, as_of: dt.date,
                due_soon_days: int) -> pd.DataFrame:
    a = pd.Timestamp(as_of)
    t = tasks.loc[~(tasks["assigned"] > a)].copy()  # assigned after A: not yet a task
    done = t["completed"].notna() & (t["completed"] <= a)
    has_due = t["due"].notna()
    late = done & has_due & (t["completed"] > t["due"])
    overdue = ~done & has_due & (a > t["due"])
    left = calendar.count_at(t["due"].to_numpy()) - calendar.count_on(as_of)
    t["working_days_left"] = left
    t["bucket"] = np.select([done & ~late, late, overdue], ["done_on_time", "done_late", "overdue"],
                            default="in_progress")
    t["is_due_soon"] = ~done & ~overdue & has_due & (left <= due_soon_days)
    t["is_blocked"] = ~done & t["blocked"]
    t["is_done"] = done
    return t


def task_totals(status: pd.DataFrame, departments: list[str]) -> tuple[dict, dict]:
    flags = pd.DataFrame({"lead": status["lead"], "total": 1})
    for bucket in BUCKETS:
        flags[bucket] = status["bucket"].eq(bucket)
    flags["due_soon"] = status["is_due_soon"]
    flags["blocked"] = status["is_blocked"]
    grouped = flags.groupby("lead")[list(TASK_KEYS)].sum().reindex(departments, fill_value=0)
    grouped = grouped.astype(int)
    by_department = {code: {k: int(v) for k, v in row.items()}
                     for code, row in zip(grouped.index, grouped.to_dict("records"))}
    totals = {k: int(grouped[k].sum()) for k in TASK_KEYS}
    return totals, by_department
