"""What every page of a briefing carries besides its sections: the warning above a
briefing made from a snapshot, the mark of the synthetic sample (notebook metadata the
template reads; the Tổng hợp tab shows the same warning)."""

from __future__ import annotations

from typing import Any

from wardbrief.briefings import fmt, labels


def stale_banner(metrics: dict[str, Any]) -> str | None:
    """The warning shown above a briefing made from a snapshot, else None."""
    source = metrics.get("source") or {}
    if not source.get("stale"):
        return None
    taken_at = source.get("taken_at")
    return labels.STALE_WARNING.format(taken_at=fmt.datetime_vn(taken_at) if taken_at else "?")


def page_marks(metrics: dict[str, Any]) -> dict[str, str]:
    """Notebook metadata for marks the template shows on every page: `demo_mark` when the
    figures come from the synthetic sample workbook (labels.demo_mark)."""
    mark = labels.demo_mark(metrics)
    return {"demo_mark": mark} if mark else {}
