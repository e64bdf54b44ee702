"""Which document model each report is, shaped from its metrics; and a published
report's document read back from its executed notebook (`wardbrief render`).

The formal reports (monthly, quarterly, six-month, year) are `report.report_document`;
the weekly briefing is `weekly_document`; the data-quality list `data_quality_document`;
a department's reminder is `reminder.reminder_document`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from wardbrief.briefings import report as formal_report
from wardbrief.briefings.briefing import Briefing
from wardbrief.document.model import Document
from wardbrief.document.notebook import document_of_notebook

FORMAL_REPORTS = ("monthly_report", "quarterly_report", "half_year_report", "year_report")
WEEKLY = "weekly_briefing"
DATA_QUALITY = "data_quality"
MODELLED = (*FORMAL_REPORTS, WEEKLY, DATA_QUALITY)  # the reports `shape` knows
# The weekly briefing's sections in reading order (briefings.weekly builds each):
#   header          letterhead, title, the period and the one compared with, notices
#   key_points      page 1's box: the verdict, the rates, the overdue cases, what to act on
#   headline        I. the period's figures against the previous period and the target
#   trend           Biểu đồ 1, the last 12 weeks
#   departments     II. the departments ranked
#   compliance      Biểu đồ 2, compliance by department
#   accountability  III. the units and the most overdue cases
#   tasks           IV. tasks
#   campaign        V. posts beside how cases came in (Biểu đồ 3)
#   annex           the whole accountability list (phu_luc.pdf)
# The office's Markdown cells of the notebook (VI. Ý KIẾN CHỈ ĐẠO) are sections too
# (`document.notebook`).
WEEKLY_SECTIONS = ("header", "key_points", "headline", "trend", "departments", "compliance",
                   "accountability", "tasks", "campaign", "annex")
_WEEKLY_BUILDERS = {"header": "weekly_header", "key_points": "key_points",
                    "headline": "headline_section", "trend": "trend_section",
                    "departments": "departments_section", "compliance": "compliance_chart",
                    "accountability": "accountability_section", "tasks": "tasks_section",
                    "campaign": "campaign_section", "annex": "annex_section"}


def weekly_document(metrics: Mapping[str, Any], ward_name: str | None = None,
                    only: Iterable[str] | None = None) -> Document:
    """The weekly briefing's document, every section shaped from `metrics` (or the
    sections named in `only`, in the document's order: an e-mail's summary draws no
    chart)."""
    b = Briefing(metrics, ward_name=ward_name, report=WEEKLY)
    wanted = set(WEEKLY_SECTIONS if only is None else only)
    sections = tuple(getattr(b, _WEEKLY_BUILDERS[name])() for name in WEEKLY_SECTIONS
                     if name in wanted)
    return Document(report=WEEKLY, title=" — ".join(b.title(WEEKLY)), sections=sections,
                    marks=formal_report.demo_marks(metrics))


# The data-quality list's sections in reading order (briefings.data_quality builds each):
#   header    the committee, the title, the as-of date, the notices, what the list tells
#   refused   why nothing else was briefed, what to fix first (empty when briefed)
#   summary   how many issues of each severity
#   rows      the rows read from each tab: valid, left out
#   errors    the rows left out: per sheet, row, cell, column and what is wrong
#   warnings  the rows counted that need checking, the same way
#   info      what the sheet is told, the same way
DATA_QUALITY_SECTIONS = ("header", "refused", "summary", "rows", "errors", "warnings", "info")
_DATA_QUALITY_BUILDERS = {"header": ("data_quality_header",), "refused": ("refusal_section",),
                          "summary": ("summary_section",), "rows": ("rows_table",),
                          "errors": ("issues_section", "error"),
                          "warnings": ("issues_section", "warning"),
                          "info": ("issues_section", "info")}


def data_quality_document(metrics: Mapping[str, Any], ward_name: str | None = None,
                          only: Iterable[str] | None = None) -> Document:
    """The data-quality list's document (`only`: the named sections, in its order)."""
    b = Briefing(metrics, ward_name=ward_name, report=DATA_QUALITY)
    wanted = set(DATA_QUALITY_SECTIONS if only is None else only)
    sections = []
    for name in DATA_QUALITY_SECTIONS:
        if name in wanted:
            method, *args = _DATA_QUALITY_BUILDERS[name]
            sections.append(getattr(b, method)(*args))
    return Document(report=DATA_QUALITY, title=" — ".join(b.title(DATA_QUALITY)),
                    sections=tuple(sections), marks=formal_report.demo_marks(metrics))


def shape(report: str, metrics: Mapping[str, Any], ward_name: str | None = None,
          only: Iterable[str] | None = None) -> Document:
    """The document of `report`, every section shaped from `metrics` (`only`: the named
    ones, for the weekly briefing and the data-quality list)."""
    if report in FORMAL_REPORTS:
        return formal_report.report_document(metrics, report, ward_name=ward_name)
    if report == WEEKLY:
        return weekly_document(metrics, ward_name=ward_name, only=only)
    if report == DATA_QUALITY:
        return data_quality_document(metrics, ward_name=ward_name, only=only)
    raise KeyError(f"{report}: no document model")


def parameters(nb: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters papermill ran the notebook with (its metadata)."""
    return dict(((nb.get("metadata") or {}).get("papermill") or {}).get("parameters") or {})


def of_notebook(nb: Mapping[str, Any], metrics: Mapping[str, Any], report: str) -> Document:
    """The published document: the model shaped from `metrics` in the order the executed
    notebook shows it, with the office's Markdown cells."""
    shaped = shape(report, metrics, ward_name=parameters(nb).get("ward_name"))
    return document_of_notebook(nb, shaped)


def annex_html(metrics: Mapping[str, Any], report: str) -> str | None:
    """The annex of a report as HTML (its own file beside the PDF), None when the report
    has none (the weekly briefing: no case unanswered past due or answered late)."""
    if report == WEEKLY and not Briefing(metrics, report=report).has_accountable():
        return None
    doc = shape(report, metrics, only=("annex",))
    annexes = doc.annexes()
    return "\n".join(s.html() for s in annexes) if annexes else None
