"""Arguments and error handling shared by the commands."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from typing import TYPE_CHECKING

from wardbrief.config import ConfigError, load_settings
from wardbrief.exit_codes import EXIT_DATA_ERRORS, EXIT_LOCKED, EXIT_OK, EXIT_SOURCE  # noqa: F401
from wardbrief.paths import DEFAULT_SOURCE, resolve_source
from wardbrief.read.messages import refusal_line
from wardbrief.read.schema import DATE_MAX, DATE_MIN

if TYPE_CHECKING:  # the commands' modules load no pandas: `run` forks its reader first
    from wardbrief.read.contract import Workbook

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def iso_date(text: str) -> dt.date:
    """A date argument: `2026-11-27` or, as staff write it, `27/11/2026` (day first)."""
    match = _DMY.match(text.strip())
    try:
        if match:
            day_, month, year = (int(g) for g in match.groups())
            day = dt.date(year, month, day_)
        else:
            day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' không phải là ngày: ghi 2026-11-27 hoặc 27/11/2026 / "
            f"'{text}' is not a date: write 2026-11-27 or 27/11/2026") from None
    if not DATE_MIN <= day <= DATE_MAX:
        raise argparse.ArgumentTypeError(
            f"'{text}' nằm ngoài khoảng {DATE_MIN:%d/%m/%Y} - {DATE_MAX:%d/%m/%Y} / "
            f"'{text}' is outside {DATE_MIN.isoformat()} .. {DATE_MAX.isoformat()}")
    return day


def add_source_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", default=None,
                        help="an .xlsx, .ods or .xls workbook, a folder of CSV files, or "
                             "gsheet:<key> (default: the spreadsheet of the config file or "
                             f"WARDBRIEF_SPREADSHEET, else the bundled sample {DEFAULT_SOURCE})")
    parser.add_argument("--allow-stale", action="store_true",
                        help="if the Google Sheet cannot be reached, use the newest snapshot")


def add_period_arguments(parser: argparse.ArgumentParser, as_of_required: bool = True) -> None:
    parser.add_argument("--as-of", type=iso_date, required=as_of_required,
                        default=None if as_of_required else dt.date.today(),
                        help="the report's as-of date, YYYY-MM-DD")
    parser.add_argument("--period-start", type=iso_date, default=None,
                        help="first day of the period (default: as-of minus 6 days)")


def period_error(args: argparse.Namespace, today: dt.date | None = None) -> bool:
    """True, after telling the user, when --period-start falls after --as-of or --as-of
    lies in the future (a typo: a report as of a day not yet lived counts every case due
    before it as overdue)."""
    today = today or dt.date.today()
    if args.as_of > today:
        print(f"Lỗi: ngày báo cáo --as-of {args.as_of:%d/%m/%Y} chưa đến (hôm nay là "
              f"{today:%d/%m/%Y}); kiểm tra lại năm, tháng, ngày. / "
              f"error: --as-of {args.as_of} is in the future (today is {today}).",
              file=sys.stderr)
        return True
    if args.period_start and args.period_start > args.as_of:
        print(f"Lỗi: ngày đầu kỳ --period-start {args.period_start:%d/%m/%Y} sau ngày báo cáo "
              f"--as-of {args.as_of:%d/%m/%Y}. / "
              f"error: --period-start {args.period_start} is after --as-of {args.as_of}.",
              file=sys.stderr)
        return True
    if args.period_start and args.period_start > args.as_of:
        print(f"lỗi: ngày đầu kỳ --period-start {args.period_start:%d/%m/%Y} sau ngày báo cáo "
              f"--as-of {args.as_of:%d/%m/%Y}. / error: --period-start {args.period_start} "
              f"is after --as-of {args.as_of}", file=sys.stderr)
        return True
    return False


def source_spec(args: argparse.Namespace) -> str:
    """The source to read: --source, else the configured spreadsheet, else the bundled
    sample, and then the user is told on stderr that the figures are invented."""
    if args.source:
        return resolve_source(args.source)
    try:
        configured = load_settings().spreadsheet
    except ConfigError:
        configured = None  # the Google source says what is wrong with the file when used
    if configured:
        return "gsheet:"
    print(SAMPLE_NOTE.format(path=DEFAULT_SOURCE), file=sys.stderr)
    return resolve_source(DEFAULT_SOURCE)


SAMPLE_NOTE = (
    "Chú ý: chưa chỉ định nguồn dữ liệu (--source) và chưa cấu hình bảng tính của phường, "
    "nên dùng bảng tính MẪU {path} (DỮ LIỆU MẪU, số liệu tổng hợp, không phải của phường). / "
    "Note: no --source and no configured spreadsheet: using the bundled SAMPLE workbook "
    "{path} (synthetic figures)."
)


def warn_before_first_case(workbook: Workbook, as_of: dt.date) -> bool:
    """Warn (stderr) when the as-of date comes before the first case of the workbook: the
    briefing would show nothing. True when warned."""
    received = workbook.cases["received"].dropna() if "received" in workbook.cases else None
    if received is None or received.empty:
        return False
    first = received.min().date()
    if as_of >= first:
        return False
    print(f"Cảnh báo: ngày báo cáo {as_of:%d/%m/%Y} trước phản ánh đầu tiên của bảng tính "
          f"(PhanAnh, ngày tiếp nhận sớm nhất {first:%d/%m/%Y}): báo cáo sẽ không có số liệu "
          f"phản ánh. / warning: --as-of {as_of} is before the first case ({first})",
          file=sys.stderr)
    return True


def open_workbook(args: argparse.Namespace, problems: list[str] | None = None
                  ) -> Workbook | None:
    """The workbook, or None after telling the user why the source cannot be read. A
    workbook that can be read but not briefed (Workbook.blocking_issues) is returned: each
    command decides what it still does with it."""
    problems = [] if problems is None else problems  # `run --send` tells the office
    options: dict[str, object] = {"allow_stale": bool(getattr(args, "allow_stale", False))}
    if getattr(args, "out", None) is not None:  # `run --out X` keeps snapshots in X/_snapshots
        options["snapshot_dir"] = args.out / "_snapshots"
    from wardbrief.figures.metrics import load
    from wardbrief.read.sources import SourceError

    args.source = source_spec(args)
    try:
        return load(args.source, **options)
    except SourceError as exc:
        problems.append(str(exc))
        print(f"error: {exc}", file=sys.stderr)
        return None


def refusal(workbook: Workbook) -> str | None:
    """The one line that says why the workbook is not briefed (Vietnamese, then English),
    or None when it can be."""
    blocking = workbook.blocking_issues()
    return refusal_line(blocking, workbook.missing_required) if blocking else None