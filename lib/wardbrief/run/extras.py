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


def reminder_pdfs(report: Report, metrics: dict[str, Any], staging: Path,
                  part: tuple[int, int] = (0, 1)) -> list[Path]:
    """department_reminders: one PDF per department, `reminders/<CODE>.pdf`: the report's
    page (head, CSS, marks: the template rendered for a notebook with the report's
    metadata and no cells) holding only that department's reminder
    (wardbrief.briefings.reminder), laid out on its own — a reminder is a document of
    its own, its pages numbered from 1 to its own last page. From the metrics alone;
    `part` (i, n): the i-th of n shares of the departments, made by n processes."""
    import nbformat

    from wardbrief.briefings import reminder
    from wardbrief.publish import render
    from wardbrief.run.build import page_metadata

    codes = reminder.reminder_codes(metrics)
    if not codes:
        return []
    (staging / "reminders").mkdir(exist_ok=True)
    stems = reminder_file_names(list(metrics.get("departments") or {}) + codes)
    empty = nbformat.v4.new_notebook(metadata={"wardbrief": page_metadata(report, metrics)})
    page = render.notebook_to_html(empty, report.name)
    targets = []
    for code in codes[part[0]::part[1]]:
        target = staging / "reminders" / f"{stems[code]}.pdf"
        render.html_to_pdf(render.page_with_main(page, reminder.reminders(metrics, [code]).html()),
                           target, base_url=staging)
        targets.append(target)
    return targets


def reminder_parts(metrics: dict[str, Any]) -> int:
    """How many shares the reminders' PDFs can be made in: one per department."""
    from wardbrief.briefings import reminder

    return len(reminder.reminder_codes(metrics))


def reminder_docx(built: Built) -> list[Path]:
    """department_reminders: one Word file per department, `reminders/<CODE>.docx`: the
    document its PDF shows."""
    from wardbrief.briefings import reminder
    from wardbrief.document import word

    folder = built.staging / "reminders"
    folder.mkdir(exist_ok=True)
    codes = reminder.reminder_codes(built.metrics)
    stems = reminder_file_names(list(built.metrics.get("departments") or {}) + codes)
    return [word.write(reminder.reminder_document(built.metrics, code),
                       folder / f"{stems[code]}.docx") for code in codes]


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
    import nbformat

    from wardbrief.briefings import briefing, documents
    from wardbrief.publish import render
    from wardbrief.run.build import page_metadata

    fragment = documents.annex_html(metrics, report.name)
    if fragment is None:
        return []
    empty = nbformat.v4.new_notebook(metadata={"wardbrief": page_metadata(report, metrics)})
    page = render.page_with_main(render.notebook_to_html(empty, report.name), fragment)
    return [render.html_to_pdf(page, staging / briefing.ANNEX_FILE, base_url=staging)]


def annex_lines(metrics: dict[str, Any]) -> int:
    """The lines of a report's annex: its cases unanswered past due and answered late."""
    cases = metrics.get("cases") or {}
    return len(cases.get("overdue_cases") or []) + len(cases.get("late_cases") or [])
