"""`wardbrief city`: every ward of a registry briefed as its own, then the city's roll-up
(city.json, CONTRACT section 6) and the city briefing.

    wardbrief city --registry wards.csv --as-of D [--period-start P] [--report R]
                   [--out DIR] [--jobs N]
    wardbrief city --registry wards.csv --as-of D --only CODE    (one ward: an Airflow task)
    wardbrief city --registry wards.csv --as-of D --rollup-only  (the roll-up of what the
                                                                  wards' runs left)
    wardbrief city --registry wards.csv --list                   (the wards' codes)

Each ward's report is published under `DIR/wards/<code>/` (its own lock, index,
metrics.json); `DIR/city.json` and `DIR/<as-of>/city_briefing/` follow. Wards run in
parallel through `wardbrief.processes` (`--jobs`); their Google Sheet reads share one
pace (`read.sources.read_limit`, a SQLite bucket under DIR).

Exit codes: 0 every ward briefed; 6 a ward was not briefed (everything else written);
1 the city briefing could not be built; 2 the registry cannot be read; 3 another city
run holds DIR/.lock. `--only` exits with the ward's own code: 0 briefed, 1 its sheet
refused (or its report failed), 2 its source unreachable, 3 its folder locked.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wardbrief.commands.common import add_period_arguments, period_error
from wardbrief.exit_codes import (
    EXIT_DATA_ERRORS,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_SOURCE,
    EXIT_WARDS_NOT_BRIEFED,
)

DEFAULT_OUT = Path("outputs/city")


def register(sub: argparse._SubParsersAction) -> None:
    from wardbrief.figures.periods import REPORT_NAMES

    parser = sub.add_parser(
        "city",
        help="brief every ward of a registry, then the city's roll-up (city.json) and briefing",
        description="Build each ward's report as its own under OUT/wards/<code>/, then "
        "OUT/city.json and the city briefing (HTML, PDF, Word). Exit 0 every ward briefed, "
        f"{EXIT_WARDS_NOT_BRIEFED} a ward not briefed, 1 the city briefing failed, 2 the "
        "registry unreadable, 3 another city run in progress.",
    )
    parser.add_argument("--registry", type=Path, required=True,
                        help="the ward registry: a UTF-8 CSV with columns code,name,source")
    add_period_arguments(parser, as_of_required=False)
    parser.add_argument("--report", default="weekly_briefing",
                        choices=[n for n in REPORT_NAMES if n != "data_quality"],
                        help="each ward's report (default: weekly_briefing)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"the city's outputs (default: {DEFAULT_OUT})")
    from wardbrief.processes import jobs_argument

    parser.add_argument("--jobs", type=jobs_argument, default=None,
                        help="wards built at once (default: the usable cores; 1: one by one, "
                             "in this process)")
    parser.add_argument("--allow-stale", action="store_true",
                        help="a ward whose Google Sheet cannot be reached: its newest snapshot")
    one = parser.add_mutually_exclusive_group()
    one.add_argument("--only", metavar="CODE",
                     help="build this ward only and keep its outcome for the roll-up")
    one.add_argument("--rollup-only", action="store_true",
                     help="only the roll-up, from the outcomes the wards' runs kept")
    one.add_argument("--list", action="store_true",
                     help="print the registry's ward codes, one a line (nothing is built)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from wardbrief.city.registry import RegistryError, read_registry
    from wardbrief.city.settings import city_settings
    from wardbrief.config import ConfigError
    from wardbrief.processes import SettingError, jobs_setting

    if period_error(args):
        return EXIT_SOURCE
    try:
        wards = read_registry(args.registry)
        settings = city_settings()
        args.jobs = jobs_setting(args.jobs)
    except (RegistryError, ConfigError, SettingError) as exc:
        print(f"wardbrief city: {exc}", file=sys.stderr)
        return EXIT_SOURCE
    if args.list:
        print("\n".join(ward.code for ward in wards))
        return EXIT_OK
    tasks = _tasks(args, wards, settings)
    if args.only:
        chosen = [t for t in tasks if t.ward.code == args.only]
        if not chosen:
            print(f"wardbrief city: không có phường mã '{args.only}' trong {args.registry} / "
                  f"no ward '{args.only}' in {args.registry}", file=sys.stderr)
            return EXIT_SOURCE
        return _one_ward(chosen[0])
    from wardbrief.run import store

    try:
        with store.run_lock(args.out):
            return _city(args, tasks, settings)
    except store.Locked as exc:
        print(f"wardbrief city: đang có một lần chạy khác trên {args.out} (pid "
              f"{exc.pid or '?'}) / another run holds {args.out}/.lock", file=sys.stderr)
        return EXIT_LOCKED


def _tasks(args: argparse.Namespace, wards: list, settings: object) -> list:
    from wardbrief.city.wards import WardTask
    from wardbrief.read.sources.read_limit import ReadLimit

    out = args.out.resolve()
    limit = ReadLimit.for_run(out, settings.sheet_reads,  # type: ignore[attr-defined]
                              settings.sheet_read_seconds)  # type: ignore[attr-defined]
    return [WardTask(ward, args.as_of, args.period_start, args.report, out,
                     allow_stale=args.allow_stale, source_options={"read_limit": limit})
            for ward in wards]


def _one_ward(task) -> int:
    from wardbrief.city.wards import run_ward

    figures = run_ward(task)
    print(progress_line(figures, 1, 1))
    return figures.exit_code


def progress_line(figures, number: int, total: int) -> str:
    """`[3/5] w03 Phường Đồ Sơn: đã lập (4,2 s)` or why it was not briefed."""
    head = f"[{number}/{total}] {figures.code} {figures.name}:"
    seconds = f"{figures.seconds:.1f}".replace(".", ",")
    if not figures.briefed:
        return f"{head} KHÔNG LẬP BÁO CÁO - {figures.reason} ({seconds} s)"
    if figures.problem:
        return f"{head} có số liệu, báo cáo lỗi - {figures.problem} ({seconds} s)"
    return f"{head} đã lập ({seconds} s)"


def _city(args: argparse.Namespace, tasks: list, settings) -> int:
    from wardbrief import processes
    from wardbrief.city.rollup import WardFigures
    from wardbrief.city.wards import read_result, run_ward

    if args.rollup_only:
        figures = [read_result(task) for task in tasks]
    else:
        done = 0

        def tell(result) -> None:
            nonlocal done
            done += 1
            ward = tasks[result.index].ward
            value = result.value if result.error is None else WardFigures(
                ward.code, ward.name, False, reason=f"lỗi khi chạy: {result.error}",
                exit_code=EXIT_DATA_ERRORS)
            print(progress_line(value, done, len(tasks)), flush=True)

        results = processes.run_tasks(run_ward, tasks, jobs=args.jobs,
                                      on_done=tell)
        figures = []
        for task, result in zip(tasks, sorted(results, key=lambda r: r.index)):
            if result.error is None:
                figures.append(result.value)
            else:
                figures.append(WardFigures(task.ward.code, task.ward.name, False,
                                           reason=f"lỗi khi chạy: {result.error}",
                                           exit_code=EXIT_DATA_ERRORS))
    return _roll_up(args, figures, settings)


def _roll_up(args: argparse.Namespace, figures: list, settings) -> int:
    from wardbrief.city.publish import CITY_JSON, publish_city, roll_up
    from wardbrief.figures.periods import period_for
    from wardbrief.run.build import ReportFailed

    period = period_for(args.report, args.as_of, start=args.period_start)
    briefed = [f for f in figures if f.briefed]
    as_of = briefed[0].as_of if briefed else period.end.isoformat()
    start = briefed[0].period_start if briefed else period.start.isoformat()
    city = roll_up(figures, as_of, start, settings)
    code = EXIT_OK
    try:
        folder = publish_city(city, args.out)
        print(f"  {args.out / CITY_JSON}")
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            print(f"  {path}")
    except ReportFailed as exc:
        print(f"  {args.out / CITY_JSON}")
        print(f"city_briefing: không lập được / failed: {exc}", file=sys.stderr)
        code = EXIT_DATA_ERRORS
    missing = city["not_briefed"]
    if missing:
        print(f"{len(missing)} phường chưa lập được báo cáo / not briefed: "
              + "; ".join(f"{w['code']} ({w['reason']})" for w in missing), file=sys.stderr)
        return EXIT_WARDS_NOT_BRIEFED
    return code
