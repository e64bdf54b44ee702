"""The reports, declared once: name, notebook, period rule (figures.periods.REPORT_KINDS),
extra outputs, outputs made from the metrics alone, time limit, and the order they are
built in; and the time limits of a run."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wardbrief.briefings import fmt, labels
from wardbrief.figures import periods
from wardbrief.paths import NOTEBOOKS_DIR
from wardbrief.run import extras

if TYPE_CHECKING:
    from wardbrief.run.build import Built

REPORT_TIMEOUT_S = 1800  # one report: notebook, HTML, PDF and extra outputs
FIGURES_TIMEOUT_S = 900  # compute_metrics for one period (commands.run)

ExtraStep = Callable[["Built"], list[Path]]
"""A report's extra outputs: gets the build, writes files into `built.staging`, returns them."""

MetricsStep = Callable[["Report", dict[str, Any], Path], list[Path]]
"""A report's outputs made from its metrics alone (report, metrics, staging folder ->
the files written there): built beside the notebook, by another worker when there is."""


@dataclass(frozen=True)
class Report:
    name: str
    notebook: Path
    extra: ExtraStep | None = None
    period: str = periods.WEEK  # figures.periods kind
    formal: bool = False  # also written as .docx for signing
    from_metrics: MetricsStep | None = None
    time_limit_s: float = REPORT_TIMEOUT_S

    def heading(self, as_of: date | str | None = None,
                period: dict[str, Any] | None = None) -> tuple[str, str]:
        """The report's Vietnamese title and subtitle (labels), for the index and <title>;
        a report on the cut-off names its period (metrics `period`)."""
        title = labels.REPORT_TITLES.get(self.name, self.name)
        if self.name == "weekly_briefing" and period and period.get("kind") == periods.CUSTOM:
            title = labels.CUSTOM_PERIOD_TITLE.format(
                range=fmt.day_month_range(period.get("start"), period.get("end")).upper())
        subtitle = labels.REPORT_SUBTITLES.get(self.name, "")
        month = fmt.month_vn(as_of) if as_of else ""
        return title, subtitle.replace("{month}", month).replace(
            "{period}", fmt.period_vn(period) if period else "")

    def title(self, as_of: date | str | None = None,
              period: dict[str, Any] | None = None) -> str:
        return " — ".join(part for part in self.heading(as_of, period) if part)

    def folder_name(self, metrics: dict[str, Any]) -> str:
        """`monthly_report-2026-11`: a report on the cut-off names its period; the
        others are the report's name."""
        period = metrics.get("period") or {}
        if (period.get("kind") in periods.MONTHS_IN or period.get("kind") == periods.CUSTOM) \
                and period.get("label"):
            return f"{self.name}-{period['label']}"
        return self.name


REPORT_NAMES = periods.REPORT_NAMES  # the one table: figures.periods.REPORT_KINDS
EXTRA_STEPS: dict[str, ExtraStep] = {"department_reminders": extras.reminder_files}
METRICS_STEPS: dict[str, MetricsStep] = {"weekly_briefing": extras.annex_pdf,
                                         "monthly_report": extras.annex_pdf}
REPORTS: dict[str, Report] = {
    kind.name: Report(kind.name, NOTEBOOKS_DIR / f"{kind.notebook}.ipynb",
                      EXTRA_STEPS.get(kind.name, extras.formal_docx if kind.formal else None),
                      kind.period, kind.formal, METRICS_STEPS.get(kind.name))
    for kind in periods.REPORT_KINDS
}

BUILD_ORDER = ("department_reminders", "weekly_briefing", "monthly_report", "quarterly_report",
               "half_year_report", "year_report", "data_quality")
"""The reports from the longest to build to the shortest: a run starts the longest first,
so that no worker is left with a long one at the end."""


def build_rank(report: Report) -> int:
    return BUILD_ORDER.index(report.name) if report.name in BUILD_ORDER else len(BUILD_ORDER)


def report_of_folder(name: str) -> Report | None:
    """The report a published folder holds (`quarterly_report-2026-Q4` -> quarterly)."""
    return REPORTS.get(name) or REPORTS.get(name.partition("-")[0])


class TimeLimitExceeded(Exception):
    """A step ran past its time limit."""


@contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Raise TimeLimitExceeded in the block after `seconds` (SIGALRM; main thread only,
    elsewhere the block runs unbounded). Nested limits: the inner one is used."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise TimeLimitExceeded(f"{what} took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    outer = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer[0] > 0:  # an outer limit keeps running
            signal.setitimer(signal.ITIMER_REAL, max(outer[0] - seconds, 0.001))
