"""metrics.json: the machine-readable twin of every briefing (CONTRACT section 4).

`compute_metrics(workbook, as_of, period_start)` returns the contract's keys exactly,
plus extras under keys of their own (never changing the contract's):

- `departments`: {code: {name, head, email: [addresses from DonVi `Email`]}}; `settings`:
  {default_limit, due_soon_days, on_time_target (fraction), cutoff_day, signer_name,
  signer_title, doc_symbol}; `period_days`
- `period`: {kind, label, start, end} (figures.periods): the report's period, `week` for
  the contract's default A − 6 days, `custom` for other given dates
- `previous_period`: {period_start, as_of, cases: {totals, by_department}} — the same
  figures for the period just before: the previous month / quarter / half / year for a
  period on the cut-off, else the period of the same length
- `comparisons` (periods on the cut-off only): {previous_period, same_period_last_year,
  year_to_date}, each {period, cases: {totals, by_department}, satisfaction} — the same
  case figures over the previous period, the same period a year earlier (cùng kỳ năm
  trước) and from the start of the reporting year to A (lũy kế từ đầu năm)
- `weekly_series`: last 12 weeks ending at A: [{week_start, week_end, received, resolved,
  resolved_on_time, open_backlog}]
- `backlog_age`: open cases as of A by working days since received
- `top_categories`, `top_areas`: [{name, received}] over cases received in the period
- `department_ranking`: [{department, name, compliance_rate, denominator, rank}] — rank is
  null for a department with fewer than 5 cases in its denominator (listed, not ranked)
- `satisfaction` (also in `previous_period`) and `satisfaction_by_department`:
  {rated, satisfied, rate} over the cases resolved in the period
- `communications.month`: {month, start, end, total, by_channel, targets}
- `communications.period_targets`: {months: [{month, days, of}], targets: {channel: n}}, the
  monthly targets over the days the figures run (figures.posts.period_targets)
- `demo`: true for the synthetic sample workbook (also `source.demo`)
- `cases.overdue_cases` / `cases.late_cases` entries also carry department_name, head,
  received, category, area and summary (personal data masked, shortened);
  `cases.due_soon_cases` likewise with working_days_left
- `tasks.items`: every task as of A with its bucket and flags
- `open_cases`: every open case as of A, most urgent first (working_days_left ascending,
  then case_id): {case_id, department, received, due, working_days_left (negative: that
  many working days late), state (`overdue` | `due_soon` | `on_track`)} — no personal data
- `open_tasks`: the tasks not completed as of A, most urgent first (overdue, due soon, on
  track, no deadline; then due date, task_id): {task_id, content, basis, lead, due,
  working_days_left (null without a due date), state (the same words, or `no_deadline`)}
- `briefable` (false when the workbook cannot give true figures: a required tab or a
  column a tab cannot be read without is missing, or the source itself is wrong; then
  `blocking_issues` lists why and only the data-quality list is published),
  `tabs_present` ({tab: bool}), `notices` (sentences every briefing shows: the demo
  sample, month-first dates); `source.demo` is true for the synthetic sample workbook
- `data_issues` entries also carry, where known, `sheet_title`, `header` (as the sheet
  has them) and `cell` (`C239`); `sheet` stays the contract's tab name
- `previous_period.cases.intake`; `intake_share`: {period, previous} — the share of the
  cases received that came through the Smart Hải Phòng app or the 1022 system (null when
  none were received); `weekly_series` entries also carry `received_digital` and
  `digital_share`
- `data_from`: the sheet's first case when the period begins before it (`notices` says so)
- `source.report_inputs`: what a report is built from, by input (figures.fingerprints)
- `department_ranking` ranks on the rate as shown (a percent with one decimal)
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wardbrief.figures import (
    case_status,
    case_totals,
    due_dates,
    fingerprints,
    periods,
    post_counts,
    task_status,
    task_totals,
)
from wardbrief.figures.calendar import workbook_calendar
from wardbrief.figures.cases import (
    DIGITAL_INTAKE,
    TOTALS_COLUMNS,
    digital_share,
    first_received,
    intake_counts,
)
from wardbrief.figures.posts import period_targets
from wardbrief.figures.rules import RANK_MIN_DENOMINATOR
from wardbrief.read import privacy
from wardbrief.read.contract import Workbook, read_workbook
from wardbrief.read.messages import ISSUE_MESSAGES
from wardbrief.read.schema import CHANNELS, UNASSIGNED
from wardbrief.read.sources import open_source

SCHEMA = "wardbrief.metrics/1"
WEEKS = 12
AGE_BUCKETS = ((0, 5, "0-5"), (6, 10, "6-10"), (11, 20, "11-20"), (21, None, ">20"))
TOP_N = 5


def load(spec: str | Path, **source_options: Any) -> Workbook:
    """Read a source and apply the contract (the cycle collector paused, as for the
    figures: a million cases are a few million strings, none in a cycle)."""
    with _collector_paused():
        return read_workbook(open_source(spec, **source_options))


def _iso(value: Any) -> str | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date().isoformat()


# --------------------------------------------------------------------------------------
@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused: the figures of a million cases make a few hundred
    thousand dicts (the case lists of metrics.json), none in a cycle, and each full pass
    of the collector would walk them all again for nothing. It runs again after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def compute_metrics(workbook: Workbook, as_of: dt.date,
                    period_start: dt.date | None = None, *,
                    period: periods.Period | None = None,
                    report_inputs: bool = True,
                    people: privacy.PersonalData | None = None) -> dict[str, Any]:
    """The metrics as of A for the period from `period_start` (default A − 6 days) or
    `period` (ending at A); `report_inputs=False`: no `source.report_inputs` (not to send);
    `people`: the mask of citizens' cells, if not the workbook's own."""
    with _collector_paused():
        return _compute_metrics(workbook, as_of, period_start, period, report_inputs, people)


def _compute_metrics(workbook: Workbook, as_of: dt.date, period_start: dt.date | None,
                     period: periods.Period | None, report_inputs: bool,
                     people: privacy.PersonalData | None) -> dict[str, Any]:
    start = period.start if period else period_start
    if start is not None and start > as_of:
        raise ValueError(f"period start {start} is after the as-of date {as_of}")
    period = period or _period_of(workbook, as_of, period_start)
    if period.end != as_of:
        raise ValueError(f"the period ends on {period.end}, not on the as-of date {as_of}")
    period_start = period.start
    length = (as_of - period_start).days + 1
    before = periods.previous(period)
    prev_start, prev_end = before.start, before.end
    compared = _compared_periods(period)
    weeks_start = as_of - dt.timedelta(days=7 * WEEKS - 1)
    cal = workbook_calendar(workbook, as_of, period_start, prev_start, weeks_start,
                            *(p.start for p in compared.values()))
    settings = workbook.settings
    codes = workbook.department_codes + [UNASSIGNED]

    due = due_dates(workbook.cases, cal)
    status = case_status(workbook.cases, cal, as_of, period_start, settings.due_soon_days,
                         due)
    people = people or workbook.personal or privacy.PersonalData(  # the one mask of citizens'
        workbook.name_matcher or privacy.name_matcher(workbook.reporter_names))  # cells
    dept_info = _department_info(workbook)
    # the case lists' citizens' cells are asked for first and taken last: a PersonalData
    # that masks them elsewhere works on them while the other figures are made here
    listed = {name: _listed(status, flag, **how) for name, flag, how in CASE_LISTS}
    masking = people.cells_later("PhanAnh", [ask for rows in listed.values()
                                             for ask in _personal_asks(rows, workbook.cases)])
    totals, by_department = case_totals(status, codes)
    prev = case_status(workbook.cases, cal, prev_end, prev_start, settings.due_soon_days,
                       due, columns=TOTALS_COLUMNS)
    prev_totals, prev_by_department = case_totals(prev, codes)

    def cases_over(other: periods.Period) -> dict[str, Any]:
        figures = case_status(workbook.cases, cal, other.end, other.start,
                              settings.due_soon_days, due, columns=TOTALS_COLUMNS)
        other_totals, other_by_department = case_totals(figures, codes)
        return {"period": other.as_dict(),
                "cases": {"totals": other_totals, "by_department": other_by_department},
                "satisfaction": _satisfaction(other_totals)}

    tasks = task_status(workbook.tasks, cal, as_of, settings.due_soon_days)
    task_sum, task_by_department = task_totals(tasks, codes)
    open_cases = _open_cases(status)
    weekly_series = _weekly_series(status, as_of)
    backlog_age = _backlog_age(status, cal, as_of)
    task_items, open_tasks = _task_items(tasks, people), _open_tasks(tasks, people)
    top = {field: _top(status[column], status["is_received"], people, field)
           for field, column in (("category", "category_name"), ("area", "area"))}
    comparisons = {name: cases_over(other) for name, other in compared.items()}
    intake, prev_intake = intake_counts(status), intake_counts(prev)
    share = {"period": digital_share(intake), "previous": digital_share(prev_intake)}
    data_issues = [i.as_dict() for i in workbook.issues_sorted()]
    masked = iter(masking())
    case_lists = {name: _case_list(listed[name], dept_info, masked, **how)
                  for name, _, how in CASE_LISTS}
    metrics: dict[str, Any] = {
        "schema": SCHEMA,
        "ward": settings.ward_name,
        "as_of": as_of.isoformat(),
        "period_start": period_start.isoformat(),
        "source": _source_info(workbook),
        "rows": workbook.rows,
        "cases": {
            "totals": totals,
            "by_department": by_department,
            "intake": intake,
            **case_lists,
        },
        "tasks": {"totals": task_sum, "by_department": task_by_department,
                  "items": task_items},
        "open_cases": open_cases,
        "open_tasks": open_tasks,
        "communications": post_counts(workbook.posts, period_start, as_of),
        "data_issues": data_issues,
        # extras
        "departments": dept_info,
        "settings": {"default_limit": settings.default_limit,
                     "due_soon_days": settings.due_soon_days,
                     "on_time_target": settings.on_time_target / 100,
                     "cutoff_day": settings.cutoff_day,
                     "signer_name": settings.signer_name,
                     "signer_title": settings.signer_title,
                     "doc_symbol": settings.doc_symbol},
        "period_days": length,
        "period": period.as_dict(),
        "satisfaction": _satisfaction(totals),
        "previous_period": {"period_start": prev_start.isoformat(), "as_of": prev_end.isoformat(),
                            "cases": {"totals": prev_totals, "by_department": prev_by_department,
                                      "intake": prev_intake},
                            "satisfaction": _satisfaction(prev_totals)},
        "intake_share": share,
        "weekly_series": weekly_series,
        "backlog_age": backlog_age,
        "top_categories": top["category"],
        "top_areas": top["area"],
        "department_ranking": _ranking(by_department, dept_info),
        "satisfaction_by_department": {code: _satisfaction(v)
                                       for code, v in by_department.items()},
    }
    metrics["communications"]["month"] = _month_posts(workbook, as_of)
    if report_inputs:
        metrics["source"]["report_inputs"] = fingerprints.period_inputs(
            workbook, as_of, period_start, status, tasks)
    if compared:
        metrics["comparisons"] = comparisons
    metrics.update(readiness(workbook))
    data_from = periods.covered_from(period_start, as_of, first_received(workbook.cases))
    if data_from is not None:  # page 1 says from when the figures run
        metrics["data_from"] = data_from.isoformat()
        metrics["notices"].append(ISSUE_MESSAGES["partial_period_notice"].format(
            first=f"{data_from:%d/%m/%Y}"))
    metrics["communications"]["period_targets"] = period_targets(
        workbook.targets, data_from or period_start, as_of)
    return metrics


def _source_info(workbook: Workbook) -> dict[str, Any]:
    info = workbook.raw.source_info()
    if workbook.demo:
        info["demo"] = True
    return info


def readiness(workbook: Workbook) -> dict[str, Any]:
    """What a briefing must say about the workbook besides its figures:

    - `briefable`: False when the workbook cannot give true figures (see
      Workbook.blocking_issues); then `blocking_issues` lists them (sheet, row, column,
      message) and no briefing but the data-quality list is published;
    - `tabs_present`: contract tab -> whether the workbook has it (a section whose tab is
      absent says so instead of showing zeros); `tab_titles`: contract tab -> its title in
      the sheet (what staff see: `Nhiệm vụ` for NhiemVu);
    - `notices`: sentences (Vietnamese) every briefing made from this workbook shows in its
      warnings area: the demo mark, month-first dates;
    - `demo`: True for the synthetic sample workbook (CauHinh `Dữ liệu mẫu`): every PDF
      page, Word file, e-mail and theo-doi.xlsx made from it carries DỮ LIỆU MẪU. Also
      `source.demo`, kept for the readers of older metrics.json.
    """
    blocking = workbook.blocking_issues()
    return {
        "briefable": not blocking,
        "blocking_issues": [i.as_dict() for i in blocking],
        "tabs_present": workbook.tabs_present(),
        "tab_titles": dict(workbook.tab_titles),
        "notices": list(workbook.notices),
        "demo": bool(workbook.demo),
    }


def _period_of(workbook: Workbook, as_of: dt.date, start: dt.date | None) -> periods.Period:
    """The contract's week ending at A, or the given dates."""
    cutoff = workbook.settings.cutoff_day
    week = periods.week(as_of, cutoff)  # the one A − 6 days rule
    return week if start is None or start == week.start else periods.custom(start, as_of, cutoff)


