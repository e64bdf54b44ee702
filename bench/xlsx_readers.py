"""Benchmark: the workbook readers the suite could use, on what a ward's sheet can grow to.

    .venv/bin/python bench/xlsx_readers.py [--cases 20000 100000] [--repeat 3] [--office]

Workbooks: `tests/fixtures/messy.xlsx`, `tests/fixtures/real/shared-formula.xlsx` (5 error
cells of a filled-down formula) and one `wardbrief demo-data --cases N` workbook per N.
With --office, each demo workbook is also converted to .ods and .xls by LibreOffice and
read with `read_ods` / `read_xls`.

Each reader runs in a fresh Python process (so its peak resident memory is its own, Rust
allocations included), `--repeat` times; the best wall time and the highest peak RSS are
printed with how many PhanAnh received-date cells come back as dates and how many error
cells (`#VALUE!`, `#N/A`, ...) come back as text.

Readers:
- `openpyxl read-only`: openpyxl 3.1, read_only + data_only, every row as values;
- `calamine only`: python-calamine `to_python` (gives error cells as '');
- `calamine + XML scan` = the suite's `read_xlsx` (wardbrief.read.sources.local): the
  streaming `iterparse` scan of the sheet XML (limits, extent, error cells), then calamine;
- `XML scan alone`: that scan without calamine (its share of the time);
- `fastexcel`: only when importable (not a dependency; it types whole columns).

Why the suite reads with calamine + a scan of the sheet XML: calamine alone loses every
error cell (and would build a grid as large as its furthest cell); the scan keeps the
error cells and checks the limits before any grid is built. The measurements behind that
choice are in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
EXCEL_ERRORS = {"#VALUE!", "#REF!", "#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!",
                "#GETTING_DATA", "#SPILL!", "#CALC!"}
RECEIVED = ("ngay tiep nhan", "received")

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


def read_product(path: Path) -> Tabs:
    from wardbrief.read.sources.local import read_workbook_file

    return read_workbook_file(path).tabs  # type: ignore[return-value]


def scan_only(path: Path) -> Tabs:
    import zipfile

    from wardbrief.read.sources import scan

    budget = scan.Budget(str(path))
    with zipfile.ZipFile(path) as archive:
        members, _extra = scan.xlsx_sheet_members(archive)
        for title, member in members.items():
            with archive.open(member) as stream:
                scan.scan_xlsx_sheet(stream, title, budget)
    return {}


def read_fastexcel(path: Path) -> Tabs:
    import fastexcel

    reader = fastexcel.read_excel(str(path))
    for name in reader.sheet_names:
        reader.load_sheet(name)
    return {}


READERS = {
    "openpyxl read-only": read_openpyxl,
    "calamine only": read_calamine,
    "calamine + XML scan (suite)": read_product,
    "XML scan alone": scan_only,
    "fastexcel (load only)": read_fastexcel,
}


def date_share(tabs: Tabs) -> str:
    from wardbrief.read.names import key, tab_key

    for title, rows in tabs.items():
        if tab_key(title) != "phananh":
            continue
        for r, row in enumerate(rows):
            if not any(c not in (None, "") for c in row):
                continue
            columns = [c for c, cell in enumerate(row) if key(cell) in RECEIVED]
            if not columns:
                return "-"
            cells = [line[columns[0]] for line in rows[r + 1:]
                     if columns[0] < len(line) and line[columns[0]] not in (None, "")]
            typed = sum(isinstance(c, dt.date) for c in cells)
            return f"{100 * typed / max(1, len(cells)):.0f}%"
    return "-"


def error_count(tabs: Tabs) -> int:
    return sum(1 for rows in tabs.values() for row in rows for c in row
               if isinstance(c, str) and (c.strip() in EXCEL_ERRORS or c.startswith("Err:")))


PREPARE = {  # what each reader imports, loaded before the clock starts
    "openpyxl read-only": ("openpyxl",),
    "calamine only": ("python_calamine",),
    "calamine + XML scan (suite)": ("wardbrief.read.sources.local", "python_calamine", "xlrd"),
    "XML scan alone": ("wardbrief.read.sources.scan",),
    "fastexcel (load only)": ("fastexcel",),
}


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() / 2**20


def one(reader: str, path: Path) -> dict[str, Any]:
    """Run one reader once in this process: seconds, peak RSS (and its growth over the
    process after imports), what it read."""
    import importlib

    for module in PREPARE[reader]:
        importlib.import_module(module)
    base_mb = rss_mb()
    started = time.perf_counter()
    tabs = READERS[reader](path)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak_mb, "growth_mb": peak_mb - base_mb,
            "dates": date_share(tabs) if tabs else "-",
            "errors": error_count(tabs) if tabs else "-"}


def measure(reader: str, path: Path, repeat: int) -> dict[str, Any] | None:
    runs = []
    for _ in range(repeat):
        done = subprocess.run([sys.executable, __file__, "--one", reader, str(path)],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            return None if "ModuleNotFoundError" in done.stderr else \
                {"seconds": float("nan"), "peak_mb": float("nan"),
                 "growth_mb": float("nan"), "dates": "-",
                 "errors": done.stderr.strip().splitlines()[-1][:60]}
        runs.append(json.loads(done.stdout))
    best = min(runs, key=lambda r: r["seconds"])
    return {**best, "peak_mb": max(r["peak_mb"] for r in runs),
            "growth_mb": max(r["growth_mb"] for r in runs)}


def size(path: Path) -> str:
    n = path.stat().st_size
    return f"{n / 1e6:.1f} MB" if n > 1e6 else f"{n / 1e3:.0f} KB"


def office_copies(xlsx: Path, out: Path) -> list[Path]:
    soffice = shutil.which("soffice")
    if soffice is None:
        return []
    made = []
    for target in ("ods", "xls:MS Excel 97"):
        subprocess.run([soffice, f"-env:UserInstallation=file://{out}/profile", "--headless",
                        "--convert-to", target, "--outdir", str(out), str(xlsx)],
                       capture_output=True, check=False, timeout=1800)
        made.append(out / f"{xlsx.stem}.{target.split(':')[0]}")
    return [p for p in made if p.exists()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--office", action="store_true",
                        help="also .ods and .xls copies made by LibreOffice")
    parser.add_argument("--one", nargs=2, metavar=("READER", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one(args.one[0], Path(args.one[1]))))
        return 0

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        books = [("messy.xlsx", REPO / "tests" / "fixtures" / "messy.xlsx"),
                 ("shared-formula.xlsx", REPO / "tests" / "fixtures" / "real" /
                  "shared-formula.xlsx")]
        for cases in args.cases:
            path = Path(tmp) / f"demo{cases}.xlsx"
            subprocess.run([sys.executable, "-m", "wardbrief.commands.cli", "demo-data",
                            "--cases", str(cases), "--out", str(path)], check=True)
            books.append((f"demo {cases:,}", path))
            if args.office:
                books += [(f"demo {cases:,} {p.suffix}", p) for p in office_copies(path, Path(tmp))]
        for label, path in books:
            readers = list(READERS) if path.suffix == ".xlsx" else \
                ["calamine only", "calamine + XML scan (suite)"]
            for reader in readers:
                result = measure(reader, path, args.repeat)
                if result is not None:
                    rows.append((f"{label} ({size(path)})", reader, result))
                    print(f"{rows[-1][0]:<28} {reader:<28} {result['seconds']:>8.2f} s "
                          f"peak {result['peak_mb']:>5.0f} MB (+{result['growth_mb']:.0f})  "
                          f"dates {result['dates']:<5} "
                          f"errors kept {result['errors']}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
