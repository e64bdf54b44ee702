"""Command line: `wardbrief <command>`. Each command lives in `wardbrief.commands.<name>`
and exposes `register(subparsers)`; the parser stores the handler as `func`, which
returns the process exit code."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys

# Order is the order shown by `wardbrief --help`.
COMMAND_MODULES = ["check", "metrics", "run", "city", "render", "send", "demo_data", "sheet",
                   "workbook_doc"]


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The program's parser; with `only` (the module of the command the arguments name)
    just that command's: `wardbrief run` then imports none of the others' modules before
    it starts reading the workbook."""
    parser = argparse.ArgumentParser(
        prog="wardbrief",
        description="Briefings on citizen reports (1022, Smart Hải Phòng), tasks and campaign posts.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in [only] if only in COMMAND_MODULES else COMMAND_MODULES:
        try:
            module = importlib.import_module(f"wardbrief.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"wardbrief.commands.{name}":
                continue  # command not built yet
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """The `wardbrief` program (argv None: this process's own arguments). A `run` started
    as the program ends its process once everything is written and closed: nobody waits
    for the interpreter's teardown of what a run loads (nbconvert, WeasyPrint, pandas,
    jupyter) after the last line is printed."""
    code = _main(sys.argv[1:] if argv is None else list(argv))
    if argv is None and sys.argv[1:2] == ["run"]:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)
    return code


def _main(argv: list[str]) -> int:
    parser = build_parser("run" if argv[:1] == ["run"] else None)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from wardbrief.processes import command_scope

    try:
        with command_scope():  # SIGTERM / Ctrl-C: children ended, exit 143 / 130, one line
            return int(args.func(args) or 0)
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
