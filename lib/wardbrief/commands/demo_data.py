"""`wardbrief demo-data`: write a synthetic workbook for Phường Đông Hải.

    wardbrief demo-data --seed 2026 --cases 400 --out data/donghai-demo.xlsx
    wardbrief demo-data --seed 1 --cases 1000000 --out /tmp/big/      # one CSV per tab

Exit codes: 0 written; 2 the output cannot be written (bad path, a folder holding
other CSV files).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from wardbrief import demo
from wardbrief.commands.common import iso_date


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo-data",
        help="write a synthetic workbook (.xlsx) or CSV folder for Phường Đông Hải",
        description=(
            "Write a synthetic workbook in the shape of the contract: departments, "
            "categories, settings, calendar overrides, citizen reports, tasks, posts and "
            "targets. Names and phone numbers are invented. The same seed gives the same "
            "cells. OUT ending in .xlsx is a workbook; any other OUT is a folder with one "
            "CSV file per tab (UTF-8 with BOM, dates dd/mm/yyyy)."
        ),
    )
    parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED,
                        help=f"random seed (default {demo.DEFAULT_SEED})")
    parser.add_argument("--cases", type=_count, default=400,
                        help="number of rows in PhanAnh (default 400)")
    parser.add_argument("--out", type=Path, required=True,
                        help="PATH.xlsx for a workbook, or a folder for CSV files")
    parser.add_argument("--as-of", type=iso_date, default=demo.DEFAULT_AS_OF,
                        help="report date the data is built around, YYYY-MM-DD "
                             f"(default {demo.DEFAULT_AS_OF.isoformat()}); the sheet is as it "
                             f"stands {demo.SNAPSHOT_LAG_DAYS} days later")
    parser.add_argument("--messy", action="store_true",
                        help="type cells the way staff do: headers without diacritics, dates "
                             "as text, departments by name, a duplicate id, an impossible date, "
                             "an unknown status")
    parser.set_defaults(func=run)


def _count(text: str) -> int:
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("the number of cases cannot be negative")
    return value


def run(args: argparse.Namespace) -> int:
    out: Path = args.out
    problem = _output_problem(out, args.messy)
    if problem:
        print(f"demo-data: {problem}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    workbook = demo.generate(seed=args.seed, cases=args.cases, as_of=args.as_of,
                             messy=args.messy)
    generated = time.perf_counter()
    try:
        written = demo.write(workbook, out)
    except OSError as exc:
        print(f"demo-data: cannot write {out}: {exc}", file=sys.stderr)
        return 2
    finished = time.perf_counter()
    kind = "workbook" if demo.is_xlsx_path(out) else f"{len(written)} CSV files in"
    print(f"demo-data: {args.cases:,} cases{' (messy)' if args.messy else ''}, seed {args.seed}, "
          f"as of {args.as_of.isoformat()} -> {kind} {out} "
          f"(generated in {generated - started:.1f} s, written in {finished - generated:.1f} s)")
    return 0


def _output_problem(out: Path, messy: bool) -> str | None:
    """Why `out` cannot be written, or None."""
    if demo.is_xlsx_path(out):
        if out.is_dir():
            return f"{out} is a folder, not a workbook file"
        return None
    if out.exists() and not out.is_dir():
        return f"{out} is a file; give PATH.xlsx for a workbook or a folder for CSV files"
    if out.is_dir():
        ours = {name.lower() for name in demo.csv_file_names(messy)}
        others = sorted(p.name for p in out.iterdir()
                        if p.suffix.lower() == ".csv" and p.name.lower() not in ours)
        if others:
            return (f"{out} already holds other CSV files ({', '.join(others[:3])}); they would "
                    "be read as tabs too. Choose an empty folder.")
    return None

