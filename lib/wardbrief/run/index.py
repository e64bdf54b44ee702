"""`outputs/index.html`: every published briefing, newest date first, written atomically
(temporary file, fsync, rename) so that a reader never sees half of it."""

from __future__ import annotations

import os
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

import jinja2

from wardbrief.briefings import fmt
from wardbrief.figures import periods
from wardbrief.publish.outbox import folder_metrics
from wardbrief.run.store import DATE_DIR, checkpoint


def _index_template() -> jinja2.Template:
    from wardbrief.document import templating  # the one environment

    return templating.environment().get_template("outputs_index.html.j2")


def published(out_root: Path) -> list[dict[str, Any]]:
    """Every published briefing under `out_root`, newest date first."""
    from wardbrief.run.registry import Report, report_of_folder

    entries = []
    order = {name: i for i, name in enumerate(periods.REPORT_NAMES)}
    days = (p for p in out_root.iterdir() if DATE_DIR.match(p.name) and p.is_dir())
    for day in sorted(days, reverse=True):
        folders = [p for p in day.iterdir() if not p.name.startswith(".") and p.is_dir()
                   and (p / "report.html").exists()]
        for folder in sorted(folders, key=lambda p: (
                order.get(p.name.partition("-")[0], len(order)), p.name)):
            report = report_of_folder(folder.name) or Report(folder.name, Path())
            rel = f"{day.name}/{quote(folder.name)}"
            metrics = folder_metrics(folder)  # read once: a large workbook's is large
            parts = sorted((folder / "reminders").glob("*.pdf"))
            names = _department_names(metrics) if parts else {}
            parts = [p for p in parts if p.is_file()]
            title, subtitle = report.heading(day.name, _period_of(folder, metrics))
            entries.append(
                {
                    "date": fmt.date_vn(day.name),
                    "iso_date": day.name,
                    "report": folder.name,
                    "title": title,
                    "subtitle": subtitle,
                    "html": f"{rel}/report.html",
                    "pdf": f"{rel}/report.pdf" if (folder / "report.pdf").exists() else None,
                    "docx": f"{rel}/report.docx" if (folder / "report.docx").exists() else None,
                    "metrics": f"{rel}/metrics.json" if (folder / "metrics.json").exists() else None,
                    "parts": [{"name": names.get(p.stem, p.stem), "href": f"{rel}/reminders/{quote(p.name)}",
                               "docx": (f"{rel}/reminders/{quote(p.stem)}.docx"
                                        if p.with_suffix(".docx").exists() else None)}
                              for p in parts],
                    "demo_mark": _demo_mark(metrics),
                    "ward": (metrics or {}).get("ward"),
                }
            )
    return entries


def _demo_mark(metrics: dict[str, Any] | None) -> str | None:
    """labels.DEMO_MARK when the briefing was made from the synthetic sample (its
    metrics.json says `demo`), else None."""
    from wardbrief.briefings.marks import page_marks

    return page_marks(metrics).get("demo_mark") if metrics is not None else None


def _period_of(folder: Path, metrics: dict[str, Any] | None) -> dict[str, Any] | None:
    """metrics.json's `period` of a published report on the cut-off, else None."""
    if "-" not in folder.name:
        return None
    period = (metrics or {}).get("period")
    return period if isinstance(period, dict) else None


def _department_names(metrics: dict[str, Any] | None) -> dict[str, str]:
    """File stem of a department's reminder -> the department's name (metrics.json)."""
    from wardbrief.publish.file_names import reminder_file_names

    departments = (metrics or {}).get("departments") or {}
    if not isinstance(departments, dict):
        return {}
    stems = reminder_file_names(list(departments))
    return {stems[code]: str(info.get("name") or code)
            for code, info in departments.items() if isinstance(info, dict)}


def _ward_name(entries: list[dict[str, Any]]) -> str:
    return next((entry["ward"] for entry in entries if isinstance(entry["ward"], str)), "")


def write_index(out_root: Path) -> Path:
    """Regenerate `out_root/index.html` (written to a temp file, then renamed)."""
    entries = published(out_root)
    html = _index_template().render(
        entries=entries,
        ward=_ward_name(entries),
        updated=datetime.now().strftime("%H:%M ngày %d/%m/%Y"),
    )
    target = out_root / "index.html"
    tmp = out_root / f".index-{os.getpid()}.html"
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(html)
            handle.flush()
            os.fsync(handle.fileno())
        checkpoint("index:written")
        os.replace(tmp, target)
    except BaseException:
        with suppress(OSError):
            tmp.unlink()
        raise
    return target


def write_index_or_say(out_root: Path, stderr: TextIO) -> Path | None:
    """write_index; on an OSError (a full disk) one line, the previous index kept."""
    from wardbrief.run.build import describe_failure

    try:
        return write_index(out_root)
    except OSError as exc:
        print(f"index.html: {describe_failure(exc)} (the previous index is kept)",
              file=stderr, flush=True)
        return None
