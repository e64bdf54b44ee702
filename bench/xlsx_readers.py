"""Benchmark: reading a workbook with openpyxl (read-only) vs python-calamine (vs fastexcel).

    .venv/bin/python bench/xlsx_readers.py [--cases 50000] [--repeat 5]

Reads every tab of `tests/fixtures/messy.xlsx` and of a generated workbook
(`wardbrief.commands.demo_workbook`, default 50,000 cases) into Python cells, `--repeat` times each, and
prints the best wall time, whether the PhanAnh `Ngày tiếp nhận` date cells come back as
dates (and as which type), and how many Excel error cells (`#VALUE!`, `#REF!`, …) are kept
as text. fastexcel is measured only when it can be imported; it is not a dependency of
the suite (it reads column-typed Arrow data, and getting Python values out of it needs
pyarrow, which the suite does not install).

Measured 2026-11-28 on the development machine (2 vCPU shared with the other developers'
test runs, load average 1.5-2: absolute times are noisy, the ratios held across runs);
openpyxl 3.1.5, python-calamine 0.9.1, fastexcel 0.21.0 (installed into a scratch folder
for this run only); writing the 50,000-case workbook with openpyxl took 19.3 s:

    workbook                 reader                  best s  date cells               error cells kept
    messy.xlsx (59 KB)       openpyxl read-only       0.174  62% datetime.datetime    1
    messy.xlsx (59 KB)       python-calamine          0.014  62% datetime.date, datetime.datetime 0 (as '')
    messy.xlsx (59 KB)       fastexcel (load only)    0.006  column: string           -
    demo 50,000 (4.6 MB)     openpyxl read-only      17.307  100% datetime.datetime   0
    demo 50,000 (4.6 MB)     python-calamine          1.180  100% datetime.date       0
    demo 50,000 (4.6 MB)     fastexcel (load only)    0.444  column: datetime         -

An earlier run under load average 3-4.5 gave 0.158 / 0.015 / 0.006 s and
35.8 / 2.6 / 1.6 s: the same order, calamine 10-15x ahead of openpyxl.

(messy.xlsx types part of its received dates as text on purpose, hence 62%.)
python-calamine is 12-15x faster than openpyxl read-only and gives `datetime.date` for
a date cell (`datetime.datetime` when the cell holds a time); openpyxl gives
`datetime.datetime` at midnight. calamine turns an error cell such as `#VALUE!` into an
empty string; openpyxl keeps the text, so a cell staff must fix stays visible.
The suite's reader (`wardbrief.read.sources.local.read_xlsx`) is therefore calamine plus a
scan of the sheet XML for error cells (`t="e"`), whose text it puts back. Measured
2026-11-28 with --cases 20000 --repeat 2 (load average ~2):

    messy.xlsx (59 KB)     openpyxl 0.188 s   calamine 0.015 s   wardbrief 0.027 s (1 error cell kept)
    demo 20,000 (1.9 MB)   openpyxl 9.673 s   calamine 0.633 s   wardbrief 1.244 s

fastexcel guesses one type per column: a column mixing date cells and dates typed as
text (as staff type them) comes back as strings, so it cannot serve a contract that
reads cell by cell; its "load only" time excludes getting values into Python.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wardbrief.commands import demo_workbook as demo
from wardbrief.read.names import key
from wardbrief.read.sources.local import read_xlsx

REPO = Path(__file__).resolve().parents[1]
EXCEL_ERRORS = {"#VALUE!", "#REF!", "#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!",
                "#GETTING_DATA", "#SPILL!", "#CALC!"}
RECEIVED_KEYS = {key(h) for h in ("Ngày tiếp nhận", "Ngay tiep nhan", "Received")}

Tabs = dict[str, list[list[Any]]]


def read_openpyxl(path: Path) -> Tabs:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return {s.title: [list(r) for r in s.iter_rows(values_only=True)] for s in book.worksheets}
    finally:
        book.close()


def read_calamine(path: Path) -> Tabs:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in book.sheet_names}


def fastexcel_available() -> bool:
    try:
        import fastexcel  # noqa: F401
    except ImportError:
        return False
    return True


def load_fastexcel(path: Path, header_rows: dict[str, int]) -> dict[str, Any]:
    """Parse every sheet (eagerly, in Rust). Python values would need pyarrow."""
    import fastexcel

    reader = fastexcel.read_excel(str(path))
    return {name: reader.load_sheet(name, header_row=header_rows.get(name, 0))
            for name in reader.sheet_names}


def best_of(repeat: int, action: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - started)
    return best, result


def cases_tab(tabs: Tabs) -> tuple[str, int, int]:
    """(title, header row index, column index of the received date) of the case tab."""
    for title, rows in tabs.items():
        if key(title).replace(" ", "") != "phananh":
            continue
        for r, row in enumerate(rows):
            if any(c not in (None, "") for c in row):
                for c, cell in enumerate(row):
                    if key(cell) in RECEIVED_KEYS:
                        return title, r, c
                break
    raise SystemExit("no PhanAnh tab with a received-date header")


def date_cells(tabs: Tabs) -> str:
    title, header, column = cases_tab(tabs)
    cells = [row[column] for row in tabs[title][header + 1:]
             if column < len(row) and row[column] not in (None, "")]
    typed = [c for c in cells if isinstance(c, dt.date)]
    kinds = sorted({f"{type(c).__module__}.{type(c).__name__}" for c in typed})
    share = 100 * len(typed) / len(cells) if cells else 0
    return f"{share:.0f}% {', '.join(kinds) or 'none'}"


def error_cells(tabs: Tabs) -> int:
    return sum(1 for rows in tabs.values() for row in rows for c in row
               if isinstance(c, str) and c.strip() in EXCEL_ERRORS)


def fastexcel_dates(sheets: dict[str, Any], tabs: Tabs) -> str:
    title, _header, column = cases_tab(tabs)
    info = sheets[title].available_columns()
    return f"column: {info[column].dtype}" if column < len(info) else "column: ?"


def measure(label: str, path: Path, repeat: int) -> list[tuple[str, str, float, str, str]]:
    size = f"{label} ({path.stat().st_size / 1e6:.1f} MB)" if path.stat().st_size > 1e6 \
        else f"{label} ({path.stat().st_size / 1e3:.0f} KB)"
    rows = []
    seconds, tabs = best_of(repeat, lambda: read_openpyxl(path))
    rows.append((size, "openpyxl read-only", seconds, date_cells(tabs), str(error_cells(tabs))))
    seconds, cal = best_of(repeat, lambda: read_calamine(path))
    kept = error_cells(cal)
    lost = error_cells(tabs) - kept
    rows.append((size, "python-calamine", seconds, date_cells(cal),
                 f"{kept} (as '')" if lost else str(kept)))
    seconds, ours = best_of(repeat, lambda: read_xlsx(path).tabs)
    rows.append((size, "wardbrief (calamine + errors)", seconds, date_cells(ours),
                 str(error_cells(ours))))
    if fastexcel_available():
        title, header, _col = cases_tab(cal)
        seconds, sheets = best_of(repeat, lambda: load_fastexcel(path, {title: header}))
        rows.append((size, "fastexcel (load only)", seconds, fastexcel_dates(sheets, cal), "-"))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=50_000, help="cases in the generated workbook")
    parser.add_argument("--repeat", type=int, default=5, help="runs per reader (best is kept)")
    args = parser.parse_args(argv)

    results = measure("messy.xlsx", REPO / "tests" / "fixtures" / "messy.xlsx", args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "demo.xlsx"
        started = time.perf_counter()
        demo.write(demo.generate(seed=1, cases=args.cases), big)
        print(f"generated {args.cases:,} cases into {big.name} in "
              f"{time.perf_counter() - started:.1f} s", flush=True)
        results += measure(f"demo {args.cases:,}", big, max(1, min(args.repeat, 3)))

    print(f"{'workbook':<24} {'reader':<22} {'best s':>7}  {'date cells':<24} error cells kept")
    for workbook, reader, seconds, dates, errors in results:
        print(f"{workbook:<24} {reader:<22} {seconds:>7.3f}  {dates:<24} {errors}")
    if not fastexcel_available():
        print("fastexcel: not importable here — skipped (it is not a dependency of the suite)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
