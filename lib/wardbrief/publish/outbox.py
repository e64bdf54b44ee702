"""The published folders of the reports of one as-of date, as `wardbrief send` finds them.

A run as of A publishes each report where its period ends (wardbrief.run.reports):
- a weekly report (the briefing, the reminders, the data-quality list) in
  `<A>/<report>/` (given dates: `<A>/<report>-<start>..<A>/`);
- a report on the cut-off (month, quarter, half year, year) in `<end>/<report>-<label>/`,
  its period the one ending on or before A with the sheet's cut-off day (metrics
  `settings.cutoff_day`): `send all --as-of 2026-11-27` finds
  `2026-11-14/monthly_report-2026-11/` and `2026-09-14/quarterly_report-2026-Q3/`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from wardbrief.figures import periods


def published_folders(out_root: Path, as_of: dt.date, names: Sequence[str]) -> dict[str, Path]:
    """{report: its published folder} of `names` as of `as_of`; a report not found is
    left out."""
    found: dict[str, Path] = {}
    for name in names:
        kind = periods.report_kind(name)
        folder = None
        if kind is not None and kind.period in periods.MONTHS_IN:
            folder = _on_cutoff(out_root, name, kind.period, as_of)
        folder = folder or _of_day(out_root / as_of.isoformat(), name)
        if folder is not None:
            found[name] = folder
    return found


def folder_metrics(folder: Path) -> dict[str, Any] | None:
    """The metrics.json of a published report's folder, None when it is missing or
    unreadable (a half-written or foreign folder is passed over, not a failure)."""
    try:
        data = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _of_day(day: Path, name: str) -> Path | None:
    """`<A>/<report>`, else the report of given dates ending on A (the newest, if more)."""
    if (day / name / "metrics.json").is_file():
        return day / name
    given = [p for p in day.glob(f"{name}-*") if (p / "metrics.json").is_file()]
    return max(given, key=lambda p: (p / "metrics.json").stat().st_mtime, default=None)


def _on_cutoff(out_root: Path, name: str, kind: str, as_of: dt.date) -> Path | None:
    """The folder of the period of `kind` ending on or before `as_of`, by the cut-off
    day the report was built with."""
    for folder in sorted(out_root.glob(f"*/{name}-*"), reverse=True):
        if folder.parent.name > as_of.isoformat() or folder.name.startswith("."):
            continue
        metrics = folder_metrics(folder)
        period = (metrics or {}).get("period") or {}
        if period.get("kind") != kind:
            continue
        cutoff = int(((metrics or {}).get("settings") or {}).get("cutoff_day",
                                                                 periods.DEFAULT_CUTOFF))
        expected = periods.ending_on_or_before(kind, as_of, cutoff)
        if period.get("label") == expected.label and \
                folder.name == f"{name}-{expected.label}":
            return folder
    return None
