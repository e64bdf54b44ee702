"""The document model (wardbrief.document): a report's named sections shaped once from
metrics (the messy sample's month 11/2026: 15/10-14/11/2026 on the cut-off day), and its
renderings — HTML through the one Jinja environment, Word, e-mail text — say the same;
the office's Markdown cells are sections of it, in the notebook's order."""

from __future__ import annotations

import docx
import nbformat
import pytest
from builders import FIXTURES
from docx.oxml.ns import qn
from wardbrief.briefings.report import SECTION_NAMES, report_document
from wardbrief.document import email, templating, word
from wardbrief.document.model import SECTION_MIME, Heading, Paragraph, Table
from wardbrief.document.notebook import document_of_notebook, markdown_blocks
from wardbrief.figures import periods
from wardbrief.figures.metrics import compute_metrics, load

MONTH = periods.month(2026, 11)


@pytest.fixture(scope="module")
def monthly():
    return compute_metrics(load(FIXTURES / "messy.xlsx"), MONTH.end, period=MONTH)


@pytest.fixture(scope="module")
def doc(monthly):
    return report_document(monthly)


def tables(section):
    return [b for b in section.blocks if isinstance(b, Table)]


def test_sections_are_named_in_reading_order_and_the_annex_is_apart(doc):
    assert doc.names() == list(SECTION_NAMES)
    assert [s.name for s in doc.annexes()] == ["annex"]
    with pytest.raises(KeyError, match="no section 'nope'"):
        doc["nope"]


def test_cases_paragraph_and_table_1_are_the_metrics(doc, monthly):
    cases = doc["cases"]
    text = cases.blocks[2].text
    assert text.startswith("Trong kỳ báo cáo (từ ngày 15/10/2026 đến ngày 14/11/2026), Ủy ban "
                           "nhân dân phường tiếp nhận 69 phản ánh")
    assert "đã xử lý, trả lời 64 phản ánh" in text
    assert "Lũy kế từ đầu năm (từ ngày 15/12/2025 đến ngày 14/11/2026), tiếp nhận 240" in text
    (table,) = tables(cases)
    # no case in 11/2025: the same period last year is left out of Bảng 1, and said so
    assert table.header == ("Chỉ số", "Kỳ báo cáo", "Kỳ trước", "Lũy kế từ đầu năm")
    assert table.rows[0] == ("Số phản ánh, kiến nghị tiếp nhận trong kỳ", "69", "70", "240")
    assert table.rows[1] == ("Đã xử lý, trả lời trong kỳ", "64", "71", "207")
    assert table.rows[2] == ("Xử lý đúng hạn", "58", "56", "182")
    totals = monthly["cases"]["totals"]
    assert (totals["received"], totals["resolved"], totals["resolved_on_time"]) == (69, 64, 58)
    assert "cùng kỳ năm trước: không có số liệu" in cases.blocks[-1].text


def test_departments_ranked_with_both_rates_and_the_total_once(doc):
    (table,) = tables(doc["departments"])
    assert table.header[-2:] == ("Tỷ lệ xử lý đúng hạn", "Tỷ lệ tuân thủ thời hạn")
    assert table.rows[0] == ("1", "Công an phường", "10", "8", "7", "1", "0", "87,5%", "87,5%")
    assert table.foot == ("", "Tổng cộng", "69", "64", "58", "6", "7", "90,6%", "81,7%")
    assert doc["departments"].blocks[2].text == (
        "Bảng 2. Kết quả xử lý phản ánh, kiến nghị theo đơn vị")


def test_annex_names_the_cases(doc):
    open_cases, late = tables(doc["annex"])
    assert open_cases.rows[0] == ("1", "PA-2026-000509", "Phòng Kinh tế, Hạ tầng và Đô thị",
                                  "04/08/2026", "11/08/2026", "66")
    assert late.rows[0][1] == "PA-2026-000684" and late.rows[0][-1] == "6"
    assert open_cases.nowrap[3] and open_cases.nowrap[4]  # dates on one line in Word


def test_html_escapes_and_names_the_section(doc):
    bundle = doc["cases"]._repr_mimebundle_()
    assert bundle[SECTION_MIME] == {"section": "cases"}
    assert "<td class=\"num\">240</td>" in bundle["text/html"]
    hostile = report_document({"ward": "<b>Phường X</b>", "as_of": "2026-11-14"})
    assert "&lt;B&gt;PHƯỜNG X&lt;/B&gt;" in hostile["header"].html()
    assert templating.environment().autoescape is True


def test_markdown_cells_become_blocks():
    blocks = markdown_blocks("## VI. Ý KIẾN\n\n*(Văn phòng ghi.)*\n\n2\\. Văn phòng **HĐND** "
                             "tiếp\ntục.\n\n- một\n- hai *ba*\n")
    assert blocks == (Heading("VI. Ý KIẾN", 1), Paragraph("(Văn phòng ghi.)", "italic"),
                      Paragraph("2. Văn phòng HĐND tiếp tục."), Paragraph("- một", "item"),
                      Paragraph("- hai ba", "item"))


def shown(name):
    return nbformat.v4.new_output("display_data", data={SECTION_MIME: {"section": name},
                                                        "text/html": "<p></p>"})


