"""Benchmark: what a briefing costs against the floor F, in one invocation.

    .venv/bin/python bench/bench.py [--fast-runs 5] [--slow-runs 3] [--only weekly_5k,floor]
                                    [--cache-dir DIR] [--json outputs/bench.json]

Items (each run is a fresh child process; the runs go round-robin, item after item, so a
burst of load on this shared machine falls on every item alike and the ratios hold):

    floor            one process: papermill executes a one-cell notebook, nbconvert turns it
                     into HTML (HTMLExporter, code hidden), WeasyPrint prints it (imports
                     included: that is what every briefing pays)
    weekly_5k        `wardbrief run weekly_briefing` on 5,000 cases (.xlsx)
    weekly_100k      `wardbrief run weekly_briefing` on 100,000 cases (.xlsx)
    all_5k           `wardbrief run all` on 5,000 cases (.xlsx)
    read_xlsx_100k   `wardbrief.read.sources.open_source` on the 100,000-case .xlsx
    metrics_1m       `wardbrief metrics` on 1,000,000 cases (CSV folder): its own path,
                     read + contract + figures (`commands.metrics.figures`), not the
                     writing of metrics.json
    city_ward        `wardbrief run weekly_briefing` on one ward of about 300 cases, read
                     from the local Google Sheets stand-in (tests/sheets_standin.py)
    city_114         `wardbrief city` over 114 such wards (one sheet each, seeds 1..114)
                     through the same stand-in, which answers 429 past 60 reads a minute
                     as Google does; `ratio_to_sequential` = its time / (114 x city_ward)

The time of the `wardbrief` items and of the floor is the child's wall time; for
read_xlsx_100k and metrics_1m it is the operation's own time (the child measures it from
the call: the modules the child imports first are not counted, those the operation
imports as it goes, pandas and holidays among them, are). The peak is the largest resident set of any process of the run
(`getrusage(RUSAGE_CHILDREN).ru_maxrss` in a fresh measuring process per run: the
`wardbrief` process or its kernel, whichever is larger); `tree_mb` is the largest sum over
the whole process tree, sampled every 50 ms with psutil (CLI + kernel together).

The workbooks are made once with `wardbrief demo-data --seed 1 --cases N --as-of 2026-11-27`
and cached under `--cache-dir` (default `$XDG_CACHE_HOME/wardbrief-bench`), keyed by a hash
of the generator's source so that a changed generator makes new ones.

One table is printed (with the load average before and after: the machine is shared) and
the same items are written to `outputs/bench.json` as a list of
`{name, median_s, peak_mb, ratio, tree_mb, runs, times_s}` (ratio = median / median of F).

Targets (issue 21; the script prints which are met, and always exits 0 when every run
succeeded: a benchmark, not a test):

    weekly_5k     <= 1.2 F
    all_5k        <= 2.0 F
    weekly_100k   <= 2.0 F and peak <= 500 MB
    metrics_1m    <= 4 s and peak <= 1.2 GB
    city_114      <= 0.5 of sequential (114 wards' time / 114 x one ward's weekly run)

The machine is shared: read the ratios of one run, not seconds across runs. Results and
their history are in bench/RESULTS.md (one table per measured commit); add yours there.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WARDBRIEF = str(BIN / "wardbrief")
AS_OF = "2026-11-27"
SEED = 1
MB = 1024 * 1024

CITY_WARDS = 114  # Hải Phòng's commune-level units since 1/7/2025
CITY_CASES = 300
CITY_QUOTA = (60, 60.0)  # Google's read requests per minute per user
CITY_TARGET = 0.5  # city_114 <= 0.5 of 114 sequential weekly runs

TARGETS = {  # name -> (max ratio to F or None, max seconds or None, max peak MB or None)
    "weekly_5k": (1.2, None, None),
    "weekly_100k": (2.0, None, 500),
    "all_5k": (2.0, None, None),
    "metrics_1m": (None, 4.0, 1.2 * 1024),
}


# --- what a child runs ---------------------------------------------------------------------

FLOOR_NOTEBOOK = {
    "cells": [{"cell_type": "code", "execution_count": None, "id": "floor", "metadata": {},
               "outputs": [], "source": "print('Phường Đông Hải')"}],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                "name": "python3"},
                 "language_info": {"name": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}


def child_floor(folder: str) -> dict:
    """The floor: papermill + nbconvert (code hidden) + WeasyPrint on a one-cell notebook."""
    import papermill
    from nbconvert import HTMLExporter
    from traitlets.config import Config
    from weasyprint import HTML

    work = Path(folder)
    source = work / "floor.ipynb"
    source.write_text(json.dumps(FLOOR_NOTEBOOK), encoding="utf-8")
    os.environ.setdefault("JUPYTER_PREFER_ENV_PATH", "1")
    config = Config({"KernelManager": {"transport": "ipc", "ip": f"{work}/k"}})
    nb = papermill.execute_notebook(str(source), str(work / "out.ipynb"), kernel_name="python3",
                                    cwd=str(work), progress_bar=False, config=config)
    exporter = HTMLExporter()
    exporter.exclude_input = True
    html, _ = exporter.from_notebook_node(nb)
    HTML(string=html, base_url=str(work) + "/").write_pdf(work / "out.pdf")
    return {}


def child_read(path: str) -> dict:
    from wardbrief.read.sources import open_source

    started = time.perf_counter()
    raw = open_source(path)
    seconds = time.perf_counter() - started
    rows = len(next(rows for title, rows in raw.tabs.items() if title.lower() == "phananh"))
    return {"seconds": seconds, "rows": rows}


def child_metrics(folder: str) -> dict:
    """What `wardbrief metrics --source FOLDER --as-of A --period-start P` does before it
    writes: the command's own `open_workbook` (read + contract) then its `figures`
    (`compute_metrics` as the command calls it: no report inputs, under its time limit)."""
    from wardbrief.commands import cli, common
    from wardbrief.commands import metrics as command

    args = cli.build_parser("metrics").parse_args(
        ["metrics", "--source", folder, "--as-of", AS_OF, "--period-start", "2026-11-01"])
    started = time.perf_counter()
    workbook = common.open_workbook(args)
    loaded = time.perf_counter()
    result = command.figures(workbook, args)
    finished = time.perf_counter()
    return {"seconds": finished - started, "load_s": loaded - started,
            "compute_s": finished - loaded, "received": result["cases"]["totals"]["received"],
            "rows": workbook.rows["PhanAnh"]["total"]}


CHILDREN = {"floor": child_floor, "read": child_read, "metrics": child_metrics}


def measure(argv: list[str]) -> dict:
    """Run `argv` as a child, wait, and report wall time, the largest RSS of any process
    of the run (RUSAGE_CHILDREN: this measuring process is fresh, so it is this run's)
    and the largest sampled sum over the process tree."""
    import psutil

    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    tree_peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal tree_peak
        try:
            top = psutil.Process(proc.pid)
        except psutil.Error:
            return
        while not done.is_set():
            total = 0
            try:
                for p in [top, *top.children(recursive=True)]:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
            except psutil.Error:
                break
            tree_peak = max(tree_peak, total)
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    result = {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_bytes": peak,
              "tree_bytes": tree_peak, "rc": proc.returncode}
    lines = [ln for ln in out.splitlines() if ln.startswith("BENCH ")]
    if lines:
        result.update(json.loads(lines[-1][len("BENCH "):]))
    if proc.returncode != 0:
        result["stderr"] = err[-2000:]
        result["stdout"] = out[-2000:]
    return result


# --- the parent ---------------------------------------------------------------------------------


@dataclass
class Item:
    name: str
    label: str
    argv: list[str]
    runs: int
    in_process_time: bool = False
    results: list[dict] = field(default_factory=list)


def generator_hash() -> str:
    text = b"".join(p.read_bytes() for p in sorted((REPO / "lib/wardbrief/demo").glob("*.py")))
    return hashlib.sha256(text).hexdigest()[:12]


def dataset(cache: Path, cases: int, suffix: str) -> Path:
    """The cached demo workbook (`.xlsx`) or CSV folder (`suffix` "") of `cases` cases."""
    name = f"demo-s{SEED}-{cases}-{generator_hash()}{suffix}"
    target = cache / name
    if target.exists():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    for old in cache.glob(f"demo-s{SEED}-{cases}-*{suffix}"):  # an older generator's
        if suffix == "" and old.is_dir() and not old.name.endswith(".xlsx"):
            subprocess.run(["rm", "-rf", str(old)], check=False)
        elif suffix and old.is_file():
            old.unlink()
    tmp = cache / f".tmp-{os.getpid()}-{name}"
    print(f"  making {target.name} ({cases:,} cases) …", flush=True)
    started = time.perf_counter()
    subprocess.run([WARDBRIEF, "demo-data", "--seed", str(SEED), "--cases", str(cases),
                    "--as-of", AS_OF, "--out", str(tmp) + ("" if suffix else "/")],
                   check=True, stdout=subprocess.DEVNULL)
    os.rename(tmp, target)
    print(f"  made in {time.perf_counter() - started:.1f} s", flush=True)
    return target


def city_workbooks(cache: Path) -> list[Path]:
    """The 114 wards' workbooks (seed n for ward n), made once and cached."""
    folder = cache / f"city-{CITY_WARDS}x{CITY_CASES}-{generator_hash()}"
    paths = [folder / f"w{n:03d}.xlsx" for n in range(1, CITY_WARDS + 1)]
    if all(p.exists() for p in paths):
        return paths
    import datetime as dt

    from wardbrief import demo

    print(f"  making {CITY_WARDS} ward workbooks of {CITY_CASES} cases …", flush=True)
    folder.mkdir(parents=True, exist_ok=True)
    for n, path in enumerate(paths, start=1):
        if not path.exists():
            tmp = path.with_suffix(".tmp.xlsx")
            demo.write_xlsx(demo.generate(seed=n, cases=CITY_CASES,
                                          as_of=dt.date.fromisoformat(AS_OF)), tmp)
            os.rename(tmp, path)
    return paths


_STANDIN = None  # the Sheets stand-in of the city items, serving for the whole bench


def city_standin(workbooks: list[Path]) -> list[str]:
    """Start the stand-in with one spreadsheet per ward and its read quota; point this
    process's environment (inherited by every run) at it. The spreadsheets' keys."""
    global _STANDIN
    sys.path.insert(0, str(REPO / "tests"))
    from sheets_standin import SheetsStandIn

    keys = [f"1BenchCityWard{n:03d}_2026-quota" for n in range(1, len(workbooks) + 1)]
    if _STANDIN is None:
        _STANDIN = SheetsStandIn()
        for key, path in zip(keys, workbooks, strict=True):
            _STANDIN.add_xlsx(key, path)
        _STANDIN.quota(*CITY_QUOTA)
        _STANDIN.start()
        os.environ["WARDBRIEF_SHEETS_API"] = _STANDIN.base_url
    return keys


def city_items(args: argparse.Namespace, work: Path, names: list[str]) -> list[Item]:
    keys = city_standin(city_workbooks(args.cache_dir))
    config = work / "city.toml"  # the city run paces its reads at the stand-in's quota
    config.write_text(f"[city]\nsheet_reads = {CITY_QUOTA[0]}\n"
                      f"sheet_read_seconds = {CITY_QUOTA[1]}\n", encoding="utf-8")
    os.environ["WARDBRIEF_CONFIG"] = str(config)
    registry = work / "wards.csv"
    registry.write_text("code,name,source\n" + "".join(
        f"w{n:03d},Phường Số {n},gsheet:{key}\n" for n, key in enumerate(keys, start=1)),
        encoding="utf-8")
    items = [Item("city_ward", f"run weekly_briefing, one ward of {CITY_CASES} cases (Sheets)",
                  [WARDBRIEF, "run", "weekly_briefing", "--source", f"gsheet:{keys[0]}",
                   "--as-of", AS_OF, "--out", str(work / "city_ward")], args.fast_runs)]
    if "city_114" in names:
        items.append(Item("city_114", f"city, {CITY_WARDS} wards of {CITY_CASES} cases "
                          f"(Sheets, {CITY_QUOTA[0]} reads/min)",
                          [WARDBRIEF, "city", "--registry", str(registry), "--as-of", AS_OF,
                           "--out", str(work / "city_114")], 1))
    return items


def make_items(args: argparse.Namespace, work: Path) -> list[Item]:
    wanted = set(args.only.split(",")) if args.only else None
    needs = {
        "floor": (), "weekly_5k": (5_000,), "all_5k": (5_000,), "weekly_100k": (100_000,),
        "read_xlsx_100k": (100_000,), "metrics_1m": (), "city_ward": (), "city_114": (),
    }
    names = [n for n in needs if wanted is None or n in wanted]
    xlsx = {n: dataset(args.cache_dir, n, ".xlsx") for n in sorted({c for k in names for c in needs[k]})}
    me = [sys.executable, str(Path(__file__).resolve())]

    def run_cmd(report: str, cases: int, name: str) -> list[str]:
        return [WARDBRIEF, "run", report, "--source", str(xlsx[cases]), "--as-of", AS_OF,
                "--out", str(work / name)]

    items = []
    for name in names:
        if name == "floor":
            items.append(Item(name, "floor F (papermill+nbconvert+WeasyPrint, 1 cell)",
                              [*me, "--child", "floor", str(work / "floor")], args.fast_runs))
        elif name == "weekly_5k":
            items.append(Item(name, "run weekly_briefing, 5,000 cases",
                              run_cmd("weekly_briefing", 5_000, name), args.fast_runs))
        elif name == "weekly_100k":
            items.append(Item(name, "run weekly_briefing, 100,000 cases",
                              run_cmd("weekly_briefing", 100_000, name), args.slow_runs))
        elif name == "all_5k":
            items.append(Item(name, "run all, 5,000 cases",
                              run_cmd("all", 5_000, name), args.slow_runs))
        elif name == "read_xlsx_100k":
            items.append(Item(name, "open_source, 100,000-case .xlsx",
                              [*me, "--child", "read", str(xlsx[100_000])], args.fast_runs,
                              in_process_time=True))
        elif name == "metrics_1m":
            folder = dataset(args.cache_dir, 1_000_000, "")
            items.append(Item(name, "the metrics command (read + figures), 1,000,000 cases (CSV)",
                              [*me, "--child", "metrics", str(folder)], args.slow_runs,
                              in_process_time=True))
    if {"city_ward", "city_114"} & set(names):  # city_114 is measured against city_ward
        items += city_items(args, work, names)
    return items


def run_all(items: list[Item]) -> None:
    """Round-robin: one run of every item per round, until each has its count."""
    me = [sys.executable, str(Path(__file__).resolve()), "--measure", "--"]
    rounds = max(item.runs for item in items)
    for r in range(rounds):
        for item in items:
            if r >= item.runs:
                continue
            if item.name == "floor":
                (Path(item.argv[-1])).mkdir(parents=True, exist_ok=True)
            out = subprocess.run([*me, *item.argv], capture_output=True, text=True, check=True)
            result = json.loads(out.stdout.strip().splitlines()[-1])
            if result["rc"] != 0:
                print(f"  {item.name} run {r + 1}: exit {result['rc']}\n{result.get('stderr', '')}"
                      f"\n{result.get('stdout', '')}", flush=True)
            if item.in_process_time and "seconds" not in result:  # the run failed: its wall time
                result["seconds"] = result["wall_s"]
            item.results.append(result)
            seconds = result["seconds"] if item.in_process_time else result["wall_s"]
            print(f"  round {r + 1}/{rounds} {item.name:<15} {seconds:7.2f} s "
                  f"(cpu {result['cpu_s']:6.2f} s) {result['peak_bytes'] / MB:7,.0f} MB  "
                  f"(load {os.getloadavg()[0]:.1f})",
                  flush=True)


def summarise(items: list[Item]) -> list[dict]:
    rows = []
    floor = next((i for i in items if i.name == "floor"), None)
    floor_s = statistics.median(r["wall_s"] for r in floor.results) if floor else None
    floor_cpu = statistics.median(r["cpu_s"] for r in floor.results) if floor else None
    for item in items:
        times = [r["seconds"] if item.in_process_time else r["wall_s"] for r in item.results]
        median = statistics.median(times)
        row = {
            "name": item.name,
            "median_s": round(median, 3),
            "peak_mb": round(max(r["peak_bytes"] for r in item.results) / MB, 1),
            "ratio": round(median / floor_s, 2) if floor_s else None,
            "tree_mb": round(max(r["tree_bytes"] for r in item.results) / MB, 1),
            "cpu_s": round(statistics.median(r["cpu_s"] for r in item.results), 3),
            "cpu_ratio": (round(statistics.median(r["cpu_s"] for r in item.results) / floor_cpu, 2)
                          if floor_cpu else None),
            "runs": len(times),
            "times_s": [round(t, 3) for t in times],
            "failed_runs": sum(1 for r in item.results if r["rc"] != 0),
            "label": item.label,
        }
        if item.name == "city_114":
            ward = next((i for i in items if i.name == "city_ward"), None)
            if ward is not None:
                one = statistics.median(r["wall_s"] for r in ward.results)
                row["ratio_to_sequential"] = round(median / (CITY_WARDS * one), 3)
        for extra in ("load_s", "compute_s", "rows"):
            values = [r[extra] for r in item.results if extra in r]
            if values:
                row[extra] = round(statistics.median(values), 3)
        rows.append(row)
    return rows


def verdicts(rows: list[dict]) -> list[str]:
    lines = []
    for row in rows:
        if row["name"] not in TARGETS:
            continue
        ratio, seconds, peak = TARGETS[row["name"]]
        parts = []
        if ratio is not None and row["ratio"] is not None:
            parts.append(f"ratio {row['ratio']:.2f} {'<=' if row['ratio'] <= ratio else '>'} {ratio}")
        if seconds is not None:
            parts.append(f"{row['median_s']:.2f} s {'<=' if row['median_s'] <= seconds else '>'} {seconds} s")
        if peak is not None:
            parts.append(f"peak {row['peak_mb']:,.0f} MB {'<=' if row['peak_mb'] <= peak else '>'} {peak} MB")
        met = all("<=" in p for p in parts)
        lines.append(f"  {'met    ' if met else 'NOT met'} {row['name']:<15} " + ", ".join(parts))
    for row in rows:
        if "ratio_to_sequential" in row:
            ratio = row["ratio_to_sequential"]
            lines.append(f"  {'met    ' if ratio <= CITY_TARGET else 'NOT met'} "
                         f"{row['name']:<15} {ratio:.3f} {'<=' if ratio <= CITY_TARGET else '>'} "
                         f"{CITY_TARGET} of sequential")
    return lines


def table(rows: list[dict], load: tuple[tuple[float, ...], tuple[float, ...]]) -> str:
    header = (f"{'name':<15} {'median s':>9} {'ratio F':>8} {'cpu s':>7} {'cpu/F':>6} "
              f"{'peak MB':>8} {'tree MB':>8} {'runs':>4}  what")
    out = [header, "-" * 110]
    for row in rows:
        ratio = f"{row['ratio']:.2f}" if row["ratio"] is not None else "-"
        extra = ""
        if "load_s" in row:
            extra = f" (load {row['load_s']:.2f} s + compute {row['compute_s']:.2f} s)"
        if "ratio_to_sequential" in row:
            extra = f" ({row['ratio_to_sequential']:.3f} of 114 sequential weekly runs)"
        failed = f" [{row['failed_runs']} FAILED]" if row["failed_runs"] else ""
        cpu_ratio = f"{row['cpu_ratio']:.2f}" if row["cpu_ratio"] is not None else "-"
        out.append(f"{row['name']:<15} {row['median_s']:9.2f} {ratio:>8} {row['cpu_s']:7.2f} "
                   f"{cpu_ratio:>6} {row['peak_mb']:8,.0f} "
                   f"{row['tree_mb']:8,.0f} {row['runs']:4}  {row['label']}{extra}{failed}")
    before, after = load
    out.append(f"load average (1/5/15 min): before {before[0]:.1f}/{before[1]:.1f}/{before[2]:.1f}, "
               f"after {after[0]:.1f}/{after[1]:.1f}/{after[2]:.1f}; {os.cpu_count()} CPUs")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--measure"]:
        print(json.dumps(measure(argv[2:] if argv[1:2] == ["--"] else argv[1:])))
        return 0
    if argv[:1] == ["--child"]:
        result = CHILDREN[argv[1]](*argv[2:])
        print("BENCH " + json.dumps(result), flush=True)
        return 0

    parser = argparse.ArgumentParser(description="briefings against the floor F")
    parser.add_argument("--fast-runs", type=int, default=5, help="runs of the quick items (default 5)")
    parser.add_argument("--slow-runs", type=int, default=3,
                        help="runs of weekly_100k, all_5k, metrics_1m (default 3)")
    parser.add_argument("--only", default="", help="comma-separated item names (default: all)")
    cache_home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    parser.add_argument("--cache-dir", type=Path, default=cache_home / "wardbrief-bench",
                        help="where the generated workbooks are kept")
    parser.add_argument("--json", type=Path, default=REPO / "outputs" / "bench.json")
    args = parser.parse_args(argv)

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="wardbrief-bench-") as tmp:
        items = make_items(args, Path(tmp))
        if not items:
            parser.error(f"no item among {args.only!r}")
        run_all(items)
    rows = summarise(items)
    text = table(rows, (load_before, os.getloadavg()))
    print()
    print(text)
    for line in verdicts(rows):
        print(line)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written {args.json}")
    return 1 if any(row["failed_runs"] for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
