"""`wardbrief sheet …`: the ward's Google Sheet.

    wardbrief sheet pull    [--key K] [--allow-stale]
    wardbrief sheet init    [--key K] [--dry-run]
    wardbrief sheet publish [--key K] [--source SPEC] --as-of DATE [--period-start DATE]
                            [--allow-stale]

`--key` is the spreadsheet's key or URL (default: `spreadsheet` of the config file or
WARDBRIEF_SPREADSHEET). The service-account key comes from WARDBRIEF_SERVICE_ACCOUNT /
GOOGLE_APPLICATION_CREDENTIALS or the config file (see README, "Google Sheets").
Exit code 0 on success, 1 when `publish` refuses a workbook that cannot give true figures
(the summary tab is left as it was), 2 when the sheet or the source cannot be read or
written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from wardbrief.commands.common import (
    EXIT_DATA_ERRORS,  # the workbook cannot give true figures: nothing published
    EXIT_SOURCE,  # as `wardbrief check`: the sheet or source cannot be read
    iso_date,
    refusal,
)
from wardbrief.config import ConfigError

date_arg = iso_date  # `2026-11-27` or `27/11/2026`


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "sheet", help="Google Sheet: read it, add the contract's tabs, publish the summary tab",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="sheet_command", metavar="ACTION", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--key", help="spreadsheet key or URL (default: from the config)")
        p.add_argument("--snapshot-dir", type=Path,
                       help="folder of snapshots (default: outputs/_snapshots)")

    pull = sub.add_parser("pull", help="read every tab once and keep a snapshot")
    common(pull)
    pull.add_argument("--allow-stale", action="store_true",
                      help="if the sheet cannot be reached, use the newest snapshot")
    pull.set_defaults(func=run_pull)

    init = sub.add_parser("init", help="add the missing tabs with headers and dropdowns")
    common(init)
    init.add_argument("--dry-run", action="store_true", help="show what would be added")
    init.set_defaults(func=run_init)

    publish = sub.add_parser("publish", help="write the figures to the 'Tổng hợp' tab")
    common(publish)
    publish.add_argument("--source", help="where the figures come from (default: the sheet)")
    publish.add_argument("--as-of", type=date_arg, required=True, help="as-of date")
    publish.add_argument("--period-start", type=date_arg, help="default: as-of minus 6 days")
    publish.add_argument("--allow-stale", action="store_true",
                         help="if the source sheet cannot be reached, use its newest snapshot")
    publish.set_defaults(func=run_publish)


def _fail(message: object) -> int:
    print(f"wardbrief sheet: {message}", file=sys.stderr)
    return EXIT_SOURCE


def _key(args: argparse.Namespace) -> str:
    from wardbrief.read.sources.gsheet import spreadsheet_key

    return spreadsheet_key(args.key)


def run_pull(args: argparse.Namespace) -> int:
    from wardbrief.read.sources.base import SourceError
    from wardbrief.read.sources.gsheet import open_gsheet

    try:
        raw = open_gsheet(f"gsheet:{_key(args)}", allow_stale=args.allow_stale,
                          snapshot_dir=args.snapshot_dir)
    except (SourceError, ConfigError) as exc:
        return _fail(exc)
    taken = raw.taken_at.isoformat(timespec="seconds") if raw.taken_at else "?"
    print(f"{raw.location}  {'STALE snapshot' if raw.stale else 'live'}, taken {taken}")
    print(f"fingerprint {raw.fingerprint}")
    for title, rows in raw.tabs.items():
        print(f"  {title}: {len(rows)} rows")
    return 0


def run_init(args: argparse.Namespace) -> int:
    from wardbrief.publish.sheet_writeback import init_sheet
    from wardbrief.read.sources.base import SourceError
    from wardbrief.read.sources.gsheet import connect

    try:
        key = _key(args)
        plan = init_sheet(connect(write=True), key, dry_run=args.dry_run)
    except (SourceError, ConfigError) as exc:
        return _fail(exc)
    for name, title in plan.present.items():
        print(f"  present: {name}" + (f" (tab {title!r})" if title != name else ""))
    verb = "would add" if args.dry_run else "added"
    for name in plan.added:
        print(f"  {verb}: {name}")
    for note in plan.notes:
        print(f"  note: {note}")
    if not plan.added:
        print("Every tab of the contract is present; nothing to add.")
    return 0


def run_publish(args: argparse.Namespace) -> int:
    from wardbrief.figures.metrics import compute_metrics, load
    from wardbrief.publish.sheet_writeback import publish_summary
    from wardbrief.read.sources.base import SourceError
    from wardbrief.read.sources.gsheet import connect

    try:
        key = _key(args)
        source = args.source or f"gsheet:{key}"
        options: dict[str, Any] = {"allow_stale": args.allow_stale}
        if args.snapshot_dir is not None:
            options["snapshot_dir"] = args.snapshot_dir
        workbook = load(source, **options)
        refused = refusal(workbook)
        if refused:  # the summary tab keeps its previous figures
            print(refused, file=sys.stderr)
            return EXIT_DATA_ERRORS
        metrics = compute_metrics(workbook, args.as_of, args.period_start,
                                  report_inputs=False)  # figures to read, not to send
        result = publish_summary(connect(write=True), key, metrics)
    except (SourceError, ConfigError) as exc:
        return _fail(exc)
    action = "created" if result.created else "rewritten"
    print(f"Tab {result.title!r} {action}: {result.rows} rows. {result.url}")
    return 0
