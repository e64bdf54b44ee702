"""Arguments and error handling shared by the commands."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from wardbrief.exit_codes import EXIT_DATA_ERRORS, EXIT_LOCKED, EXIT_OK, EXIT_SOURCE  # noqa: F401
from wardbrief.figures.metrics import load
from wardbrief.paths import DEFAULT_SOURCE, resolve_source
from wardbrief.read.contract import Workbook
from wardbrief.read.dates import DATE_MAX, DATE_MIN
from wardbrief.read.sources import SourceError


def iso_date(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date YYYY-MM-DD") from None
    if not DATE_MIN <= day <= DATE_MAX:
        raise argparse.ArgumentTypeError(
            f"'{text}' is outside {DATE_MIN.isoformat()} .. {DATE_MAX.isoformat()}")
    return day


def add_source_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", default=DEFAULT_SOURCE,
                        help="an .xlsx workbook, a folder of CSV files, or gsheet:<key> "
                             f"(default: {DEFAULT_SOURCE})")
    parser.add_argument("--allow-stale", action="store_true",
                        help="if the Google Sheet cannot be reached, use the newest snapshot")


def add_period_arguments(parser: argparse.ArgumentParser, as_of_required: bool = True) -> None:
    parser.add_argument("--as-of", type=iso_date, required=as_of_required,
                        default=None if as_of_required else dt.date.today(),
                        help="the report's as-of date, YYYY-MM-DD")
    parser.add_argument("--period-start", type=iso_date, default=None,
                        help="first day of the period (default: as-of minus 6 days)")


def period_error(args: argparse.Namespace) -> bool:
    """True, after telling the user, when --period-start falls after --as-of."""
    if args.period_start and args.period_start > args.as_of:
        print(f"error: --period-start {args.period_start} is after --as-of {args.as_of}",
              file=sys.stderr)
        return True
    return False


def open_workbook(args: argparse.Namespace, problems: list[str] | None = None
                  ) -> Workbook | None:
    """The workbook, or None after telling the user why the source cannot be read (the
    reason is also appended to `problems` when given: `run --send` tells the office)."""
    problems = [] if problems is None else problems
    options: dict[str, object] = {"allow_stale": bool(getattr(args, "allow_stale", False))}
    if getattr(args, "out", None) is not None:  # `run --out X` keeps snapshots in X/_snapshots
        options["snapshot_dir"] = args.out / "_snapshots"
    try:
        workbook = load(resolve_source(args.source), **options)
    except SourceError as exc:
        problems.append(str(exc))
        print(f"error: {exc}", file=sys.stderr)
        return None
    if workbook.missing_required:
        tabs = ", ".join(workbook.missing_required)
        problems.append(f"{args.source}: required tab(s) missing: {tabs}")
        print(f"error: {args.source}: required tab(s) missing: {tabs} "
              "(the workbook needs DonVi and PhanAnh)", file=sys.stderr)
        return None
    return workbook