def _compared_periods(period: periods.Period) -> dict[str, periods.Period]:
    """The periods a report on the cut-off compares itself with (none for a week)."""
    if period.kind not in periods.MONTHS_IN:
        return {}
    return {"previous_period": periods.previous(period),
            "same_period_last_year": periods.same_period_last_year(period),
            "year_to_date": periods.year_to_date(period)}


def _satisfaction(figures: dict[str, Any]) -> dict[str, Any]:
    """Satisfied of rated, with the rate (null when nothing was rated)."""
    rated, satisfied = figures["rated"], figures["satisfied"]
    return {"rated": rated, "satisfied": satisfied, "rate": satisfied / rated if rated else None}


def _department_info(workbook: Workbook) -> dict[str, dict[str, str | None]]:
    info = {code: {"name": _text_or_none(row["name"]) or str(code),
                   "head": _text_or_none(row["head"]), "email": _emails(row.get("email"))}
            for code, row in workbook.departments.iterrows()}  # a handful of departments
    info[UNASSIGNED] = {"name": "Chưa xác định đơn vị", "head": None, "email": []}
    return info


def _text_or_none(value: Any) -> str | None:
    """A cell's text, None for a blank one (never NaN in metrics.json)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def _emails(cell: Any) -> list[str]:
    """DonVi `Email`: addresses separated by `;` (or `,`), blanks dropped."""
    if not isinstance(cell, str):
        return []
    return [part.strip() for part in cell.replace(",", ";").split(";") if part.strip()]


STATE_ORDER = ("overdue", "due_soon", "on_track", "no_deadline")


def _open_cases(status: pd.DataFrame) -> list[dict[str, Any]]:
    rows = status.loc[status["is_open"]]
    rows = rows.assign(left=rows["working_days_left"].astype(int))
    rows = rows.sort_values(["left", "case_id"], kind="mergesort")
    state = np.select([rows["is_open_overdue"], rows["is_open_due_soon"]],
                      ["overdue", "due_soon"], default="on_track")
    columns = {  # one list per field, then one dict per case (no frame of objects between)
        "case_id": rows["case_id"].astype(str).tolist(),
        "department": _none_list(rows["department"]),
        "received": _iso_list(rows["received"]),
        "due": _iso_list(rows["due"]),
        "working_days_left": rows["left"].tolist(),
        "state": state.tolist(),
    }
    names = list(columns)
    return [dict(zip(names, values)) for values in zip(*columns.values())]


def _open_tasks(tasks: pd.DataFrame, people: privacy.PersonalData) -> list[dict[str, Any]]:
    rows = tasks.loc[~tasks["is_done"]]
    has_due = rows["due"].notna()
    state = pd.Series(np.select(
        [rows["bucket"].eq("overdue"), rows["is_due_soon"], has_due],
        ["overdue", "due_soon", "on_track"], default="no_deadline"), index=rows.index)
    order = state.map({s: i for i, s in enumerate(STATE_ORDER)})
    rows = rows.assign(state=state, order=order).sort_values(
        ["order", "due", "task_id"], kind="mergesort", na_position="last")
    left = rows["working_days_left"].where(rows["due"].notna())
    frame = pd.DataFrame({
        "task_id": rows["task_id"].astype(str),
        "content": people.column("NhiemVu", "content", rows["content"]),
        "basis": people.column("NhiemVu", "basis", rows["basis"]),
        "lead": rows["lead"],
        "due": rows["due"].dt.strftime("%Y-%m-%d"),
        "working_days_left": left,
        "state": rows["state"],
    }, index=rows.index)
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return [{**rec, "working_days_left": None if rec["working_days_left"] is None
             else int(rec["working_days_left"])} for rec in records]


def _text_or_none(value: Any) -> str | None:
    """A name as text; None (JSON null) when blank, never NaN."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


