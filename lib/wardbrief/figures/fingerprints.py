"""What a report was built from, as fingerprints: a report is e-mailed again only when
one of its own changed (wardbrief.publish.mail), never because another row of the sheet did.

`source.fingerprint` (the contract's key) is the whole sheet's. Beside it every
metrics.json carries `source.report_inputs`, one `sha256:` per input:

- `rows`: the rows that can change the figures of a report as of A, read as the
  contract reads them (section 3: everything after A has not happened yet):
  - cases received ≤ A (every one: open cases of any age, the previous periods, the
    same period last year and the year to date all end by A), each as its id, dates
    received and assigned, due date (from `Gia hạn đến`, `Hạn xử lý` or the time limit:
    LinhVuc and the calendar through it), intake channel, category, area, department
    and whether it is returned, with `Ngày trả lời` only when ≤ A and whether it is
    rated, and satisfied, only of a case answered by A. Answering an old case after A,
    or rating it, leaves the report as of A as it was; so does any case received after
    A. Its status words count only as returned or not; its summary, reporter and phone
    are no figure (a listed case's summary is shown masked and cut: a corrected summary
    sends nothing again);
  - tasks assigned ≤ A (or with no date), each as its id, content, group, basis, lead,
    supporting departments, dates assigned and due, `Ngày hoàn thành` only when ≤ A,
    and whether it is blocked while not done by A. Progress and status words are read
    as they are today (the sheet keeps no history of them), so they are no input of a
    past period: only the blocked flag is a figure;
  - posts dated from the period's start (or the first of A's month, for the month's
    count) to A, each as its date and channel;
- `settings`: the CauHinh values, DonVi (code, name, head, e-mail: the reminders'
  addressees), the ChiTieu targets and the NgayNghi days up to the last date the
  figures count working days to (A, or the latest due date of a case or task above),
  with the version of the `holidays` package that makes the rest of the calendar;
- `issues`: the data issues (sheet, row, column, severity, message): what the
  data-quality list shows, of the whole sheet;
- `departments`: {code: `sha256:`} of what each department's reminder lists as of A:
  its open cases overdue or due soon and the tasks it leads overdue or due soon (rows
  as above): a reminder is sent again only when its own list changed;
- `document` (added where the report is built, `with_document`): the notebook and the
  templates it is rendered with; read by the weekly briefings, the reminders and the
  data-quality list, not by the formal reports of a closed period (`READS`).

`of_report(metrics, report, part)` combines the inputs a report reads into
`source.report_fingerprint` (`source.part_fingerprints` for each department's reminder).
Rows are hashed column-wise and combined as a sorted multiset: the order of the sheet's
rows is no input.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wardbrief.read.schema import UNASSIGNED

if TYPE_CHECKING:
    import pandas as pd

    from wardbrief.read.contract import Workbook

PREFIX = "sha256:"
ROWS, SETTINGS, ISSUES, DEPARTMENTS, DOCUMENT = "rows", "settings", "issues", "departments", \
    "document"
REMINDERS = "department_reminders"  # one message per department: a fingerprint each
# The inputs each report reads: the data-quality list shows the data issues of the whole
# sheet and no figure; every other report shows figures of its period. A formal report is
# of a period that has ended: it is sent again only when what its figures read changed,
# never because the suite's notebook or templates did (a closed period whose rows did
# not change is never re-sent to the Chairman).
CLOSED_PERIOD_REPORTS = ("monthly_report", "quarterly_report", "half_year_report",
                         "year_report")
READS: dict[str, tuple[str, ...]] = {
    "data_quality": (ISSUES, SETTINGS, DOCUMENT),
    **{report: (ROWS, SETTINGS) for report in CLOSED_PERIOD_REPORTS},
}
FIGURES_READ = (ROWS, SETTINGS, DOCUMENT)


def _digest(payload: Any) -> str:
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
    return PREFIX + hashlib.sha256(text.encode()).hexdigest()


# --- the inputs of a period ----------------------------------------------------------------

def period_inputs(workbook: Workbook, as_of: dt.date, period_start: dt.date,
                  cases: pd.DataFrame, tasks: pd.DataFrame) -> dict[str, Any]:
    """`source.report_inputs` of a report as of A whose period starts at P: `cases` is
    figures.case_status as of A (the cases received ≤ A, in the workbook's order, with
    `due` and `answer`), `tasks` figures.task_status as of A."""
    import pandas as pd

    codes = [*workbook.department_codes, UNASSIGNED]
    case_rows, case_departments = _case_row_hashes(workbook, as_of, cases, codes)
    task_rows = _task_row_hashes(tasks)
    posts = workbook.posts
    first = pd.Timestamp(min(period_start, as_of.replace(day=1)))
    shown = posts["date"].between(first, pd.Timestamp(as_of))
    post_rows = _row_hashes(posts.loc[shown, ["date", "channel"]])
    # a department's reminder lists its open cases overdue or due soon and the tasks it
    # leads overdue or due soon (briefings: reminder), as of A
    listed = (cases["is_open_overdue"] | cases["is_open_due_soon"]).to_numpy()
    by_case = _by_department(case_rows[listed], case_departments[listed], codes)
    pressing = ((tasks["bucket"] == "overdue") | tasks["is_due_soon"]).to_numpy()
    by_task = _by_department(task_rows[pressing],
                             _department_numbers(tasks.loc[pressing, "lead"], codes), codes)
    departments = {str(code): _multiset([("cases", by_case[code]), ("tasks", by_task[code])])
                   for code in codes}
    horizon = max([pd.Timestamp(as_of), cases["due"].max(), tasks["due"].max()],
                  key=lambda d: d if pd.notna(d) else pd.Timestamp.min)
    return {ROWS: _multiset([("cases", case_rows), ("tasks", task_rows),
                             ("posts", post_rows)]),
            SETTINGS: settings_fingerprint(workbook, horizon.date()),
            ISSUES: _digest([[i.sheet, i.row, i.column, i.severity, i.message]
                             for i in workbook.issues_sorted()]),
            DEPARTMENTS: departments}


def settings_fingerprint(workbook: Workbook, horizon: dt.date) -> str:
    """CauHinh, DonVi, ChiTieu and the NgayNghi days up to `horizon` (later ones change
    no working-day count of the report), with the calendar package's version."""
    import holidays

    departments = workbook.departments
    donvi = [[str(code), *(None if _blank(v) else str(v) for v in row)]
             for code, row in zip(departments.index, departments[
                 [c for c in ("name", "head", "email") if c in departments]].to_numpy())]
    return _digest({
        "cauhinh": dataclasses.asdict(workbook.settings),
        "donvi": donvi,
        "chitieu": dict(sorted(workbook.targets.items())),
        "ngaynghi": {"off": sorted(d.isoformat() for d in workbook.days_off if d <= horizon),
                     "make_up": sorted(d.isoformat() for d in workbook.make_up_days
                                       if d <= horizon)},
        "holidays": getattr(holidays, "__version__", ""),
    })


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


