"""Which document model each report is, shaped from its metrics; and a published
report's document read back from its executed notebook (`wardbrief render`).

The formal reports (monthly, quarterly, six-month, year) are `report.report_document`;
a department's reminder is `reminder.reminder_document`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wardbrief.briefings import report as formal_report
from wardbrief.document.model import Document
from wardbrief.document.notebook import document_of_notebook

FORMAL_REPORTS = ("monthly_report", "quarterly_report", "half_year_report", "year_report")


def shape(report: str, metrics: Mapping[str, Any], ward_name: str | None = None) -> Document:
    """The document of `report`, every section shaped from `metrics`."""
    if report in FORMAL_REPORTS:
        return formal_report.report_document(metrics, report, ward_name=ward_name)
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
    """The annex of a formal report as HTML (its own file beside the PDF), None when the
    report has none."""
    doc = shape(report, metrics)
    annexes = doc.annexes()
    return "\n".join(s.html() for s in annexes) if annexes else None
