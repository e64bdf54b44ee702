"""`wardbrief metrics`: metrics.json for an as-of date (stdout, or a file with -o).

A workbook that cannot give true figures (Workbook.blocking_issues) still gets its
metrics.json, marked `"briefable": false` with `blocking_issues`; the command then says
why on stderr and exits 1."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wardbrief.commands.common import (
    EXIT_DATA_ERRORS,
    EXIT_OK,
    EXIT_SOURCE,
    add_period_arguments,
    add_source_arguments,
    open_workbook,
    period_error,
    refusal,
    warn_before_first_case,
)

if TYPE_CHECKING:
    from wardbrief.read.contract import Workbook


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("metrics", help="compute metrics.json (the figures of a briefing)")
    add_source_arguments(parser)
    add_period_arguments(parser)
    parser.add_argument("-o", "--output", type=Path, default=None,
                        help="write metrics.json here, with its CSV twins beside it "
                             "(default: print to stdout)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from wardbrief.figures.metrics_files import metrics_json, write_metrics

    workbook = open_workbook(args)
    if workbook is None:
        return EXIT_SOURCE
    if period_error(args):
        return EXIT_SOURCE
    metrics = figures(workbook, args)
    refused = refusal(workbook)  # metrics.json is still written, marked "briefable": false
    code = EXIT_DATA_ERRORS if refused else EXIT_OK
    if refused:
        print(refused, file=sys.stderr)
    if args.output is None:
        sys.stdout.write(metrics_json(metrics))
        return code
    written = write_metrics(metrics, args.output.parent)
    if args.output.name != "metrics.json":
        written[0].replace(args.output)
        written[0] = args.output
    for path in written:
        print(path, file=sys.stderr)
    return code


def figures(workbook: Workbook, args: argparse.Namespace) -> dict[str, Any]:
    """The command's figures of a workbook it has opened (`open_workbook`): what
    bench/bench.py measures as the command's own path."""
    from wardbrief.figures.metrics import compute_metrics
    from wardbrief.run.registry import FIGURES_TIMEOUT_S, time_limit

    warn_before_first_case(workbook, args.as_of)
    with time_limit(FIGURES_TIMEOUT_S, "the figures"):
        return compute_metrics(workbook, args.as_of, args.period_start,
                               report_inputs=False)  # figures to read, not to send
