"""`wardbrief send REPORT|all --as-of D [--dry-run]`: e-mail the published briefings.

Reads the reports `wardbrief run --as-of` published (`OUT/<as-of>/<report>/`, and a
report on the cut-off where its period ends, `OUT/<end>/<report>-<period>/`: see
wardbrief.publish.outbox) and the `[mail]` section
of the config file; sends each reader what the sent log `OUT/_sent.jsonl` does not hold
yet (see wardbrief.publish.mail): the briefings to leadership, each department's
reminder to its head, the data-quality list to the office, and one notice to the office
when something went wrong. `--dry-run` prints who would get what and sends nothing.

Exit codes: 0 every message sent (or nothing new to send), 1 a report asked for is not
published, 3 another run or send holds OUT/.lock, 4 a message was not delivered (a
recipient refused, or the server unreachable after the retries), 5 e-mail is not set up
(no `[mail]` section, a setting missing, or a password file others can read).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from wardbrief.briefings import letters
from wardbrief.commands.common import iso_date
from wardbrief.config import ConfigError, MailSettings, load_mail_settings
from wardbrief.exit_codes import (
    EXIT_DATA_ERRORS,
    EXIT_LOCKED,
    EXIT_MAIL_CONFIG,
    EXIT_OK,
    EXIT_UNDELIVERED,
)


def register(sub: argparse._SubParsersAction) -> None:
    from wardbrief.run.registry import REPORTS

    parser = sub.add_parser(
        "send", help="e-mail the published briefings, reminders and data-quality list",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("report", choices=[*REPORTS, "all"],
                        help="the report to send, or all of them")
    parser.add_argument("--as-of", type=iso_date, required=True,
                        help="the as-of date of the published briefings, YYYY-MM-DD")
    parser.add_argument("--out", type=Path, default=Path("outputs"),
                        help="where the briefings were published (default: outputs)")
    parser.add_argument("--dry-run", action="store_true",
                        help="print who would get what; send nothing")
    parser.set_defaults(func=run_send)


def mail_settings(stderr: TextIO | None = None) -> MailSettings | None:
    """The `[mail]` settings, checked (password file private, addresses plausible), or
    None after saying what is wrong."""
    from wardbrief.publish.mail import check_settings

    stderr = stderr or sys.stderr
    try:
        settings = load_mail_settings()
        problems = check_settings(settings)
    except ConfigError as exc:
        print(f"wardbrief: e-mail: {exc}", file=stderr)
        return None
    for problem in problems:
        print(f"wardbrief: e-mail: {problem}", file=stderr)
    return None if problems else settings


def send_published(names: Sequence[str], as_of: str, out_root: Path, settings: MailSettings,
                   *, failures: Sequence[str] = (), dry_run: bool = False,
                   stdout: TextIO | None = None, stderr: TextIO | None = None,
                   published: Mapping[str, Path] | None = None) -> int:
    """Send the published reports `names` of `as_of` (the caller holds the lock);
    `failures`: lines for the office about what could not be built; `published`: the
    folders a run just published, where they differ from `<as_of>/<name>` (a report on
    the cut-off is published under its period's end, `<report>-<period>`). The exit code."""
    import json

    from wardbrief.publish.mail import deliver
    from wardbrief.publish.outbox import published_folders

    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    folders: dict[str, Path] = {}
    lines = list(failures)
    found = published_folders(out_root, dt.date.fromisoformat(as_of),
                              [n for n in names if n not in (published or {})])
    for name in names:
        folder = (published or {}).get(name) or found.get(name) or out_root / as_of / name
        if (folder / "metrics.json").is_file():
            folders[name] = folder
        else:
            print(f"wardbrief send: {name} of {as_of} is not published ({folder}): "
                  "nothing to send for it", file=stderr)
            lines.append(letters.missing_line(name, as_of))
    ward = ""
    for folder in folders.values():
        ward = str(json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
                   .get("ward") or "")
        break
    print(f"e-mail ({settings.host}:{settings.port}, {settings.security})"
          + (" — dry run, nothing is sent" if dry_run else ""), file=stdout, flush=True)
    outcome = deliver(folders, settings, out_root, as_of=as_of, ward=ward, failures=lines,
                      dry_run=dry_run, stdout=stdout, stderr=stderr)
    if len(folders) < len(names):
        return EXIT_DATA_ERRORS
    return EXIT_OK if outcome.ok else EXIT_UNDELIVERED


def run_send(args: argparse.Namespace) -> int:
    from wardbrief.run import store
    from wardbrief.run.registry import REPORTS

    settings = mail_settings()
    if settings is None:
        return EXIT_MAIL_CONFIG
    names = list(REPORTS) if args.report == "all" else [args.report]
    if args.report == "all":  # `all` sends what was published, says nothing of the rest
        from wardbrief.publish.outbox import published_folders

        names = list(published_folders(args.out, args.as_of, names))
        if not names:
            print(f"wardbrief send: nothing is published for {args.as_of} under {args.out}",
                  file=sys.stderr)
            return EXIT_DATA_ERRORS
    try:
        with store.run_lock(args.out):
            return send_published(names, args.as_of.isoformat(), args.out, settings,
                                  dry_run=args.dry_run)
    except store.Locked as exc:
        print(f"wardbrief send: {exc}", file=sys.stderr)
        return EXIT_LOCKED
