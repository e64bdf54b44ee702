"""The monthly report is one document: its PDF (report.pdf and the annex phu_luc.pdf) and
the Word file for signing hold the same tables and the same percentages, and a sentence
the office adds to a Markdown cell of the executed notebook is in both after `wardbrief
render` (issue 22). Also the period reports from one notebook, told apart by a parameter."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path

import docx
import nbformat
import pytest
from builders import FIXTURES
from wardbrief.briefings.briefing import ANNEX_FILE
from wardbrief.commands import cli
from wardbrief.document.notebook import HIDDEN_TAGS

MESSY = str(FIXTURES / "messy.xlsx")
PERCENT = re.compile(r"\d{1,3},\d%")
SENTENCE = "Văn phòng bổ sung: tổ công tác liên ngành kiểm tra 05 điểm nóng trước ngày 30/11/2026."


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    return " ".join(out.split())


def word_parts(path: Path) -> tuple[str, list[list[str]]]:
    """(the paragraphs' text, every table's rows of cell texts) of a Word file."""
    document = docx.Document(str(path))
    text = " ".join(" ".join(p.text for p in document.paragraphs).split())
    rows = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    return text, rows


@pytest.fixture(scope="module")
def monthly(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("one-document")
    assert cli.main(["run", "monthly_report", "--month", "2026-11", "--source", MESSY,
                     "--out", str(out)]) == 0
    return out / "2026-11-14" / "monthly_report-2026-11"


def test_pdf_and_word_hold_the_same_tables_and_percentages(monthly: Path):
    pdf = pdf_text(monthly / "report.pdf") + " " + pdf_text(monthly / ANNEX_FILE)
    text, rows = word_parts(monthly / "report.docx")
    word_all = text + " " + " ".join(" ".join(r) for r in rows)
    assert Counter(PERCENT.findall(pdf)) == Counter(PERCENT.findall(word_all))
    assert len(PERCENT.findall(pdf)) == 30  # the sample's month 11/2026: 30 rates
    for caption in ("Bảng 1. So sánh với kỳ trước", "Bảng 2. Kết quả xử lý phản ánh"):
        assert caption in pdf and caption in text
    # every cell of every table of the Word file is in the PDF
    pdf_words = set(pdf.split())
    for row in rows[2:]:  # after the letterhead's two rows
        if row[0].startswith("Nơi nhận:"):
            continue
        assert {w for cell in row for w in cell.split()} <= pdf_words, row
    assert "Tổng cộng" in pdf
    assert "Lũy kế từ đầu năm (từ ngày 15/12/2025 đến ngày 14/11/2026)" in pdf
    assert "Lũy kế từ đầu năm (từ ngày 15/12/2025 đến ngày 14/11/2026)" in text


def test_a_sentence_added_to_the_notebook_reaches_the_pdf_and_the_word_file(monthly: Path):
    nb = nbformat.read(str(monthly / "report.ipynb"), as_version=4)
    office = [c for c in nb.cells if c.cell_type == "markdown"
              and not HIDDEN_TAGS & set(c.metadata.get("tags", []))]
    assert office, "the monthly notebook has the office's Markdown cell"
    office[0].source += f"\n\n5\\. {SENTENCE}"
    nbformat.write(nb, str(monthly / "report.ipynb"))
    assert cli.main(["render", str(monthly)]) == 0
    assert f"5. {SENTENCE}" in pdf_text(monthly / "report.pdf")
    text, _rows = word_parts(monthly / "report.docx")
    assert f"5. {SENTENCE}" in text
    # where the office put it: after the first next step, before the closing sentence
    assert text.index("III. NHIỆM VỤ TRỌNG TÂM") < text.index(SENTENCE) < text.index("Trên đây")


def test_the_period_reports_are_one_notebook_told_apart_by_a_parameter(tmp_path: Path):
    assert cli.main(["run", "quarterly_report", "--quarter", "2026-Q3", "--source", MESSY,
                     "--out", str(tmp_path)]) == 0
    folder = tmp_path / "2026-09-14" / "quarterly_report-2026-Q3"
    nb = nbformat.read(str(folder / "report.ipynb"), as_version=4)
    assert nb.metadata["papermill"]["parameters"]["report"] == "quarterly_report"
    assert nb.metadata["wardbrief"]["report"] == "quarterly_report"
    text = pdf_text(folder / "report.pdf")
    assert "quý III năm 2026" in text and "Phụ lục" in text
    word_text, _rows = word_parts(folder / "report.docx")
    assert "Trên đây là báo cáo kết quả tiếp nhận, xử lý phản ánh, kiến nghị của người dân " \
        "quý III năm 2026" in word_text
    assert Counter(PERCENT.findall(text)) == Counter(PERCENT.findall(
        word_text + " " + " ".join(" ".join(r) for r in _rows)))