# The columns of a case that are the same as of any date: hashed once per workbook. The
# summary is no figure (it is shown, masked and shortened, beside a listed case): a
# corrected summary sends no report again.
CASE_COLUMNS = ("case_id", "received", "assigned", "intake", "category_name", "area",
                "returned")  # and the department, by its place in DonVi
UNIQUE_TEXT = ("case_id", "content")  # hashed as they are, not factorized first


def _case_row_hashes(workbook: Workbook, as_of: dt.date, cases: pd.DataFrame,
                     codes: list[str]) -> tuple[Any, Any]:
    """One uint64 per case received ≤ A (`cases`: case_status as of A, the workbook's
    rows received ≤ A in their order), and the number of its department in `codes`."""
    import pandas as pd

    cached = workbook.rows_cache  # (the frame hashed, its row hashes, its departments)
    if not (isinstance(cached, tuple) and cached[0] is workbook.cases):
        numbers = _department_numbers(workbook.cases["department"], codes)
        hashes = _row_hashes(workbook.cases[list(CASE_COLUMNS)].assign(department=numbers))
        cached = workbook.rows_cache = (workbook.cases, hashes, numbers)
    _, static, departments = cached
    received = (workbook.cases["received"] <= pd.Timestamp(as_of)).to_numpy()
    answered = cases["answer"].notna()
    as_of_a = _row_hashes(pd.DataFrame({  # Ngày trả lời and the rating only when ≤ A
        "due": cases["due"], "answer": cases["answer"],
        "rated": cases["rating"].notna() & answered,
        "satisfied": cases["satisfied"] & answered}))
    return _combine(static[received], as_of_a), departments[received]


TASK_COLUMNS = ("task_id", "content", "group", "basis", "lead", "support", "assigned", "due")


def _task_row_hashes(tasks: pd.DataFrame) -> Any:
    """One uint64 per task as of A (tasks: task_status as of A)."""
    frame = tasks[list(TASK_COLUMNS)].assign(
        support=tasks["support"].map(_joined),  # a list of codes per task
        completed=tasks["completed"].where(tasks["is_done"]),
        blocked=tasks["is_blocked"])
    return _row_hashes(frame)


