"""Contract section 3: the figures, column-wise over typed frames."""

from wardbrief.figures.cases import case_status, case_totals, due_dates
from wardbrief.figures.posts import post_counts
from wardbrief.figures.tasks import TASK_KEYS, task_status, task_totals

__all__ = ["TASK_KEYS", "case_status", "case_totals", "due_dates", "post_counts",
           "task_status", "task_totals"]
