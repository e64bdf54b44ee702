"""One ward's run as the city makes it: the ward's report built and published as the
ward's own (`OUT/wards/<code>/`: its lock, index, metrics.json, snapshots) through the
same engine as `wardbrief run`, and what the city keeps of it (`rollup.WardFigures`).

`run_ward` is what `wardbrief city` hands to `wardbrief.processes.run_tasks` (a
module-level function of a picklable task) and what `wardbrief city --only CODE` runs for
one ward (an Airflow task). Its outcome is also written to `OUT/wards/<code>/city-<as-of>.json`,
which the roll-up reads: the roll-up of `wardbrief city` and of `--rollup-only` are
the same code on the same files."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wardbrief.city.registry import Ward
from wardbrief.city.rollup import WardFigures, write_json
from wardbrief.exit_codes import EXIT_DATA_ERRORS, EXIT_LOCKED, EXIT_OK, EXIT_SOURCE

WARDS_DIR = "wards"


@dataclass(frozen=True)
class WardTask:
    """Everything one ward's run needs, picklable (it crosses to a worker process)."""

    ward: Ward
    as_of: dt.date
    period_start: dt.date | None
    report: str
    out: Path  # the city's outputs root
    allow_stale: bool = False
    source_options: dict[str, Any] = field(default_factory=dict)  # e.g. the shared read limit

    @property
    def ward_out(self) -> Path:
        return ward_root(self.out, self.ward.code)


def ward_root(out: Path, code: str) -> Path:
    return out / WARDS_DIR / code


def result_path(out: Path, code: str, as_of: dt.date | str) -> Path:
    """Where a ward's outcome for one as-of date is kept for the roll-up."""
    return ward_root(out, code) / f"city-{as_of}.json"


def vietnamese(message: str) -> str:
    """The Vietnamese half of a bilingual message (`… / …`), for city.json's reasons."""
    return message.split(" / ", 1)[0].strip()


def run_ward(task: WardTask) -> WardFigures:
    """Build the ward's report and keep its figures (or why it was not briefed); the
    outcome is also written beside the ward's outputs. Never raises for a ward's own
    problem: a ward that fails is one line of the city's briefing, not the city's end."""
    from wardbrief.run import store

    started = time.monotonic()
    try:
        with store.run_lock(task.ward_out):
            # an earlier attempt's outcome goes first: a run that dies leaves none, and
            # the roll-up then says so rather than showing that attempt's figures
            result_path(task.out, task.ward.code, task.as_of).unlink(missing_ok=True)
            figures = _run_locked(task)
    except store.Locked as exc:
        figures = _not_briefed(task, f"thư mục của phường đang được một lần chạy khác dùng "
                                     f"(pid {exc.pid or '?'})", EXIT_LOCKED)
    figures.seconds = round(time.monotonic() - started, 3)
    write_json(figures.to_json(), result_path(task.out, task.ward.code, task.as_of))
    return figures


def _not_briefed(task: WardTask, reason: str, code: int) -> WardFigures:
    return WardFigures(task.ward.code, task.ward.name, False, reason=reason, exit_code=code,
                       as_of=task.as_of.isoformat())


def _run_locked(task: WardTask) -> WardFigures:
    from wardbrief.figures import periods
    from wardbrief.figures.metrics import compute_metrics, load
    from wardbrief.read.messages import refusal_line
    from wardbrief.read.sources import SourceError
    from wardbrief.run.engine import WarmKernel
    from wardbrief.run.registry import REPORTS
    from wardbrief.run.reports import run_reports

    ward = task.ward
    if ward.local and not Path(ward.spec).exists():
        return _not_briefed(task, f"không tìm thấy bảng tính {ward.source}", EXIT_SOURCE)
    options = {"allow_stale": task.allow_stale, "snapshot_dir": task.ward_out / "_snapshots",
               **task.source_options}
    WarmKernel.warm_up()  # boots while the sheet is read; kept for the worker's next ward
    try:
        workbook = load(ward.spec, **options)
    except SourceError as exc:
        return _not_briefed(task, vietnamese(str(exc)), EXIT_SOURCE)
    blocking = workbook.blocking_issues()
    refused = refusal_line(blocking, workbook.missing_required) if blocking else None
    # a sheet refused still gets its data-quality list, as `wardbrief run` publishes it
    reports = [REPORTS["data_quality" if refused else task.report]]
    cutoff = workbook.settings.cutoff_day
    computed: dict[str, dict[str, Any]] = {}
    for report in reports:
        period = periods.period_for(report.name, task.as_of, cutoff, task.period_start)
        computed[report.name] = compute_metrics(workbook, period.end, period=period)
    del workbook
    log = io.StringIO()
    with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
        result = run_reports(reports, lambda r: computed[r.name], ward.spec,
                             task.allow_stale, task.ward_out, stdout=log, stderr=log, jobs=1,
                             keep_kernel=True)
    problem = "; ".join(f"{name}: {exc}" for name, exc in result.failed.items()) or None
    folder = next(iter(result.published.values()), None)
    relative = str(folder.relative_to(task.out)) if folder is not None else None
    if refused:
        figures = _not_briefed(task, vietnamese(refused).removeprefix("KHÔNG LẬP BÁO CÁO: "),
                               EXIT_DATA_ERRORS)
        figures.folder = relative
        return figures
    metrics = computed[task.report]
    return WardFigures.from_metrics(
        ward.code, ward.name, metrics, exit_code=EXIT_DATA_ERRORS if problem else EXIT_OK,
        folder=relative, problem=problem,
        previous=_previous(metrics), target=(metrics.get("settings") or {}).get("on_time_target"))


def _previous(metrics: dict[str, Any]) -> dict[str, Any] | None:
    """The period before's case totals and intake (metrics `previous_period`)."""
    before = metrics.get("previous_period") or {}
    cases = before.get("cases") or {}
    if not cases.get("totals"):
        return None
    return {"period_start": before.get("period_start"), "as_of": before.get("as_of"),
            "cases": dict(cases["totals"]), "intake": dict(cases.get("intake") or {})}


def read_result(task: WardTask) -> WardFigures:
    """The ward's outcome written by its run for this as-of date and period, else a ward
    not briefed saying its run left nothing (an Airflow task that never ran, say)."""
    path = result_path(task.out, task.ward.code, task.as_of)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        figures = WardFigures.from_json(data)
    except (OSError, ValueError, TypeError):
        return _not_briefed(task, "phường chưa chạy hoặc không để lại kết quả cho kỳ này",
                            EXIT_SOURCE)
    wanted_start = task.period_start.isoformat() if task.period_start else None
    if figures.briefed and wanted_start and figures.period_start != wanted_start:
        return _not_briefed(task, f"kết quả của phường là của kỳ khác (từ {figures.period_start})",
                            EXIT_SOURCE)
    figures.code, figures.name = task.ward.code, task.ward.name  # the registry's words
    return figures
