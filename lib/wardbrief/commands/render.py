"""`wardbrief render outputs/<as-of>/<report>/`: render an executed notebook again.

An analyst opens `report.ipynb` of a published report in JupyterLab, writes the
office's words in its Markdown cells (leadership remarks, next period's priorities)
and saves it; this command turns it into `report.html`, `report.pdf` (and the
report's annex or reminders) again from the notebook's outputs and `metrics.json`,
without executing a cell or recomputing a figure. Exit 0 rendered, 1 it could not be.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wardbrief.publish import runner


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "render",
        help="re-render an edited executed notebook of outputs/<as-of>/<report>/ to HTML and PDF",
        description="Render report.ipynb of a published report folder again (HTML, PDF, annex, "
        "reminders) from its outputs and metrics.json, without recomputing anything.",
    )
    parser.add_argument("folder", type=Path, help="a published report folder, e.g. "
                        "outputs/2026-11-27/weekly_briefing")
    parser.set_defaults(func=render)


def render(args: argparse.Namespace) -> int:
    try:
        built = runner.rerender(args.folder)
    except runner.ReportFailed as exc:
        print(f"wardbrief render: {exc}", file=sys.stderr)
        return 1
    for path in sorted(p for p in built.staging.rglob("*") if p.suffix in (".html", ".pdf")):
        print(f"  {path}")
    return 0