# each case list of metrics.json: its key, the flag of the cases it lists, how (_case_list)
CASE_LISTS = (("overdue_cases", "is_open_overdue", {}),
              ("late_cases", "is_resolved_late", {"responded": True}),
              ("due_soon_cases", "is_open_due_soon", {"left": True}))
PERSONAL_LISTED = ("category", "area", "summary")  # a listed case's cells that are masked


def _listed(status: pd.DataFrame, flag: str, left: bool = False, **_: bool) -> pd.DataFrame:
    """The cases a list holds, in its order."""
    rows = status.loc[status[flag]]
    sort_by = "working_days_left" if left else "working_days_late"
    return rows.sort_values([sort_by, "case_id"], ascending=[left, True], kind="mergesort")


def _personal_asks(rows: pd.DataFrame, cases: pd.DataFrame) -> list[tuple[str, list, list]]:
    """What to mask of listed cases (PersonalData.cells_later: field, cells, each case's
    reporter, masked too)."""
    owners = cases.loc[rows.index, "reporter"].tolist()
    cells = {"category": rows["category_name"], "area": rows["area"],
             "summary": cases.loc[rows.index, "summary"]}
    return [(field, _none_list(cells[field]), owners) for field in PERSONAL_LISTED]


def _case_list(rows: pd.DataFrame, dept_info: dict, masked: Iterator[list],
               responded: bool = False, left: bool = False) -> list[dict[str, Any]]:
    """One dict per listed case (`rows`: _listed): its columns, then its masked cells
    (the next of `masked`, one list per field of PERSONAL_LISTED)."""
    columns: dict[str, list] = {
        "case_id": rows["case_id"].astype(str).tolist(),
        "department": rows["department"].tolist(),
        "due": _iso_list(rows["due"]),
    }
    if responded:
        columns["responded"] = _iso_list(rows["answer"])
    if left:
        columns["working_days_left"] = rows["working_days_left"].astype(int).tolist()
    else:
        columns["working_days_late"] = rows["working_days_late"].astype(int).tolist()
    columns["department_name"] = [dept_info.get(code, {}).get("name") or str(code)
                                  for code in rows["department"].tolist()]
    columns["head"] = [dept_info.get(code, {}).get("head") for code in rows["department"].tolist()]
    columns["received"] = _iso_list(rows["received"])
    columns.update((field, next(masked)) for field in PERSONAL_LISTED)
    names = list(columns)
    return [dict(zip(names, values)) for values in zip(*columns.values())]


