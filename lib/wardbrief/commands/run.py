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
import datetime as dt
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
from wardbrief.paths import is_gsheet_spec
from wardbrief.processes import SettingError, jobs_argument, jobs_setting
from wardbrief.read.messages import refusal_reason
from wardbrief.run import registry, store
from wardbrief.run.registry import REPORTS, Report, time_limit
from wardbrief.run.reports import ReportRun, RunResult


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "run",
        help="build briefings (HTML, PDF, metrics.json) into outputs/<as-of>/<report>/",
        description="Execute each report's notebook, render HTML and PDF and publish them "
        "atomically into OUT/<as-of>/<report>/; OUT/index.html lists every briefing. "
        "Exit 0 ok, 1 a report failed, 2 source unreadable, 3 another run in progress; "
        "with --send: 4 a message not delivered, 5 e-mail not set up.",
    )
    parser.add_argument("report", choices=[*REPORTS, "all"],
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
    names = list(REPORTS) if args.report == "all" else [args.report]
    reports = [REPORTS[name] for name in names]
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


def report_period(args: argparse.Namespace, report: Report,
                  cutoff: int) -> periods.Period:
    """The period a report of this run covers: the one named by --month / --quarter /
    --half / --year, else the dates --period-start .. --as-of, else the report's period
    that ends on or before --as-of (a week for the weekly reports)."""
    named = periods.named_period(report.period, cutoff, month_text=args.month,
                                 quarter_text=args.quarter, half_text=args.half,
                                 year_number=args.year)
    return named or periods.period_for(report.name, args.as_of, cutoff, args.period_start)


def unfinished_period_error(args: argparse.Namespace, reports: list[Report],
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


def without_empty_periods(args: argparse.Namespace, reports: list[Report], cutoff: int,
                          first: dt.date | None) -> list[Report]:
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
    """What reading the workbook gave a run: the exit code when it stops there, the
    reports to build, the refusal line, the source as resolved; the metrics of each
    period, computed when a report first asks for them (metrics_for), the workbook
    let go once every report has its metrics (release)."""

    source: str
    exit_code: int | None = None
    problems: list[str] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)
    refused: str | None = None
    refused_reason: str = ""  # the refusal in the office's notice (Vietnamese)
    track: bool = False
    workbook: Any = None
    periods: dict[str, periods.Period] = field(default_factory=dict)  # report -> its period
    computed: dict[periods.Period, Any] = field(default_factory=dict)

    def metrics_for(self, report: Report) -> dict:
        from wardbrief.figures.metrics import compute_metrics

        period = self.periods[report.name]
        if period not in self.computed:
            try:
                with time_limit(registry.FIGURES_TIMEOUT_S, "the figures"):
                    self.computed[period] = compute_metrics(self.workbook, period.end,
                                                            period=period)
            except Exception as exc:  # noqa: BLE001 - the report fails with it
                self.computed[period] = exc
        value = self.computed[period]
        if isinstance(value, BaseException):
            raise value
        return value

    def tracking_metrics(self) -> dict[str, Any] | None:
        """What theo-doi.xlsx is written from: the first report's figures that were
        computed, when the run tracks at all (true due dates, a local workbook)."""
        if not self.track:
            return None
        return next((m for m in self.computed.values() if isinstance(m, dict)), None)

    def release(self) -> None:
        """The workbook's cells are not needed any more (every report has its metrics)."""
        import gc

        self.workbook = None
        gc.collect()


def _figures(args: argparse.Namespace, reports: list[Report]) -> _Figures:
    """Read the source once; the period of each report (figures.periods, report_period);
    a report whose period ends before the sheet's first case is left out."""
    from wardbrief.figures.cases import first_received

    problems: list[str] = []
    workbook = open_workbook(args, problems)
    figures = _Figures(args.source, problems=problems)
    if workbook is None:
        figures.exit_code = EXIT_SOURCE
        return figures
    warn_before_first_case(workbook, args.as_of)
    figures.refused = refusal(workbook)
    if figures.refused:  # no true figures: only the data-quality list
        reports = [REPORTS["data_quality"]]
        figures.refused_reason = refusal_reason(workbook.blocking_issues())
    cutoff = workbook.settings.cutoff_day
    if unfinished_period_error(args, reports, cutoff):
        figures.exit_code = EXIT_SOURCE
        return figures
    reports = without_empty_periods(args, reports, cutoff, first_received(workbook.cases))
    figures.reports = [r.name for r in reports]
    figures.periods = {r.name: report_period(args, r, cutoff) for r in reports}
    figures.workbook = workbook
    figures.track = not figures.refused and not is_gsheet_spec(args.source)  # true due dates
    return figures


def _run_locked(args: argparse.Namespace, reports: list[Report],
                mail: MailSettings | None = None) -> int:
    if period_error(args) or named_period_error(args):
        return EXIT_SOURCE
    # the run's workers and kernels start first: they boot while this process reads
    # the workbook (wardbrief.run.reports)
    with ReportRun(args.out, reports, args.jobs, large=_large_source(args)) as run:
        figures = _figures(args, reports)
        args.source = figures.source
        if figures.exit_code is not None:
            if mail is not None and figures.problems:
                _send_after_run(args, mail, None, figures.problems)
            return figures.exit_code
        tracking: list[int] = []

        def every_report_handed_out() -> None:
            metrics = figures.tracking_metrics()
            figures.release()
            if metrics is not None:  # by whichever process is free first
                tracking.append(run.hand_over(_write_tracking, args, metrics))

        result = run.build([REPORTS[n] for n in figures.reports], figures.metrics_for,
                           args.source, args.allow_stale, before_finish=every_report_handed_out)
        tracked = True
        for index in tracking:
            written = run.handed(index)
            if written.error is None:
                for target in written.value:
                    print(f"  {target}")
            else:  # a full disk, say: one line, the briefings stand
                print(f"theo-doi.xlsx: không ghi được / could not be written: {written.error}",
                      file=sys.stderr)
                tracked = False
    code = result.exit_code  # EXIT_DATA_ERRORS when a report failed, else EXIT_OK
    if not tracked:
        code = code or EXIT_DATA_ERRORS
    if figures.refused:
        print(figures.refused, file=sys.stderr)
        code = EXIT_DATA_ERRORS
    if mail is not None:
        sent = _send_after_run(args, mail, result, [], figures.refused_reason)
        code = code or sent
    return code


LARGE_SOURCE_BYTES = 4 * 1024 * 1024  # a local workbook this large has a long annex


def _large_source(args: argparse.Namespace) -> bool:
    """Whether --source is a local workbook (file, or folder of CSV files) of
    LARGE_SOURCE_BYTES or more: the run then starts a worker for the annex at once."""
    path = Path(args.source).expanduser() if args.source else None
    if path is None or is_gsheet_spec(args.source) or not path.exists():
        return False
    files = path.glob("*.csv") if path.is_dir() else [path]
    return sum(f.stat().st_size for f in files) >= LARGE_SOURCE_BYTES


def _write_tracking(args: argparse.Namespace, metrics: dict) -> list[Path]:
    """`OUT/<as-of>/theo-doi.xlsx` for a local workbook: what the Theo dõi and Lỗi dữ liệu
    tabs hold for a Google Sheet (open cases and tasks do not depend on the period)."""
    from wardbrief.publish.tracking import write_tracking_workbook

    return [write_tracking_workbook(metrics, args.out / str(metrics["as_of"]) / "theo-doi.xlsx")]


def _send_after_run(args: argparse.Namespace, mail: MailSettings,
                    result: RunResult | None, problems: list[str], refused: str = "") -> int:
    """`run --send`: e-mail what this run published; the reports that failed, the source
    that could not be read (`problems`) or why the workbook was not briefed (`refused`)
    go into the office's notice. The exit code of sending."""
    from wardbrief.briefings.letters import failed_line, refused_line, source_line
    from wardbrief.commands.send import send_published

    failures = [source_line(p) for p in problems] + ([refused_line(refused)] if refused else [])
    if result is not None:
        failures += [failed_line(name, str(exc)) for name, exc in result.failed.items()]
    names = list(result.published) if result is not None else []
    return send_published(names, args.as_of.isoformat(), args.out, mail, failures=failures,
                          published=result.published if result is not None else None)
