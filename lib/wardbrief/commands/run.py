"""`wardbrief run REPORT|all`: build the briefings and publish them under outputs/.

Exit codes: 0 every report published, 1 a report failed (the previous briefing is
kept) or the workbook cannot give true figures (Workbook.blocking_issues: then only the
data-quality list is published and every briefing stays as it was), 2 the source cannot
be read, 3 another run holds outputs/.lock.
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
    refusal,
)
from wardbrief.exit_codes import EXIT_DATA_ERRORS, EXIT_LOCKED, EXIT_SOURCE
from wardbrief.publish import runner


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "run",
        help="build briefings (HTML, PDF, metrics.json) into outputs/<as-of>/<report>/",
        description="Execute each report's notebook, render HTML and PDF and publish them "
        "atomically into OUT/<as-of>/<report>/; OUT/index.html lists every briefing. "
        "Exit 0 ok, 1 a report failed, 2 source unreadable, 3 another run in progress.",
    )
    parser.add_argument("report", choices=[*runner.REPORTS, "all"],
                        help="the report to build, or all of them")
    add_source_arguments(parser)
    add_period_arguments(parser, as_of_required=False)
    parser.add_argument("--out", type=Path, default=Path("outputs"),
                        help="where briefings are published (default: outputs)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    names = list(runner.REPORTS) if args.report == "all" else [args.report]
    reports = [runner.REPORTS[name] for name in names]
    try:
        with runner.run_lock(args.out):
            return _run_locked(args, reports)
    except runner.Locked as exc:
        print(f"wardbrief run: đang có một lần chạy khác (pid {exc.pid or '?'}); chờ lần đó "
              f"xong rồi chạy lại. / {exc}", file=sys.stderr)
        return EXIT_LOCKED


def _run_locked(args: argparse.Namespace, reports: list[runner.Report]) -> int:
    from wardbrief.briefings.briefing import default_period_start
    from wardbrief.figures.metrics import compute_metrics

    if period_error(args):
        return EXIT_SOURCE
    workbook = open_workbook(args)  # one read of the source for the whole run
    if workbook is None:
        return EXIT_SOURCE
    refused = refusal(workbook)
    if refused:  # no true figures: only the data-quality list, the briefings stay as they were
        reports = [runner.REPORTS["data_quality"]]
    computed: dict[object, dict] = {}

    def metrics_for(report: runner.Report) -> dict:
        """Once per period: --period-start, else the report's own default (the monthly
        report starts on the 1st of the month, the others 6 days before as-of)."""
        start = args.period_start or default_period_start(report.name, args.as_of)
        if start not in computed:
            computed[start] = compute_metrics(workbook, args.as_of, start)
        return computed[start]

    result = runner.run_reports(reports, metrics_for, args.source, args.allow_stale, args.out)
    if refused:
        print(refused, file=sys.stderr)
        return EXIT_DATA_ERRORS
    return result.exit_code  # EXIT_DATA_ERRORS when a report failed, else EXIT_OK
