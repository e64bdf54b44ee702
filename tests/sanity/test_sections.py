"""Sanity layer for the section templates (templates/wardbrief/sections): every section
of every report renders against both samples and an empty workbook, and no text a
reader sees holds `nan`, `None` or a dash ending a sentence (`—.`)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from builders import FIXTURES, REPO, metrics
from wardbrief.briefings import documents, reminder, sections
from wardbrief.briefings.briefing import Briefing
from wardbrief.briefings.report import SECTION_NAMES, report_document
from wardbrief.city import document as city_document
from wardbrief.document.model import Group, Heading, Items, Paragraph, Section
from wardbrief.figures.metrics import compute_metrics, load

AS_OF = dt.date(2026, 11, 27)
SECTIONS = {  # what the weekly notebook shows, by its builders' names
    "weekly_briefing": ["weekly_header", "key_points", "headline_section", "trend_section",
                        "departments_section", "compliance_chart", "accountability_section",
                        "tasks_section", "campaign_section", "annex_section"],
}
NUMBERED = {"trend_section", "compliance_chart"}


def workbook_metrics(name: str, report: str) -> dict:
    start = AS_OF.replace(day=1) if report == "monthly_report" else None
    if name == "empty":  # every tab there, no row in any
        return metrics(AS_OF, start, cases=[], tasks=[], posts=[], targets=[])
    return compute_metrics(load(FIXTURES / f"{name}.xlsx"), AS_OF, start)


def reader_text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", re.sub(r'src="[^"]*"', "", html)).split())


def assert_reads_right(name: str, html: str) -> None:
    text = reader_text(html)
    assert not re.search(r"\bnan\b|\bNone\b", text), (name, text)
    assert "—." not in text and "(đạt —)" not in text and ": ." not in text, (name, text)
    assert "{" not in text, (name, text)  # no label left unformatted


@pytest.mark.parametrize("workbook", ["clean", "messy", "empty"])
@pytest.mark.parametrize("report", list(SECTIONS))
def test_every_section_renders_and_reads_right(workbook, report):
    b = Briefing(workbook_metrics(workbook, report), report=report)
    for name in SECTIONS[report]:
        method = getattr(b, name)
        section = method(1) if name in NUMBERED else method()
        assert_reads_right(name, section._repr_html_())


@pytest.mark.parametrize("workbook", ["clean", "messy", "empty"])
def test_every_section_of_the_data_quality_list_renders_and_reads_right(workbook):
    """The notebook shows the list's document section by section, by name."""
    doc = documents.data_quality_document(workbook_metrics(workbook, "data_quality"))
    assert doc.names() == list(documents.DATA_QUALITY_SECTIONS)
    for section in doc:
        assert_reads_right(section.name, section._repr_mimebundle_()["text/html"])
        assert_reads_right(section.name, section.text())


@pytest.mark.parametrize("workbook", ["clean", "messy", "empty"])
def test_every_reminder_renders_and_reads_right(workbook):
    """Every unit's reminder, its page, its Word file's text and its e-mail's text (the
    same document model), with no hole where a list is empty."""
    m = workbook_metrics(workbook, "department_reminders")
    assert_reads_right("reminders", reminder.reminders(m).html())
    for code in reminder.reminder_codes(m):
        document = reminder.reminder_document(m, code)
        for section in document:
            assert_reads_right(f"{code}/{section.name}", section.html())
            text = section.text()
            assert " ," not in text and "còn ," not in text and ": ." not in text, text


@pytest.mark.parametrize("workbook", ["clean", "messy", "empty"])
@pytest.mark.parametrize("report", ["monthly_report", "year_report"])
def test_every_section_of_a_formal_report_renders_and_reads_right(workbook, report):
    doc = report_document(workbook_metrics(workbook, "monthly_report"), report)
    assert doc.names() == list(SECTION_NAMES)
    for section in doc:
        assert_reads_right(section.name, section._repr_mimebundle_()["text/html"])


def test_every_template_is_used_and_escapes():
    used = {p.name for p in sections.SECTIONS_DIR.glob("*.html.j2")}
    assert {"document.html.j2", "email.html.j2"} <= used
    env = sections.environment()
    assert env.autoescape is True
    html = Section("s", (Heading("<b>"), Paragraph("<i>x</i>"), Items(("<u>",)),
                         Group((Paragraph("<s>"),), beside=(Paragraph("<q>"),)))).html()
    assert "&lt;b&gt;" in html and "&lt;i&gt;x&lt;/i&gt;" in html and "<i>" not in html
    assert "&lt;u&gt;" in html and "&lt;s&gt;" in html and "&lt;q&gt;" in html
    assert "<u>" not in html and "<s>" not in html and "<q>" not in html


def test_one_jinja_environment_renders_every_template():
    """Sections of every report, the e-mail and outputs/index.html: one environment
    (wardbrief.document.templating); every template of sections/ is rendered by the code."""
    package = REPO / "lib" / "wardbrief"
    made = [p.relative_to(package).as_posix() for p in package.rglob("*.py")
            if "jinja2.Environment(" in p.read_text(encoding="utf-8")]
    assert made == ["document/templating.py"]
    code = "\n".join(p.read_text(encoding="utf-8") for p in package.rglob("*.py"))
    templates = "\n".join(p.read_text(encoding="utf-8") for p in sections.SECTIONS_DIR.glob("*.j2"))
    unused = [p.name for p in sections.SECTIONS_DIR.glob("*.html.j2")
              if p.name not in code and p.name not in templates]
    assert unused == []


def test_empty_workbook_says_so():
    b = Briefing(workbook_metrics("empty", "weekly_briefing"))
    text = reader_text(b.key_points().html() + b.accountability_section().html())
    assert "chưa đủ số liệu" in text
    assert "Không có phản ánh nào chưa trả lời đã quá hạn." in text
    assert "Không có phản ánh, kiến nghị chưa trả lời quá hạn" in text
    assert documents.annex_html(b.metrics, "weekly_briefing") is None
    assert "Không có đơn vị nào" in reader_text(reminder.reminders(b.metrics).html())


@pytest.mark.parametrize("report, names", [
    ("data_quality", documents.DATA_QUALITY_SECTIONS),
    ("weekly_briefing", tuple(n for n in documents.WEEKLY_SECTIONS if n != "annex")),
    ("city_briefing", city_document.SECTIONS),
])
def test_the_notebook_shows_its_document_section_by_section(report, names):
    """One code cell per named section, in the document's order (the annex is its own
    file): the notebook is the document as the office reads and edits it."""
    nb = json.loads((REPO / "notebooks" / f"{report}.ipynb").read_text(encoding="utf-8"))
    shown = [m.group(1) for c in nb["cells"] if c["cell_type"] == "code"
             for m in [re.fullmatch(r'doc\["(\w+)"\]', "".join(c["source"]).strip())] if m]
    assert tuple(shown) == names