def _iso_list(dates: pd.Series) -> list[str | None]:
    return _none_list(dates.dt.strftime("%Y-%m-%d"))


def _none_list(values: pd.Series) -> list:
    return values.astype(object).where(values.notna(), None).tolist()


def _task_items(tasks: pd.DataFrame, people: privacy.PersonalData) -> list[dict[str, Any]]:
    frame = pd.DataFrame({
        "task_id": tasks["task_id"],
        **{f: people.column("NhiemVu", f, tasks[f]) for f in ("content", "group", "basis")},
        "lead": tasks["lead"],
        "support": tasks["support"],
        "assigned": tasks["assigned"].dt.strftime("%Y-%m-%d"),
        "due": tasks["due"].dt.strftime("%Y-%m-%d"),
        "completed": tasks["completed"].where(tasks["is_done"]).dt.strftime("%Y-%m-%d"),
        "progress": tasks["progress"],
        "bucket": tasks["bucket"],
        "due_soon": tasks["is_due_soon"].astype(bool),
        "blocked": tasks["is_blocked"].astype(bool),
        "status": people.column("NhiemVu", "status", tasks["status"]),
    }, index=tasks.index)
    frame = frame.astype(object).where(frame.notna(), None)
    return frame.to_dict("records")


def _weekly_series(status: pd.DataFrame, as_of: dt.date) -> list[dict[str, Any]]:
    """Received / resolved / on time per week and the open backlog at each week's end,
    for the 12 weeks ending at A, from counts per week (no per-week pass over the cases)."""
    ends = np.array([np.datetime64(as_of - dt.timedelta(days=7 * k)) for k in
                     range(WEEKS - 1, -1, -1)], dtype="datetime64[ns]")
    starts = ends - np.timedelta64(6, "D")
    before_starts = starts - np.timedelta64(1, "ns")

    def per_week(dates: pd.Series) -> np.ndarray:
        values = dates.to_numpy(dtype="datetime64[ns]")
        return _at_or_before(values, ends) - _at_or_before(values, before_starts)

    def upto(dates: pd.Series) -> np.ndarray:
        return _at_or_before(dates.to_numpy(dtype="datetime64[ns]"), ends)

    received = per_week(status["received"])
    digital = status["intake"].isin(DIGITAL_INTAKE)
    received_digital = per_week(status.loc[digital, "received"])
    active = ~status["returned"].to_numpy()
    answer = status["answer"].to_numpy()[active]
    due = status["due"].to_numpy()[active]
    got = status["received"].to_numpy()[active]
    resolved = per_week(pd.Series(answer))
    on_time = per_week(pd.Series(np.where(answer <= due, answer, np.datetime64("NaT"))))
    closed_by = np.where(np.isnat(answer), answer, np.maximum(got, answer))
    backlog = upto(pd.Series(got)) - upto(pd.Series(closed_by))
    return [{"week_start": _iso(s), "week_end": _iso(e), "received": int(r),
             "resolved": int(v), "resolved_on_time": int(o), "open_backlog": int(b),
             "received_digital": int(d), "digital_share": int(d) / int(r) if r else None}
            for s, e, r, v, o, b, d in zip(starts, ends, received, resolved, on_time, backlog,
                                           received_digital)]


