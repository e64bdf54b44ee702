"""Benchmark: metrics for 1,000,000 cases.

    .venv/bin/python bench/metrics_scale.py [--cases 1000000] [--seed 1] [--tracemalloc]

1. generates the cases as a CSV folder in a temporary directory with the demo
   generator (`wardbrief.demo`), in a child process so that its memory does not count;
2. load: `wardbrief.figures.metrics.load(folder)` = source read + contract;
3. compute: `wardbrief.figures.metrics.compute_metrics(wb, as_of=2026-11-27,
   period_start=2026-11-01)`;
4. peak memory of this process (load + compute, what a scheduled `wardbrief metrics`
   costs): `resource.getrusage(RUSAGE_SELF).ru_maxrss`; with `--tracemalloc`, also the
   peak of Python allocations during compute (a second, slower pass).

Exits 1 when compute takes more than 5 s or the peak reaches 2 GB, else 0.

Results: bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

AS_OF = dt.date(2026, 11, 27)
PERIOD_START = dt.date(2026, 11, 1)
COMPUTE_LIMIT_S = 5.0
PEAK_LIMIT_BYTES = 2 * 1024**3


def generate(folder: str, cases: int, seed: int) -> tuple[float, float, int]:
    """In a child process: (seconds to generate, seconds to write, peak bytes)."""
    from wardbrief import demo

    started = time.perf_counter()
    workbook = demo.generate(seed=seed, cases=cases, as_of=AS_OF)
    generated = time.perf_counter()
    demo.write(workbook, Path(folder))
    written = time.perf_counter()
    return generated - started, written - generated, peak_rss_bytes()


def peak_rss_bytes() -> int:
    # ru_maxrss is in kilobytes on Linux, bytes on macOS
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


def mb(n: int) -> str:
    return f"{n / 1024**2:,.0f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="metrics for a million cases")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also measure Python allocations during compute (slower)")
    args = parser.parse_args(argv)

    from wardbrief.figures import metrics

    with tempfile.TemporaryDirectory(prefix="wardbrief-scale-") as tmp:
        folder = Path(tmp) / "cases"
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            gen_s, write_s, gen_peak = pool.apply(generate, (str(folder), args.cases, args.seed))
        size = sum(p.stat().st_size for p in folder.iterdir())
        print(f"generate  {args.cases:>12,} cases   {gen_s:7.2f} s  (+ write CSV {write_s:.2f} s, "
              f"{size / 1e6:,.0f} MB; generator peak {mb(gen_peak)})", flush=True)

        started = time.perf_counter()
        workbook = metrics.load(folder)
        load_s = time.perf_counter() - started
        rows = workbook.rows["PhanAnh"]
        print(f"load      {rows['total']:>12,} rows    {load_s:7.2f} s  "
              f"({rows['valid']:,} valid, {len(workbook.issues)} issues)", flush=True)

        started = time.perf_counter()
        result = metrics.compute_metrics(workbook, as_of=AS_OF, period_start=PERIOD_START)
        compute_s = time.perf_counter() - started
        totals = result["cases"]["totals"]
        print(f"compute   {totals['received']:>12,} received {compute_s:7.2f} s  "
              f"(resolved {totals['resolved']:,}, open {totals['open']:,}, "
              f"overdue {totals['open_overdue']:,})", flush=True)

        if args.tracemalloc:
            tracemalloc.start()
            metrics.compute_metrics(workbook, as_of=AS_OF, period_start=PERIOD_START)
            _current, traced = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            print(f"tracemalloc peak during compute: {mb(traced)}")

    peak = peak_rss_bytes()
    print(f"peak RSS (load + compute): {mb(peak)}")
    failures = []
    if rows["total"] != args.cases:
        failures.append(f"PhanAnh has {rows['total']:,} rows, {args.cases:,} were generated")
    if compute_s > COMPUTE_LIMIT_S:
        failures.append(f"compute took {compute_s:.2f} s > {COMPUTE_LIMIT_S:.0f} s")
    if peak >= PEAK_LIMIT_BYTES:
        failures.append(f"peak memory {mb(peak)} >= {mb(PEAK_LIMIT_BYTES)}")
    for failure in failures:
        print(f"FAIL: {failure}")
    print("OK" if not failures else "FAILED")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
