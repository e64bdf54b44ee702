"""`wardbrief run REPORT|all`: build the briefings and publish them under outputs/.

Exit codes: 0 every report published, 1 a report failed (the previous briefing is
kept) or the workbook cannot give true figures (Workbook.blocking_issues: then only the
data-quality list is published and every briefing stays as it was), 2 the source cannot
be read, 3 another run holds outputs/.lock; with `--send` also 4 a message was not
delivered, 5 e-mail is not set up (nothing is built).

A report on the cut-off whose period ends before the sheet's first case is not built
(one line says so: figures.periods.before_data).

For a local workbook (not a Google Sheet) the run also writes `OUT/<as-of>/theo-doi.xlsx`:
the open cases and tasks with their due dates, and the data issues (what `sheet publish`
writes to the `Theo dõi` and `Lỗi dữ liệu` tabs of a Google Sheet).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import os
import pickle
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wardbrief.commands.common import (
    add_period_arguments,
    add_source_arguments,
    open_workbook,
    period_error,
    refusal,
    warn_before_first_case,
)
from wardbrief.config import MailSettings
from wardbrief.exit_codes import EXIT_DATA_ERRORS, EXIT_LOCKED, EXIT_MAIL_CONFIG, EXIT_SOURCE
from wardbrief.figures import periods
from wardbrief.forking import freeze_for_good, frozen_heap
from wardbrief.paths import is_gsheet_spec
from wardbrief.processes import SettingError, jobs_argument, jobs_setting
from wardbrief.publish import runner
from wardbrief.run import store


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "run",
        help="build briefings (HTML, PDF, metrics.json) into outputs/<as-of>/<report>/",
        description="Execute each report's notebook, render HTML and PDF and publish them "
        "atomically into OUT/<as-of>/<report>/; OUT/index.html lists every briefing. "
        "Exit 0 ok, 1 a report failed, 2 source unreadable, 3 another run in progress; "
        "with --send: 4 a message not delivered, 5 e-mail not set up.",
    )
    parser.add_argument("report", choices=[*runner.REPORTS, "all"],
                        help="the report to build, or all of them: " + "; ".join(
                            f"{k.name} = {k.title} ({k.period})" for k in periods.REPORT_KINDS))
    add_source_arguments(parser)
    add_period_arguments(parser, as_of_required=False)
    add_named_period_arguments(parser)
    parser.add_argument("--out", type=Path, default=Path("outputs"),
                        help="where briefings are published (default: outputs)")
    parser.add_argument("--jobs", type=jobs_argument, default=None, metavar="N",
                        help="reports built at once, each in its own process (default: "
                             "WARDBRIEF_JOBS, else the usable CPU cores; 1: all in one process)")
    parser.add_argument("--send", action="store_true",
                        help="then e-mail them ([mail] in the config file; see `send`)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        args.jobs = jobs_setting(getattr(args, "jobs", None))
    except SettingError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_SOURCE
    names = list(runner.REPORTS) if args.report == "all" else [args.report]
    reports = [runner.REPORTS[name] for name in names]
    mail = None
    if getattr(args, "send", False):
        from wardbrief.commands.send import mail_settings

        mail = mail_settings()  # checked before anything is built
        if mail is None:
            return EXIT_MAIL_CONFIG
    try:
        with store.run_lock(args.out):
            return _run_locked(args, reports, mail)
    except store.Locked as exc:
        print(f"wardbrief run: {exc}", file=sys.stderr)
        return EXIT_LOCKED


def add_named_period_arguments(parser: argparse.ArgumentParser) -> None:
    """--month / --quarter / --half / --year: the period of a report on the cut-off day
    (CauHinh `Ngày chốt số liệu`, Nghị định 09/2019/NĐ-CP Điều 12)."""
    parser.add_argument("--month", metavar="YYYY-MM",
                        help="monthly_report: the month (15th of the month before to the 14th)")
    parser.add_argument("--quarter", metavar="YYYY-Qn",
                        help="quarterly_report: the quarter, e.g. 2026-Q4")
    parser.add_argument("--half", metavar="YYYY-Hn",
                        help="half_year_report: the half, 2026-H1 or 2026-H2")
    parser.add_argument("--year", type=int, metavar="YYYY",
                        help="year_report: the year (15/12 of the year before to 14/12); "
                             "half_year_report: its first half")


def report_period(args: argparse.Namespace, report: runner.Report,
                  cutoff: int) -> periods.Period:
    """The period a report of this run covers: the one named by --month / --quarter /
    --half / --year, else the dates --period-start .. --as-of, else the report's period
    that ends on or before --as-of (a week for the weekly reports)."""
    named = periods.named_period(report.period, cutoff, month_text=args.month,
                                 quarter_text=args.quarter, half_text=args.half,
                                 year_number=args.year)
    return named or periods.period_for(report.name, args.as_of, cutoff, args.period_start)


def unfinished_period_error(args: argparse.Namespace, reports: list[runner.Report],
                            cutoff: int, today: dt.date | None = None) -> bool:
    """True, after telling the user, when --month / --quarter / --half / --year names a
    period that has not ended yet (its figures would be a part passed off as the whole)."""
    today = today or dt.date.today()
    for report in reports:
        period = report_period(args, report, cutoff)
        if period.end > today:
            print(f"Lỗi: kỳ {period.label} của {report.name} kết thúc ngày "
                  f"{period.end:%d/%m/%Y}, chưa đến (hôm nay là {today:%d/%m/%Y}). / "
                  f"error: the period {period.label} of {report.name} ends on {period.end}, "
                  f"after today ({today}).", file=sys.stderr)
            return True
    return False


def without_empty_periods(args: argparse.Namespace, reports: list[runner.Report], cutoff: int,
                          first: dt.date | None) -> list[runner.Report]:
    """The reports to build: one whose period ends before the sheet's first case is left
    out, one line saying so (figures.periods.before_data)."""
    kept = []
    for report in reports:
        period = report_period(args, report, cutoff)
        if periods.before_data(period, first):
            print(f"Bỏ qua {report.name}-{period.label} (kỳ {period.start:%d/%m/%Y} - "
                  f"{period.end:%d/%m/%Y}): kỳ kết thúc trước phản ánh đầu tiên của bảng "
                  f"tính ({first:%d/%m/%Y}), không lập và không gửi. / skipped: the period "
                  f"ends before the sheet's first case ({first})")
            continue
        kept.append(report)
    return kept


def named_period_error(args: argparse.Namespace) -> bool:
    """True, after telling the user, when --month / --quarter / --half is not one."""
    for parse, text in ((periods.parse_month, args.month), (periods.parse_quarter, args.quarter),
                        (periods.parse_half, args.half)):
        if text:
            try:
                parse(text)
            except ValueError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return True
    return False


@dataclass
class _Figures:
    """What reading the workbook gave a run: the exit code when it stops there, what it
    told the user, the reports to build with their metrics (or the exception that
    stopped them), the refusal line, the source as resolved."""

    source: str
    exit_code: int | None = None
    problems: list[str] = field(default_factory=list)
    stdout: str = ""
    stderr: str = ""
    reports: list[str] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)  # report -> metrics or exception
    refused: str | None = None
    track: bool = False

    def tracking_metrics(self) -> dict[str, Any] | None:
        """What theo-doi.xlsx is written from: the first report's figures that were
        computed, when the run tracks at all (true due dates, a local workbook)."""
        if not self.track:
            return None
        return next((m for m in self.metrics.values() if isinstance(m, dict)), None)


def _figures(args: argparse.Namespace, reports: list[runner.Report]) -> _Figures:
    """Read the source once and compute the metrics of every report (once per period,
    figures.periods; see report_period); the workbook is let go at the end."""
    from wardbrief.figures.cases import first_received
    from wardbrief.figures.metrics import compute_metrics

    problems: list[str] = []
    workbook = open_workbook(args, problems)
    figures = _Figures(args.source, problems=problems)
    if workbook is None:
        figures.exit_code = EXIT_SOURCE
        return figures
    warn_before_first_case(workbook, args.as_of)
    figures.refused = refusal(workbook)
    if figures.refused:  # no true figures: only the data-quality list
        reports = [runner.REPORTS["data_quality"]]
    cutoff = workbook.settings.cutoff_day
    if unfinished_period_error(args, reports, cutoff):
        figures.exit_code = EXIT_SOURCE
        return figures
    reports = without_empty_periods(args, reports, cutoff, first_received(workbook.cases))
    figures.reports = [r.name for r in reports]
    computed: dict[periods.Period, Any] = {}
    for report in sorted(reports, key=runner._build_rank):  # the first built, first
        period = report_period(args, report, cutoff)
        if period not in computed:
            try:
                with runner.time_limit(runner.FIGURES_TIMEOUT_S, "the figures"):
                    computed[period] = compute_metrics(workbook, period.end, period=period)
            except Exception as exc:  # noqa: BLE001 - the report fails with it
                computed[period] = exc if _picklable(exc) else RuntimeError(
                    runner.describe_failure(exc))
        figures.metrics[report.name] = computed[period]
    figures.track = not figures.refused and not is_gsheet_spec(args.source)  # true due dates
    return figures


class _FiguresProcess:
    """_figures in a forked process, while this one loads what building needs; then,
    in the same process, `theo-doi.xlsx` from the first report's figures. What it
    prints is sent back with the figures and printed here (in order, and where a caller
    has put its own sys.stdout). Where processes cannot be forked both run here."""

    def __init__(self, args: argparse.Namespace, reports: list[runner.Report]) -> None:
        self.args, self.reports = args, reports
        self.pid: int | None = None
        self.pipe: Any = None
        self.tracking: runner.Background | None = None
        if hasattr(os, "fork"):
            read_fd, write_fd = os.pipe()
            with frozen_heap():
                pid = os.fork()
            if pid == 0:
                os.close(read_fd)
                self._child(write_fd)  # never returns
            os.close(write_fd)
            self.pid, self.pipe = pid, os.fdopen(read_fd, "rb")

    def _child(self, write_fd: int) -> None:
        code = 0
        try:
            with os.fdopen(write_fd, "wb") as pipe:
                out, err = io.StringIO(), io.StringIO()
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                    try:
                        figures = _figures(self.args, self.reports)
                    except BaseException as exc:  # noqa: BLE001 - told to the parent
                        figures = _Figures(self.args.source, exit_code=EXIT_SOURCE,
                                           problems=[runner.describe_failure(exc)])
                        print(f"error: {runner.describe_failure(exc)}", file=sys.stderr)
                figures.stdout, figures.stderr = out.getvalue(), err.getvalue()
                _send(pipe, figures)
                tracking = figures.tracking_metrics()
                if tracking is not None:
                    try:
                        written = _write_tracking(self.args, tracking)
                        _send(pipe, {"paths": [str(p) for p in written]})
                    except BaseException as exc:  # noqa: BLE001 - one line in the parent
                        _send(pipe, {"error": runner.describe_failure(exc)})
        except BaseException:  # noqa: BLE001 - the parent sees the pipe end early
            code = 1
        finally:
            os._exit(code)

    def result(self) -> _Figures:
        if self.pid is None:
            figures = _figures(self.args, self.reports)
            tracking = figures.tracking_metrics()
            if tracking is not None:
                self.tracking = runner.Background(_write_tracking, self.args, tracking)
            return figures
        figures = _receive(self.pipe)
        if not isinstance(figures, _Figures):
            figures = _Figures(self.args.source, exit_code=EXIT_SOURCE, problems=[
                "the process reading the workbook stopped before it finished"])
            figures.stderr = f"error: {figures.problems[0]}\n"
        print(figures.stdout, end="")
        print(figures.stderr, end="", file=sys.stderr)
        return figures

    def tracked(self) -> list[Path]:
        """The tracking workbook's path(s), when result() had tracking_metrics; raises
        RuntimeError when it was not written."""
        if self.pid is None:
            return self.tracking.wait() if self.tracking is not None else []
        answer = _receive(self.pipe) or {
            "error": "the process writing it stopped before it finished"}
        if "error" in answer:
            raise RuntimeError(answer["error"])
        return [Path(p) for p in answer["paths"]]

    def close(self) -> None:
        if self.tracking is not None:
            self.tracking.cancel()
        if self.pid is not None:
            self.pipe.close()
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = None


def _picklable(value: Any) -> bool:
    try:
        pickle.dumps(value)
    except Exception:  # noqa: BLE001 - any reason
        return False
    return True


def _send(pipe: Any, value: Any) -> None:
    pickle.dump(value, pipe, protocol=pickle.HIGHEST_PROTOCOL)
    pipe.flush()


def _receive(pipe: Any) -> Any:
    try:
        return pickle.load(pipe)
    except (EOFError, pickle.UnpicklingError):
        return None


def _run_locked(args: argparse.Namespace, reports: list[runner.Report],
                mail: MailSettings | None = None) -> int:
    if period_error(args) or named_period_error(args):
        return EXIT_SOURCE
    # the workbook is read and the figures computed in a forked process (the source's
    # cells never enter this one), forked first: on a large workbook it is the longest
    # road. The briefings' kernel then boots meanwhile, and this process
    # loads nbconvert, WeasyPrint and papermill
    reading = _FiguresProcess(args, reports)
    try:
        runner.Kernel.warm_up()
        if reading.pid is not None:
            runner.preload()
            freeze_for_good()  # what it loaded lives as long as it does
        figures = reading.result()
        args.source = figures.source
        if figures.exit_code is not None:
            if mail is not None and figures.problems:
                _send_after_run(args, mail, None, figures.problems)
            return figures.exit_code

        def metrics_for(report: runner.Report) -> dict:
            value = figures.metrics[report.name]
            if isinstance(value, BaseException):
                raise value
            return value

        result = runner.run_reports([runner.REPORTS[n] for n in figures.reports], metrics_for,
                                    args.source, args.allow_stale, args.out,
                                    workers=runner.build_workers(args.jobs))
        tracked = True
        if figures.tracking_metrics() is not None:
            try:
                for target in reading.tracked():
                    print(f"  {target}")
            except RuntimeError as exc:  # a full disk, say: one line, the briefings stand
                print(f"theo-doi.xlsx: không ghi được / could not be written: {exc}",
                      file=sys.stderr)
                tracked = False
    finally:
        reading.close()
        runner.Kernel.shutdown_current()
    code = result.exit_code  # EXIT_DATA_ERRORS when a report failed, else EXIT_OK
    if not tracked:
        code = code or EXIT_DATA_ERRORS
    if figures.refused:
        print(figures.refused, file=sys.stderr)
        code = EXIT_DATA_ERRORS
    if mail is not None:
        sent = _send_after_run(args, mail, result, [figures.refused] if figures.refused else [])
        code = code or sent
    return code


def _write_tracking(args: argparse.Namespace, metrics: dict) -> list[Path]:
    """`OUT/<as-of>/theo-doi.xlsx` for a local workbook: what the Theo dõi and Lỗi dữ liệu
    tabs hold for a Google Sheet (open cases and tasks do not depend on the period)."""
    from wardbrief.publish.sheet_writeback import write_tracking_workbook

    return [write_tracking_workbook(metrics, args.out / str(metrics["as_of"]) / "theo-doi.xlsx")]


def _send_after_run(args: argparse.Namespace, mail: MailSettings,
                    result: runner.RunResult | None, problems: list[str]) -> int:
    """`run --send`: e-mail what this run published; the reports that failed (or the
    source that could not be read) go into the office's notice. The exit code of sending."""
    from wardbrief.briefings import labels
    from wardbrief.commands.send import send_published
    from wardbrief.publish.mail import report_label

    failures = [labels.MAIL_NOTICE_SOURCE.format(reason=p) for p in problems]
    if result is not None:
        failures += [labels.MAIL_NOTICE_FAILED.format(report=report_label(name), reason=str(exc))
                     for name, exc in result.failed.items()]
    names = list(result.published) if result is not None else []
    return send_published(names, args.as_of.isoformat(), args.out, mail, failures=failures,
                          published=result.published if result is not None else None)