def _at_or_before(values: np.ndarray, points: np.ndarray) -> np.ndarray:
    """How many of `values` (datetime64[ns], NaT left out) are at or before each of
    `points` (ascending, equally spaced, at least two): each value is counted in the step
    between two points that holds it, then the steps are added up (no sort of a million
    dates)."""
    stamps = values.view(np.int64)  # NaT: the smallest int64, before every point
    marks = points.view(np.int64)
    step = int(marks[1] - marks[0])
    past_first = stamps[stamps > marks[0]] - marks[0]
    # (marks[j-1], marks[j]] is step j; past the last mark: step len(marks), not counted
    steps = np.minimum((past_first + (step - 1)) // step, len(marks))
    counts = np.bincount(steps, minlength=len(marks) + 1)[:len(marks)]
    counts[0] = len(stamps) - len(past_first) - int(np.count_nonzero(np.isnat(values)))
    return np.cumsum(counts)


def _backlog_age(status: pd.DataFrame, cal, as_of: dt.date) -> list[dict[str, Any]]:
    open_cases = status.loc[status["is_open"]]
    age = cal.count_on(as_of) - cal.count_at(open_cases["received"].to_numpy())
    out = []
    for low, high, label in AGE_BUCKETS:
        inside = (age >= low) & ((age <= high) if high is not None else True)
        out.append({"bucket": label, "open": int(np.sum(inside))})
    return out


def _top(names: pd.Series, mask: pd.Series, people: privacy.PersonalData, field: str
         ) -> list[dict[str, Any]]:
    """The TOP_N names most received, counted as typed, shown masked (PhanAnh `field`)."""
    counts = names[mask].fillna("(không ghi)").value_counts()
    counts = counts.sort_index(kind="mergesort").sort_values(ascending=False, kind="mergesort")
    top = counts.head(TOP_N)
    shown = people.cells("PhanAnh", field, [str(n) for n in top.index])
    return [{"name": name, "received": int(c)} for name, c in zip(shown, top.tolist())]


def _ranking(by_department: dict, dept_info: dict) -> list[dict[str, Any]]:
    rows = pd.DataFrame([
        {"department": code, "name": dept_info[code]["name"],
         "compliance_rate": v["compliance_rate"],
         "denominator": v["resolved"] + v["open_overdue"]}
        for code, v in by_department.items() if code != UNASSIGNED])
    if rows.empty:
        return []
    rankable = rows["denominator"] >= RANK_MIN_DENOMINATOR
    # ranked on the rate as the briefings show it (one decimal of a percent, half up):
    # two departments shown 85,5% share a rank
    shown = rows["compliance_rate"].map(_shown_percent, na_action="ignore")
    rows["rank"] = shown.where(rankable).rank(method="min", ascending=False)
    rows["order"] = rows["rank"].fillna(np.inf)
    rows = rows.sort_values(["order", "department"], kind="mergesort")
    records = []
    for rec in rows.drop(columns="order").to_dict("records"):
        rec["rank"] = None if pd.isna(rec["rank"]) else int(rec["rank"])
        rec["compliance_rate"] = (None if rec["compliance_rate"] is None
                                  or pd.isna(rec["compliance_rate"])
                                  else float(rec["compliance_rate"]))
        rec["denominator"] = int(rec["denominator"])
        records.append(rec)
    return records


def _shown_percent(rate: float) -> float:
    """The rate as a percent rounded half up to one decimal (as briefings.fmt writes it)."""
    return float(Decimal(repr(float(rate) * 100)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _month_posts(workbook: Workbook, as_of: dt.date) -> dict[str, Any]:
    start = as_of.replace(day=1)
    counts = post_counts(workbook.posts, start, as_of)
    return {"month": as_of.strftime("%Y-%m"), "start": start.isoformat(), "end": as_of.isoformat(),
            "total": counts["total"], "by_channel": counts["by_channel"],
            "targets": {ch: int(workbook.targets.get(ch, 0)) for ch in CHANNELS}}
