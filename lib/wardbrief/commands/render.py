"""`wardbrief render outputs/<as-of>/<report>`: render an edited executed notebook again.

An analyst opens `report.ipynb` of a published report in JupyterLab, writes the
office's words in its Markdown cells (leadership remarks, next period's priorities)
and saves it; this command turns it into `report.html`, `report.pdf` (and the
report's annex, reminders or Word file) again from the notebook's outputs and
`metrics.json`, without executing a cell or recomputing a figure, and publishes them
as a new version of the same report (wardbrief.run.store), under the run lock like a
run. Exit 0 rendered, 1 it could not be, 3 a run holds the lock.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from wardbrief.briefings import fmt, labels
from wardbrief.exit_codes import EXIT_DATA_ERRORS, EXIT_LOCKED, EXIT_OK
from wardbrief.run import store
from wardbrief.run.build import ReportFailed, StepFailed, describe_failure, render_outputs
from wardbrief.run.index import write_index_or_say
from wardbrief.run.registry import REPORTS, Report, report_of_folder


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "render",
        help="re-render an edited executed notebook of outputs/<as-of>/<report>/ to HTML and PDF",
        description="Render report.ipynb of a published report again (HTML, PDF, annex, "
        "reminders, Word) from its outputs and metrics.json, without recomputing anything, "
        "and publish it as a new version under the same name. Exit 0 rendered, 1 it could "
        "not be, 3 another run holds the lock.",
    )
    parser.add_argument("folder", help="a published report: outputs/2026-11-27/weekly_briefing, "
                        "one of its version folders, or its name (the newest date under --out)")
    parser.add_argument("--out", type=Path, default=Path("outputs"),
                        help="where briefings are published, to find a report by its name "
                        "(default: outputs)")
    parser.set_defaults(func=render)


def render(args: argparse.Namespace) -> int:
    try:
        found = store.find_published(args.folder, args.out)
        with store.run_lock(found.out_root):
            folder = rerender(store.find_published(args.folder, args.out))
            write_index_or_say(found.out_root, sys.stderr)
    except store.Locked as exc:
        print(f"wardbrief render: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except (store.NotPublished, ReportFailed) as exc:
        print(f"wardbrief render: {exc}", file=sys.stderr)
        return EXIT_DATA_ERRORS
    print(f"Đã lập lại {found.name} ngày {fmt.date_vn(found.day.name)} từ report.ipynb, "
          f"không tính lại số liệu. / Rendered {found.name} of {found.day.name} again from "
          "its notebook; nothing recomputed.")
    for path in sorted(p for p in folder.rglob("*") if p.suffix in (".html", ".pdf", ".docx")):
        print(f"  {path}")
    return EXIT_OK


def rerender(found: store.Published) -> Path:
    """Render the version `found.version` of a published report again and publish it as
    the newest version of `found.name`; return the report's link. The caller holds the
    lock. Raises ReportFailed."""
    import nbformat

    executed, metrics_file = found.version / "report.ipynb", found.version / "metrics.json"
    missing = [p.name for p in (executed, metrics_file) if not p.is_file()]
    if missing:
        raise ReportFailed(labels.RENDER_MISSING.format(folder=found.link,
                                                               files=", ".join(missing)))
    nb = nbformat.read(str(executed), as_version=4)
    known = report_of_folder(found.name)
    name = nb.metadata.get("wardbrief", {}).get("report") or (known.name if known else found.name)
    report = REPORTS.get(name) or Report(name, Path())
    metrics = json.loads(metrics_file.read_text(encoding="utf-8"))
    with store.staging_folder(found.out_root, name) as staging:
        for item in found.version.iterdir():  # metrics.json, CSV files, the notebook, and
            # the Word file (made from metrics.json: the report's extra step, if any,
            # writes it again; a report outside the registry, the city's, keeps it)
            if item.is_file() and item.suffix not in (".html", ".pdf"):
                shutil.copy2(item, staging / item.name)
        try:
            render_outputs(report, staging, metrics, nb, from_metrics=True)
        except StepFailed as exc:
            raise ReportFailed(str(exc)) from exc
        try:
            store.publish(staging, found.link)
        except OSError as exc:  # a full disk: the published version stays
            raise ReportFailed(f"publishing: {describe_failure(exc)}") from exc
    return found.link
