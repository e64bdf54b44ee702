"""A run of reports: each built in a staging folder by the run's processes, published
by this one, progress told in the reports' order (`[1/4] weekly_briefing … done in
2.1 s`), failures on stderr, the index rewritten as each is published.

How the work is shared (wardbrief.processes.Tasks, `--jobs N` processes in all): this
process and N-1 workers, each with its own warm kernel. The workers start with the run,
before the workbook is read: a worker launches its kernel and loads the renderer while
this process reads the workbook and its own kernel boots. Each report is one or two
pieces (its notebook with HTML, PDF and extra outputs; the outputs made from its
metrics alone, such as the annex) handed out as soon as its metrics are computed, the
longest first. With one report everything is built here (its annex laid out while
the kernel runs the notebook) but a long annex (WORKER_FROM_LINES), laid out by a
worker; with `--jobs 1` everything is built here, in order, and no process is started.

A report that fails (a cell, rendering, a time limit, publishing on a full disk) leaves
the previous briefing untouched and its executed notebook under `outputs/_failed/`;
the others go on.
"""

from __future__ import annotations

import contextlib
import functools
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self, TextIO

from wardbrief import processes
from wardbrief.exit_codes import EXIT_DATA_ERRORS, EXIT_OK
from wardbrief.figures.fingerprints import document_fingerprint, with_document
from wardbrief.paths import TEMPLATES_DIR
from wardbrief.run import store
from wardbrief.run.build import (
    FROM_METRICS,
    NOTEBOOK,
    Piece,
    PieceDone,
    ReportFailed,
    WriteMetrics,
    build_piece,
    describe_failure,
    notebook_parameters,
    warm_worker,
    write_metrics_files,
)
from wardbrief.run.extras import annex_lines
from wardbrief.run.index import write_index_or_say
from wardbrief.run.registry import Report, build_rank

MetricsFor = Callable[[Report], dict[str, Any]]
"""The metrics of a report (computed once per period by the caller)."""

TRACKING_TMP_SUFFIX = ".tmp"  # `.theo-doi.xlsx.<pid>.tmp` of a tracking workbook being saved
WORKER_FROM_LINES = 1000  # an annex this long is worth a worker (the renderer loaded again)


@dataclass
class RunResult:
    published: dict[str, Path] = field(default_factory=dict)
    failed: dict[str, ReportFailed] = field(default_factory=dict)
    index: Path | None = None

    @property
    def exit_code(self) -> int:
        return EXIT_DATA_ERRORS if self.failed else EXIT_OK


@dataclass
class _Report:
    """One report of the run as it goes: its pieces' task numbers and what they gave."""

    number: int  # 1-based, in the order the caller listed the reports
    report: Report
    staging: Path | None = None
    pieces: dict[int, str] = field(default_factory=dict)  # task index -> piece kind
    done: dict[int, PieceDone] = field(default_factory=dict)
    failure: str | None = None
    kept: Path | None = None
    folder: Path | None = None
    seconds: float = 0.0
    told: bool = False
    metrics: dict[str, Any] | None = None



