"""Sanity layer for the section templates (templates/wardbrief/sections): every section
of every report renders against both samples and an empty workbook, and no text a
reader sees holds `nan`, `None` or a dash ending a sentence (`—.`)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from builders import FIXTURES, metrics
from wardbrief.briefings import briefing, sections
from wardbrief.briefings.briefing import Briefing
from wardbrief.figures.metrics import compute_metrics, load

AS_OF = dt.date(2026, 11, 27)
SECTIONS = {  # what the four notebooks show, by name
    "weekly_briefing": ["weekly_header", "key_points", "headline_section", "trend_section",
                        "departments_section", "compliance_chart", "accountability_section",
                        "tasks_section", "campaign_section", "annex_section"],
    "monthly_report": ["monthly_header", "monthly_cases_section", "monthly_departments_section",
                       "monthly_campaign_section", "monthly_smart_city_section",
                       "monthly_shortcomings_section", "monthly_next_section",
                       "monthly_closing", "signature_block", "annex_section"],
    "department_reminders": ["reminders"],
    "data_quality": ["data_quality_header", "rows_table", "issues_sections"],
}
NUMBERED = {"trend_section", "compliance_chart"}


def workbook_metrics(name: str, report: str) -> dict:
    start = AS_OF.replace(day=1) if report == "monthly_report" else None
    if name == "empty":  # every tab there, no row in any
        return metrics(AS_OF, start, cases=[], tasks=[], posts=[], targets=[])
    return compute_metrics(load(FIXTURES / f"{name}.xlsx"), AS_OF, start)


def reader_text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", re.sub(r'src="[^"]*"', "", html)).split())


@pytest.mark.parametrize("workbook", ["clean", "messy", "empty"])
@pytest.mark.parametrize("report", list(SECTIONS))
def test_every_section_renders_and_reads_right(workbook, report):
    b = Briefing(workbook_metrics(workbook, report), report=report)
    for name in SECTIONS[report]:
        method = getattr(b, name)
        section = method(1) if name in NUMBERED else method()
        html = section._repr_html_()
        text = reader_text(html)
        assert not re.search(r"\bnan\b|\bNone\b", text), (name, text)
        assert "—." not in text and "(đạt —)" not in text and ": ." not in text, (name, text)
        assert "{" not in text, (name, text)  # no label left unformatted


def test_every_template_is_used_and_escapes():
    used = {p.name for p in sections.SECTIONS_DIR.glob("*.html.j2")}
    assert "_macros.html.j2" in used and len(used) > 10
    env = sections.environment()
    assert env.autoescape is True
    html = sections.render("prose.html.j2", {"titles": [("<b>", 2)], "paragraphs": ["<i>x</i>"]})
    assert "&lt;b&gt;" in html and "&lt;i&gt;x&lt;/i&gt;" in html and "<i>" not in html


def test_empty_workbook_says_so():
    b = Briefing(workbook_metrics("empty", "weekly_briefing"))
    text = reader_text(b.key_points().html() + b.accountability_section().html())
    assert "chưa đủ số liệu" in text
    assert "Không có phản ánh nào chưa trả lời đã quá hạn." in text
    assert "Không có phản ánh, kiến nghị chưa trả lời quá hạn" in text
    assert briefing.annex_html(b.metrics, "weekly_briefing") is None
    assert "Không có đơn vị nào" in reader_text(b.reminders().html())