def test_the_notebook_orders_the_document_and_adds_the_office_words(doc):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# intro", metadata={"tags": ["remove-cell"]}),
                nbformat.v4.new_code_cell("x", outputs=[shown("header")]),
                nbformat.v4.new_code_cell("y", outputs=[shown("next")]),
                nbformat.v4.new_markdown_cell("2\\. Văn phòng làm thêm một việc."),
                nbformat.v4.new_code_cell("z", outputs=[shown("signature")])]
    read = document_of_notebook(nb, doc)
    assert read.names() == ["header", "next", "office-1", "signature", "annex"]
    assert read["office-1"].office and read["office-1"].blocks == (
        Paragraph("2. Văn phòng làm thêm một việc."),)


def test_word_and_email_say_what_the_page_says(doc, tmp_path):
    path = word.write(doc, tmp_path / "m.docx")
    document = docx.Document(str(path))
    cells = [" | ".join(c.text for c in row.cells) for t in document.tables for row in t.rows]
    assert "Số phản ánh, kiến nghị tiếp nhận trong kỳ | 69 | 70 | 240" in cells
    assert " | Tổng cộng | 69 | 64 | 58 | 6 | 7 | 90,6% | 81,7%" in cells
    text = " ".join(p.text for p in document.paragraphs)
    assert doc["cases"].blocks[2].text in text and "III. NHIỆM VỤ TRỌNG TÂM" in text
    date_cell = document.tables[-1].rows[1].cells[3]
    assert date_cell.text == "16/10/2026" and date_cell._tc.tcPr.find(qn("w:noWrap")) is not None
    plain = email.plain(doc, ["cases"])
    assert "Số phản ánh, kiến nghị tiếp nhận trong kỳ | 69 | 70 | 240" in plain
    assert "240</td>" in email.html(doc, ["cases"])


def test_the_campaign_is_judged_on_the_months_the_period_covers_and_says_how(monthly, doc):
    """An NĐ 09 month (15/10-14/11) is 17 days of October and 14 of November: its posts
    are held against the monthly targets over those days, not November's whole target
    against the 14 days of November."""
    comms = monthly["communications"]
    targets = comms["period_targets"]
    assert targets["months"] == [{"month": "2026-10", "days": 17, "of": 31},
                                 {"month": "2026-11", "days": 14, "of": 30}]
    text = doc["campaign"].text()
    assert ("So với chỉ tiêu của kỳ (chỉ tiêu tháng tính theo số ngày của từng tháng trong "
            "kỳ: tháng 10/2026 17/31 ngày và tháng 11/2026 14/30 ngày): ") in text
    assert "Lũy kế tháng" not in text
    below = [ch for ch, t in targets["targets"].items() if comms["by_channel"].get(ch, 0) < t]
    lines = [line for line in doc["shortcomings"].text().splitlines()
             if line.startswith("- Công tác tuyên truyền:")]
    assert below and len(lines) == 1 and lines[0].count("chưa đạt chỉ tiêu của kỳ") == len(below)


def test_word_tables_leave_no_row_alone_on_a_page(doc, tmp_path):
    """Keep-with-next on a row's paragraphs binds it to the next row (Word, LibreOffice):
    the header and the first row, the row before the last and the last (the annex's
    second table ended on a page of one row)."""
    path = word.write(doc, tmp_path / "m.docx")
    late = docx.Document(str(path)).tables[-1]
    kept = [all(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs)
            for row in late.rows]
    body = len(late.rows) - 1
    assert body >= 4
    assert kept == [True, True] + [False] * (body - 3) + [True, False]


def test_task_sentences_count_only_what_there_is(monthly, doc):
    """No "có 03 … và 0 nhiệm vụ sắp đến hạn", no "Còn 0 nhiệm vụ quá hạn …"."""
    assert ("trong đó: hoàn thành đúng hạn 14; hoàn thành quá hạn 03; đang thực hiện trong "
            "hạn 08; quá hạn chưa hoàn thành 04; vướng mắc, tạm dừng 03; sắp đến hạn 0."
            ) in doc["smart_city"].text()
    assert ("- Còn 04 nhiệm vụ quá hạn chưa hoàn thành và 03 nhiệm vụ vướng mắc, tạm dừng."
            in doc["shortcomings"].text())
    blocked_only = {**monthly, "tasks": {**monthly["tasks"], "totals": {
        **monthly["tasks"]["totals"], "overdue": 0}}}
    text = report_document(blocked_only)["shortcomings"].text()
    assert "- Còn 03 nhiệm vụ vướng mắc, tạm dừng." in text and "Còn 0 " not in text


def test_a_previous_period_without_cases_is_not_compared_with():
    """The sample begins on 01/08/2026: the quarter before Q3 (15/03-14/06/2026) has no
    figures, so the report says so under Bảng 1 and no sentence says "tăng 110"."""
    from builders import REPO

    quarter = periods.named_period(periods.QUARTER, 14, quarter_text="2026-Q3")
    metrics = compute_metrics(load(REPO / "data" / "donghai-demo.xlsx"), quarter.end,
                              period=quarter)
    text = report_document(metrics, "quarterly_report")["cases"].text()
    assert "tiếp nhận 110 phản ánh" in text
    assert "So với kỳ trước" not in text and "tăng 110" not in text
    assert "Kỳ trước: không có số liệu" in text
