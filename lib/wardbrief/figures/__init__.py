"""Contract section 3: the figures, column-wise over typed frames.

The names below load their module (and pandas) on first use, so that importing
`wardbrief.figures.exports` (the briefings' table headers) costs nothing.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "case_status": "cases", "case_totals": "cases", "due_dates": "cases",
    "post_counts": "posts",
    "TASK_KEYS": "tasks", "task_status": "tasks", "task_totals": "tasks",
}

__all__ = ["TASK_KEYS", "case_status", "case_totals", "due_dates", "post_counts",
           "task_status", "task_totals"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"wardbrief.figures.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'wardbrief.figures' has no attribute {name!r}")