def _joined(value: Any) -> Any:
    return ";".join(map(str, value)) if isinstance(value, (list, tuple)) else value


_MIX = 0x9E3779B97F4A7C15  # an odd constant: combining is a bijection of each column's hash


def _row_hashes(frame: pd.DataFrame) -> Any:
    """One uint64 per row of `frame` from its cells (column by column, in C)."""
    import numpy as np
    from pandas.util import hash_array

    out = np.zeros(len(frame), dtype="uint64")
    for name in frame.columns:
        values = frame[name].to_numpy()
        column = hash_array(values, categorize=name not in UNIQUE_TEXT)
        out = _combine(out, column)
    return out


def _combine(left: Any, right: Any) -> Any:
    import numpy as np

    with np.errstate(over="ignore"):
        return (left * np.uint64(_MIX)) ^ right


def _department_numbers(departments: pd.Series, codes: list[str]) -> Any:
    """The place of each row's department in `codes` (-1: none of them)."""
    import pandas as pd

    return pd.Categorical(departments, categories=codes).codes


def _by_department(hashes: Any, numbers: Any, codes: list[str]) -> dict[str, Any]:
    """The row hashes of each department (`numbers`: _department_numbers)."""
    return {code: hashes[numbers == i] for i, code in enumerate(codes)}


def _multiset(parts: Iterable[tuple[str, Any]]) -> str:
    """`sha256:` of each named group of row hashes, sorted: equal rows in any order give
    an equal print."""
    import numpy as np

    digest = hashlib.sha256()
    for name, hashes in parts:
        digest.update(f"{name}:{len(hashes)};".encode())
        digest.update(np.sort(np.asarray(hashes, dtype="uint64")).tobytes())
    return PREFIX + digest.hexdigest()


# --- the document ---------------------------------------------------------------------------

def document_fingerprint(*paths: Path) -> str:
    """`sha256:` of the files given, folders file by file (by their path inside it): the
    notebook of a report and the templates it is rendered with."""
    digest = hashlib.sha256()
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if "__pycache__" in file.parts or file.name.startswith("."):
                continue
            name = file.relative_to(path).as_posix() if path.is_dir() else file.name
            data = file.read_bytes() if file.is_file() else b""
            digest.update(f"{name}:{len(data)};".encode())
            digest.update(data)
    return PREFIX + digest.hexdigest()


# --- a report's --------------------------------------------------------------------------

def inputs_of(metrics: Mapping[str, Any], report: str, part: str = "") -> dict[str, str]:
    """The inputs `report` reads ({name: `sha256:`}); for a department's reminder (`part`
    its code) the department's rows stand for the rows. Empty for metrics made before
    reports had inputs."""
    inputs = (metrics.get("source") or {}).get("report_inputs") or {}
    if not isinstance(inputs, Mapping) or not inputs:
        return {}
    names = READS.get(report, FIGURES_READ)
    out = {name: str(inputs[name]) for name in names if inputs.get(name)}
    if report == REMINDERS and part:
        out[ROWS] = str((inputs.get(DEPARTMENTS) or {}).get(part) or out.get(ROWS, ""))
    return out


def of_report(metrics: Mapping[str, Any], report: str, part: str = "") -> str:
    """The fingerprint of `report` (of the reminder of department `part`): what it was
    built from. The whole sheet's for metrics without report inputs."""
    inputs = inputs_of(metrics, report, part)
    if not inputs:
        return str((metrics.get("source") or {}).get("fingerprint") or "")
    return _digest([report, part, inputs])


def with_document(metrics: dict[str, Any], report: str, document: str) -> dict[str, Any]:
    """A copy of `metrics` (shared by the reports of a period) naming what `report` was
    built from: `source.report_inputs.document`, `source.report_fingerprint` and, for the
    reminders, `source.part_fingerprints` ({department code: fingerprint})."""
    source = dict(metrics.get("source") or {})
    inputs = dict(source.get("report_inputs") or {})
    if not inputs:
        return metrics
    inputs[DOCUMENT] = document
    source["report_inputs"] = inputs
    out = {**metrics, "source": source}
    source["report_fingerprint"] = of_report(out, report)
    if report == REMINDERS:
        source["part_fingerprints"] = {code: of_report(out, report, code)
                                       for code in inputs.get(DEPARTMENTS) or {}}
    return out
