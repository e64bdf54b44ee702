"""A report's outputs beside report.html and report.pdf: the annex of overdue cases
(`phu_luc.pdf`, from the metrics alone), each department's reminder as PDF and Word,
a formal report's Word file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from wardbrief.publish.file_names import reminder_file_names

if TYPE_CHECKING:
    from wardbrief.run.build import Built
    from wardbrief.run.registry import Report


def reminder_files(built: Built) -> list[Path]:
    """department_reminders: each department's reminder as PDF and Word,
    `reminders/<CODE>.pdf` and `.docx`, the same document. The PDF is the pages report.pdf
    laid out for that reminder (each reminder is laid out on its own there, its pages
    numbered from 1 to its own last page): written, not laid out again. A reminder the
    report's page does not show (an office that edited the notebook) is laid out alone
    on the report's page (head, CSS, marks)."""
    from wardbrief.briefings import reminder
    from wardbrief.document import word

    codes = reminder.reminder_codes(built.metrics)
    if not codes:
        return []
    folder = built.staging / "reminders"
    folder.mkdir(exist_ok=True)
    stems = reminder_file_names(list(built.metrics.get("departments") or {}) + codes)
    files = []
    for code in codes:
        target = folder / f"{stems[code]}.pdf"
        laid_out = built.documents.get(code)
        if laid_out is not None:
            laid_out.write_pdf(target)
        else:
            _reminder_alone(built, code, target)
        files.append(target)
    return files + [word.write(reminder.reminder_document(built.metrics, code),
                               folder / f"{stems[code]}.docx") for code in codes]


def _reminder_alone(built: Built, code: str, target: Path) -> None:
    from wardbrief.briefings import reminder
    from wardbrief.run.registry import REPORTS

    _pdf_on_reports_page(REPORTS["department_reminders"], built.metrics,
                         reminder.reminders(built.metrics, [code]).html(), target,
                         built.staging)


def _pdf_on_reports_page(report: Report, metrics: dict[str, Any], fragment: str,
                         target: Path, staging: Path) -> Path:
    """`fragment` laid out on the report's page (same head, same CSS, same marks: the
    template rendered for a notebook with the report's metadata and no cells) as the
    PDF `target`."""
    import nbformat

    from wardbrief.publish import render
    from wardbrief.run.build import page_metadata

    empty = nbformat.v4.new_notebook(metadata={"wardbrief": page_metadata(report, metrics)})
    page = render.page_with_main(render.notebook_to_html(empty, report.name), fragment)
    return render.html_to_pdf(page, target, base_url=staging)


def formal_docx(built: Built) -> list[Path]:
    """A formal report's Word file for signing, `report.docx`: the document the executed
    notebook shows (its sections in its order, the office's Markdown cells included),
    rendered by `wardbrief.document.word` — the same document as report.pdf."""
    from wardbrief.briefings import documents
    from wardbrief.document import word

    doc = documents.of_notebook(built.notebook, built.metrics, built.notebook_report)
    return [word.write(doc, built.staging / "report.docx")]


def annex_pdf(report: Report, metrics: dict[str, Any], staging: Path) -> list[Path]:
    """weekly_briefing, monthly_report: `phu_luc.pdf`, every case unanswered past due or
    answered late, on the report's page (same head, same CSS, same marks: the template
    rendered for a notebook with the report's metadata and no cells); none when there
    is none. From the metrics alone, so it is laid out while the notebook runs."""
    from wardbrief.briefings import briefing, documents

    fragment = documents.annex_html(metrics, report.name)
    if fragment is None:
        return []
    return [_pdf_on_reports_page(report, metrics, fragment, staging / briefing.ANNEX_FILE,
                                 staging)]


def annex_lines(metrics: dict[str, Any]) -> int:
    """The lines of a report's annex: its cases unanswered past due and answered late."""
    cases = metrics.get("cases") or {}
    return len(cases.get("overdue_cases") or []) + len(cases.get("late_cases") or [])
