"""`wardbrief check`: the data issues of the workbook, for the staff who fix them."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter

from wardbrief.commands.common import (
    EXIT_DATA_ERRORS,
    EXIT_OK,
    EXIT_SOURCE,
    add_source_arguments,
    open_workbook,
    refusal,
)
from wardbrief.read.issues import DataIssue

SEVERITY_VI = {"error": "LỖI", "warning": "CẢNH BÁO", "info": "GHI CHÚ"}


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("check", help="list the workbook's data issues (exit 1 on errors)",
                            description="List every data issue with its sheet, row and column. "
                                        "Exit 0 without errors, 1 with errors, 2 when the "
                                        "source cannot be read.")
    add_source_arguments(parser)
    parser.add_argument("--json", action="store_true",
                        help="print the issues as JSON (one object per issue) instead of a table")
    parser.set_defaults(func=run)


def format_issues(issues: list[DataIssue]) -> str:
    """The issues as a table, in the sheet's own words: its tab titles, its header texts
    and the cell (`C239`) to go to."""
    header = ("Mức độ", "Trang tính", "Dòng", "Ô", "Cột", "Nội dung")
    rows = [(SEVERITY_VI[i.severity], i.sheet_title or i.sheet,
             "" if i.row is None else str(i.row), i.cell or "", i.header or i.column or "",
             i.message + (f"  {i.link}" if i.link else "")) for i in issues]
    last = len(header) - 1
    widths = [max(len(r[k]) for r in [header, *rows]) for k in range(last)]
    lines = []
    for row in [header, *rows]:
        cells = [row[k].ljust(widths[k]) for k in range(last)] + [row[last]]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths) + "  " + "-" * 8)
    return "\n".join(lines)


def summary_line(issues: list[DataIssue], rows: dict, titles: dict[str, str] | None = None
                 ) -> str:
    """Counts by severity, then each counted tab (by its title in the sheet) with its rows."""
    counts = Counter(i.severity for i in issues)
    titles = titles or {}
    row_text = ", ".join(f"{titles.get(tab) or tab} {r['valid']}/{r['total']} dòng hợp lệ"
                         for tab, r in rows.items())
    return (f"{counts['error']} lỗi, {counts['warning']} cảnh báo, {counts['info']} ghi chú "
            f"— {row_text}")


def run(args: argparse.Namespace) -> int:
    workbook = open_workbook(args)
    if workbook is None:
        return EXIT_SOURCE
    issues = workbook.issues_sorted()
    refused = refusal(workbook)
    if refused:  # first, above the table: this workbook is not briefed
        print(refused, file=sys.stderr if args.json else sys.stdout)
        if not args.json:
            print()
    for notice in workbook.notices:
        print(notice, file=sys.stderr if args.json else sys.stdout)
    if args.json:
        print(json.dumps([i.as_dict() for i in issues], ensure_ascii=False, indent=1,
                         allow_nan=False))
    elif issues:
        print(format_issues(issues))
        print()
    print(summary_line(issues, workbook.rows, workbook.tab_titles),
          file=sys.stderr if args.json else sys.stdout)
    return EXIT_DATA_ERRORS if any(i.severity == "error" for i in issues) else EXIT_OK
