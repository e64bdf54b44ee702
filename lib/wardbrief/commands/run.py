"""`wardbrief run REPORT|all`: build the briefings and publish them under outputs/.

Exit codes: 0 every report published, 1 a report failed (the previous briefing is
kept), 2 the source cannot be read, 3 another run holds outputs/.lock; with `--send`
also 4 a message was not delivered, 5 e-mail is not set up (nothing is built).

For a local workbook (not a Google Sheet) the run also writes `OUT/<as-of>/theo-doi.xlsx`:
the open cases and tasks with their due dates, and the data issues (what `sheet publish`
writes to the `Theo dõi` and `Lỗi dữ liệu` tabs of a Google Sheet).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wardbrief.commands.common import (
    add_period_arguments,
    add_source_arguments,
    open_workbook,
    period_error,
)
from wardbrief.config import MailSettings
from wardbrief.exit_codes import EXIT_LOCKED, EXIT_MAIL_CONFIG, EXIT_SOURCE
from wardbrief.paths import is_gsheet_spec
from wardbrief.publish import runner


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
                        help="the report to build, or all of them")
    add_source_arguments(parser)
    add_period_arguments(parser, as_of_required=False)
    parser.add_argument("--out", type=Path, default=Path("outputs"),
                        help="where briefings are published (default: outputs)")
    parser.add_argument("--send", action="store_true",
                        help="then e-mail them ([mail] in the config file; see `send`)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    names = list(runner.REPORTS) if args.report == "all" else [args.report]
    reports = [runner.REPORTS[name] for name in names]
    mail = None
    if getattr(args, "send", False):
        from wardbrief.commands.send import mail_settings

        mail = mail_settings()  # checked before anything is built
        if mail is None:
            return EXIT_MAIL_CONFIG
    try:
        with runner.run_lock(args.out):
            return _run_locked(args, reports, mail)
    except runner.Locked as exc:
        print(f"wardbrief run: {exc}", file=sys.stderr)
        return EXIT_LOCKED


def _run_locked(args: argparse.Namespace, reports: list[runner.Report],
                mail: MailSettings | None = None) -> int:
    from wardbrief.briefings.briefing import default_period_start
    from wardbrief.figures.metrics import compute_metrics

    if period_error(args):
        return EXIT_SOURCE
    problems: list[str] = []
    workbook = open_workbook(args, problems)  # one read of the source for the whole run
    if workbook is None:
        if mail is not None:
            _send_after_run(args, mail, None, problems)
        return EXIT_SOURCE
    computed: dict[object, dict] = {}

    def metrics_for(report: runner.Report) -> dict:
        """Once per period: --period-start, else the report's own default (the monthly
        report starts on the 1st of the month, the others 6 days before as-of)."""
        start = args.period_start or default_period_start(report.name, args.as_of)
        if start not in computed:
            with runner.time_limit(runner.FIGURES_TIMEOUT_S, "the figures"):
                computed[start] = compute_metrics(workbook, args.as_of, start)
        return computed[start]

    result = runner.run_reports(reports, metrics_for, args.source, args.allow_stale, args.out)
    if computed and not is_gsheet_spec(args.source):
        _write_tracking(args, next(iter(computed.values())))
    code = result.exit_code  # EXIT_DATA_ERRORS when a report failed, else EXIT_OK
    if mail is not None:
        sent = _send_after_run(args, mail, result, [])
        code = code or sent
    return code


def _write_tracking(args: argparse.Namespace, metrics: dict) -> None:
    """`OUT/<as-of>/theo-doi.xlsx` for a local workbook: what the Theo dõi and Lỗi dữ liệu
    tabs hold for a Google Sheet (open cases and tasks do not depend on the period)."""
    from wardbrief.publish.sheet_writeback import write_tracking_workbook

    target = write_tracking_workbook(metrics, args.out / str(metrics["as_of"]) / "theo-doi.xlsx")
    print(f"  {target}")


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
    return send_published(names, args.as_of.isoformat(), args.out, mail, failures=failures)