class _Beside:
    """A step handed over beside the report's notebook: run() once, by whichever thread
    comes first (the notebook's, or result() when that one did not)."""

    def __init__(self, step: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self.step, self.args = step, args
        self.lock = threading.Lock()
        self.answer: processes.TaskResult | None = None

    def run(self) -> None:
        with self.lock:
            if self.answer is not None:
                return
            try:
                self.answer = processes.TaskResult(0, self.step(*self.args))
            except Exception as exc:  # noqa: BLE001 - the caller says what failed
                self.answer = processes.TaskResult(0, None, processes.describe_error(exc))

    def result(self) -> processes.TaskResult:
        self.run()
        assert self.answer is not None
        return self.answer


def run_task(task: Any) -> Any:
    """What a process of the run does with a task: build a piece of a report, or call
    a step the caller handed over (commands.run: the tracking workbook)."""
    if isinstance(task, Piece):
        return build_piece(task)
    step, args = task
    return step(*args)


class ReportRun:
    """The processes of one run, started at once (their kernels boot while the caller
    reads the workbook); `build()` then builds and publishes the reports. The caller
    holds the run lock. Use as a context manager: leaving it ends the workers and
    kernels and removes the staging folders left."""

    def __init__(self, out_root: Path, reports: list[Report], jobs: int = 1, *,
                 stdout: TextIO | None = None, stderr: TextIO | None = None,
                 keep_kernel: bool = False, large: bool = False) -> None:
        from wardbrief.run import engine

        self.out_root, self.keep_kernel = out_root, keep_kernel
        self.stdout, self.stderr = stdout or sys.stdout, stderr or sys.stderr
        sweep_leftovers(out_root)
        notebooks = len(reports)
        pieces = notebooks + sum(1 for r in reports if r.from_metrics is not None)
        self.jobs = jobs
        self.split = notebooks == 1  # one report: its notebook here, a long annex there
        workers = 0 if self.split else max(0, min(jobs, pieces) - 1)
        self.tasks = processes.Tasks(
            run_task, workers, on_done=self._piece_done,
            warm=functools.partial(warm_worker, workers) if workers else None)
        if self.split and large and jobs > 1 and reports[0].from_metrics is not None:
            # a large workbook's annex is long: its worker loads the renderer meanwhile
            self.tasks.add_workers(1, functools.partial(warm_worker, 0))
        engine.WarmKernel.warm_up()  # this process builds too
        self.stagings = contextlib.ExitStack()  # removed at the end unless published
        self.entries: dict[int, _Report] = {}  # task index -> its report
        self.order: list[_Report] = []
        self.result = RunResult()
        self.beside: list[_Beside] = []  # steps handed over beside the notebook
        self.here: Piece | None = None  # with one report: its notebook, built here

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        from wardbrief.run import engine

        try:
            self.tasks.close()
        finally:
            if not self.keep_kernel:  # else ended with this process (processes.at_exit)
                engine.WarmKernel.discard_current()
            self.stagings.close()

    def hand_over(self, step: Callable[..., Any], *args: Any) -> int:
        """`step(*args)` (a module-level function); its result from `handed(index)` after
        build(). With one report, by this process while its kernel runs the notebook
        (the thread of build._Meanwhile, after the annex), when it only waits on the
        kernel: a task of the run would wait for the notebook, then for the report's
        layout; else by whichever process of the run is free first."""
        if self.split:
            beside = _Beside(step, args)
            self.beside.append(beside)
            if self.here is not None:  # else (its metrics failed) handed() runs it
                self.here.after.append(beside.run)
            return -len(self.beside)
        return self.tasks.submit((step, args), processes.ANYWHERE)

    def handed(self, index: int) -> processes.TaskResult:
        if index < 0:
            return self.beside[-index - 1].result()
        return self.tasks.results[index]

    def build(self, reports: list[Report], metrics_for: MetricsFor, source: str,
              allow_stale: bool, *, write_metrics: WriteMetrics = write_metrics_files,
              before_finish: Callable[[], None] | None = None) -> RunResult:
        """Build and publish each report (a failure does not stop the others): its
        metrics computed here (metrics_for), its pieces handed out at once, the longest
        report first. `before_finish()` is called once every piece is handed out."""
        self.order = [_Report(n, report) for n, report in enumerate(reports, 1)]
        for entry in sorted(self.order, key=lambda e: build_rank(e.report)):
            started = time.monotonic()
            try:
                metrics = metrics_for(entry.report)
            except Exception as exc:  # noqa: BLE001 - reported in one line
                entry.failure = f"metrics: {describe_failure(exc)}"
                entry.seconds = time.monotonic() - started
                self._tell_ready()
                continue
            entry.seconds = time.monotonic() - started
            self._submit(entry, metrics, source, allow_stale, write_metrics)
        if before_finish is not None:
            before_finish()
        self.tasks.finish()
        self._tell_ready()
        if self.result.index is None:  # nothing published: the index is still regenerated
            self.result.index = write_index_or_say(self.out_root, self.stderr)
        if self.result.index is not None:
            print(f"  {self.result.index}", file=self.stdout, flush=True)
        return self.result

    def _submit(self, entry: _Report, metrics: dict[str, Any], source: str,
                allow_stale: bool, write_metrics: WriteMetrics) -> None:
        report = entry.report
        entry.staging = self.stagings.enter_context(store.staging_folder(self.out_root,
                                                                          report.name))
        metrics = with_document(metrics, report.name,  # what this report is built from
                                document_fingerprint(report.notebook, TEMPLATES_DIR))
        entry.metrics = metrics
        notebook = Piece(NOTEBOOK, report, metrics, entry.staging,
                         notebook_parameters(metrics, source, allow_stale), write_metrics)
        where = processes.HERE if self.split else processes.ANYWHERE
        if self.split:
            self.here = notebook
        pieces = [(notebook, where)]
        if report.from_metrics is not None:
            if self.split and self.jobs > 1 and annex_lines(metrics) >= WORKER_FROM_LINES:
                # a long annex is laid out beside the notebook, by a worker started now
                self.tasks.add_workers(1, functools.partial(warm_worker, 0))
                pieces.append((Piece(FROM_METRICS, report, metrics, entry.staging),
                               processes.THERE))
            elif self.split or self.jobs == 1:  # by this process while its kernel works
                notebook.beside = True
            else:  # by whichever process is free first
                pieces.append((Piece(FROM_METRICS, report, metrics, entry.staging), where))
        for piece, where in pieces:
            index = self.tasks.count
            entry.pieces[index] = piece.kind
            self.entries[index] = entry
            assert self.tasks.submit(piece, where) == index

    def _piece_done(self, result: processes.TaskResult) -> None:
        entry = self.entries.get(result.index)
        if entry is None:  # a step handed over
            return
        done = result.value if isinstance(result.value, PieceDone) else PieceDone(
            [], result.error or "no result", 0.0)
        entry.done[result.index] = done
        if done.failure and entry.failure is None:
            entry.failure = done.failure
        if not entry.pieces.keys() - entry.done.keys():
            self._conclude(entry)
        self._tell_ready()

    def _conclude(self, entry: _Report) -> None:
        """Every piece of a report is done: publish it, or keep its notebook."""
        entry.seconds += max(d.seconds for d in entry.done.values())
        staging = entry.staging
        assert staging is not None
        if entry.failure is None:
            metrics = entry.metrics or {}
            final = self.out_root / str(metrics["as_of"]) / entry.report.folder_name(metrics)
            try:
                store.publish(staging, final)
                entry.folder = final
            except OSError as exc:  # a full disk: the previous briefing stays
                entry.failure = f"publishing: {describe_failure(exc)}"
        if entry.failure is not None:
            entry.kept = store.keep_failed(self.out_root, entry.report.name, staging)
        entry.staging = None
        if entry.folder is not None:
            self.result.index = write_index_or_say(self.out_root, self.stderr) \
                or self.result.index

    def _tell_ready(self) -> None:
        """Tell, in the reports' order, each report whose build has ended."""
        for entry in self.order:
            if entry.told:
                continue
            if entry.folder is None and entry.failure is None:
                return
            if entry.failure is not None and entry.pieces.keys() - entry.done.keys():
                return  # a piece still runs
            entry.told = True
            self._tell(entry)

    def _tell(self, entry: _Report) -> None:
        out, err, total = self.stdout, self.stderr, len(self.order)
        print(f"[{entry.number}/{total}] {entry.report.name} …", end=" ", file=out, flush=True)
        if entry.failure is not None:
            print(f"FAILED after {entry.seconds:.1f} s", file=out, flush=True)
            kept_note = f" (executed notebook: {entry.kept})" if entry.kept else ""
            print(f"{entry.report.name}: {entry.failure}{kept_note}", file=err, flush=True)
            self.result.failed[entry.report.name] = ReportFailed(entry.failure, entry.kept)
            return
        print(f"done in {entry.seconds:.1f} s", file=out, flush=True)
        assert entry.folder is not None
        self.result.published[entry.report.name] = entry.folder
        for path in sorted(p for p in entry.folder.rglob("*") if p.is_file()):
            print(f"  {path}", file=out)


def run_reports(reports: list[Report], metrics_for: MetricsFor, source: str,
                allow_stale: bool, out_root: Path, *, jobs: int = 1,
                write_metrics: WriteMetrics = write_metrics_files,
                stdout: TextIO | None = None, stderr: TextIO | None = None,
                keep_kernel: bool = False) -> RunResult:
    """Build and publish `reports` with `jobs` processes (the caller holds the lock).
    `keep_kernel`: this process's kernel stays up for the caller's next run (a city's
    worker builds ward after ward); it ends with the process (processes.at_exit)."""
    with ReportRun(out_root, reports, jobs, stdout=stdout, stderr=stderr,
                   keep_kernel=keep_kernel) as run:
        return run.build(reports, metrics_for, source, allow_stale, write_metrics=write_metrics)


def sweep_leftovers(out_root: Path) -> None:
    """What a killed run left and the store's repair does not know: the kernel folders
    (connection file, sockets) of processes that are gone, and tracking workbooks being
    saved (`<as-of>/.theo-doi.xlsx.<pid>.tmp`). Called under the run lock."""
    from wardbrief.run import engine

    engine.sweep_kernel_folders()
    with contextlib.suppress(OSError):
        for day in out_root.iterdir():
            if not day.is_dir() or day.is_symlink():
                continue
            for tmp in day.glob(f".*.xlsx.*{TRACKING_TMP_SUFFIX}"):
                pid = tmp.name.rsplit(".", 2)[-2]
                if not pid.isdigit() or not processes.running(int(pid)):
                    with contextlib.suppress(OSError):
                        tmp.unlink()


def build_and_publish(report: Report, metrics: dict[str, Any], parameters: dict[str, Any],
                      out_root: Path, write_metrics: WriteMetrics = write_metrics_files) -> Path:
    """One report with the notebook parameters given, built in this process and
    published at `out_root/<as-of>/<folder>`; returns that folder. Raises ReportFailed
    (the previous briefing untouched, the executed notebook kept). The caller holds the
    lock (wardbrief.city: the city briefing)."""
    with store.staging_folder(out_root, report.name) as staging:
        pieces = [Piece(NOTEBOOK, report, metrics, staging, parameters, write_metrics)]
        if report.from_metrics is not None:
            pieces.append(Piece(FROM_METRICS, report, metrics, staging))
        failure = next((done.failure for done in map(build_piece, pieces) if done.failure), None)
        final = store.published_path(out_root, metrics["as_of"], report.folder_name(metrics))
        if failure is None:
            try:
                store.publish(staging, final)
                return final
            except OSError as exc:  # a full disk: the previous briefing stays
                failure = f"publishing: {describe_failure(exc)}"
        raise ReportFailed(failure, store.keep_failed(out_root, report.name, staging))
