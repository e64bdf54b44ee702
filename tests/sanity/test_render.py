"""wardbrief.publish.render (the suite's nbconvert exporters) and templates/wardbrief: what a
reader gets from an executed notebook.

Unit layer: notebooks are built in memory with their outputs (no kernel), rendered to
HTML and PDF, and the result is read back (pdftotext, pdffonts from poppler-utils).
"""

from __future__ import annotations

import base64
import io
import re
import subprocess
from pathlib import Path

import matplotlib
import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from wardbrief.paths import TEMPLATE_NAME, TEMPLATES_DIR
from wardbrief.publish import render

matplotlib.use("Agg")
import matplotlib.pyplot as plt

CODE_MARKER = "distinctive_code_marker_4711 = compute_nothing()"
CITIZEN_TEXT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
REPORTS_CSS_DIR = TEMPLATES_DIR / TEMPLATE_NAME / "reports"


def png_base64() -> str:
    fig, ax = plt.subplots(figsize=(2, 1))
    ax.bar(["Đúng hạn", "Quá hạn"], [54, 4])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=40)
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def executed_notebook(metadata: dict | None = None) -> nbformat.NotebookNode:
    """A notebook as papermill leaves it: code cells with their outputs."""
    table = pd.DataFrame({"Mã phản ánh": ["PA-001", "PA-002"],
                          "Nội dung (tóm tắt)": [CITIZEN_TEXT, "Đèn đường hỏng ở tổ dân phố số 3"]})
    cells = [
        new_markdown_cell("# Báo cáo thử — Phường Đông Hải\n\nỦy ban nhân dân phường."),
        new_code_cell(CODE_MARKER, execution_count=1, outputs=[
            new_output("stream", name="stdout", text=f"Nội dung người dân gửi: {CITIZEN_TEXT}\n"),
            new_output("stream", name="stderr", text="FutureWarning: noise for the log only\n"),
        ]),
        new_code_cell("HTML(table.to_html(escape=True))", execution_count=2, outputs=[
            new_output("execute_result", execution_count=2, data={
                "text/html": table.to_html(escape=True, index=False),
                "text/plain": "<IPython.core.display.HTML object>"}),
        ]),
        new_code_cell("Markdown(...)", execution_count=3, outputs=[
            new_output("display_data", data={"text/markdown": "Tiếp nhận **69** phản ánh, kiến nghị.",
                                              "text/plain": "<Markdown>"}),
        ]),
        new_code_cell("plt.show()", execution_count=4, outputs=[
            new_output("display_data", data={"image/png": png_base64(),
                                              "text/plain": "<Figure size 200x100 with 1 Axes>"}),
        ]),
        new_code_cell("Javascript(...)", execution_count=5, outputs=[
            new_output("display_data", data={"application/javascript": "alert('js output')"}),
        ]),
        new_code_cell("print(sys.executable)", execution_count=6, metadata={"tags": ["remove-cell"]},
                      outputs=[new_output("stream", name="stdout", text="REMOVED-CELL-OUTPUT\n")]),
        new_code_cell("print('x')", execution_count=7, metadata={"tags": ["hide"]},
                      outputs=[new_output("stream", name="stdout", text="HIDDEN-CELL-OUTPUT\n")]),
        new_code_cell("x = 1", execution_count=8, outputs=[]),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata.update(metadata or {})
    return nb


@pytest.fixture(scope="module")
def page() -> str:
    return render.notebook_to_html(executed_notebook(), "fixture")


def pdf_text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return " ".join(out.split())


# --- HTML --------------------------------------------------------------------------------


def test_page_is_vietnamese_utf8(page: str) -> None:
    assert '<html lang="vi">' in page
    assert re.search(r'<meta charset="utf-8"\s*/?>', page)
    assert "Báo cáo thử — Phường Đông Hải" in page


def test_citizen_text_is_escaped_in_text_and_tables(page: str) -> None:
    assert page.count(ESCAPED) == 2  # the printed line and the table cell
    assert "<td>" + ESCAPED + "</td>" in page
    assert "<script" not in page.lower()  # none at all: not ours, not the citizen's


def test_nothing_is_loaded_from_the_network(page: str) -> None:
    assert not re.search(r"""<(script|link|img)[^>]+(src|href)\s*=\s*["']?(https?:)?//""", page, re.IGNORECASE)
    assert "require.js" not in page and "mathjax" not in page.lower()
    assert "@import" not in page
    assert "fonts.googleapis" not in page


def test_code_prompts_logs_and_tagged_cells_are_hidden(page: str) -> None:
    assert "distinctive_code_marker_4711" not in page
    assert "In&nbsp;[" not in page and "Out[" not in page
    assert "noise for the log only" not in page  # stderr stays in the executed notebook
    assert "REMOVED-CELL-OUTPUT" not in page and "HIDDEN-CELL-OUTPUT" not in page
    assert "js output" not in page


def test_markdown_image_and_table_outputs_are_shown(page: str) -> None:
    assert "Tiếp nhận <strong>69</strong> phản ánh, kiến nghị." in page
    assert re.search(r'<img alt="Biểu đồ" src="data:image/png;base64,[A-Za-z0-9+/=]{100,}"/>', page)
    assert "<thead>" in page and "Đèn đường hỏng ở tổ dân phố số 3" in page


def test_print_css_is_inlined(page: str) -> None:
    assert "@page" in page and "size: A4" in page
    assert "counter(page)" in page
    assert "thead { display: table-header-group; }" in page
    assert "Liberation Serif" in page


def test_stale_banner_is_shown_escaped_above_the_briefing() -> None:
    banner = "Lưu ý: dữ liệu lúc 15:58 ngày 27/11/2026 <b>có thể cũ</b>"
    html = render.notebook_to_html(executed_notebook({"wardbrief": {"stale_banner": banner}}), "x")
    box = '<div class="wardbrief-stale" role="alert">'
    assert box + "Lưu ý: dữ liệu lúc 15:58 ngày 27/11/2026 &lt;b&gt;có thể cũ&lt;/b&gt;</div>" in html
    assert html.index(box) < html.index("<main>") < html.index("Báo cáo thử")


def test_no_banner_without_metadata(page: str) -> None:
    assert 'class="wardbrief-stale"' not in page


def test_title_comes_from_metadata() -> None:
    nb = executed_notebook({"wardbrief": {"title": "BÁO CÁO GIAO BAN TUẦN <x>"}})
    assert "<title>BÁO CÁO GIAO BAN TUẦN &lt;x&gt;</title>" in render.notebook_to_html(nb, "x")


@pytest.mark.parametrize("report", sorted(p.stem for p in REPORTS_CSS_DIR.glob("[!_]*.css")))
def test_report_css_is_inlined_after_the_base_css(report: str) -> None:
    html = render.notebook_to_html(executed_notebook(), report)
    own = (REPORTS_CSS_DIR / f"{report}.css").read_text(encoding="utf-8").splitlines()
    rules = [ln for ln in own if ln.strip() and "{%" not in ln]
    assert rules and all(rule in html for rule in rules)
    assert html.index("size: A4") < html.index(rules[0])
    assert f'<body class="wardbrief report-{report}">' in html


def test_report_css_of_every_report_exists() -> None:
    from wardbrief.run.registry import REPORT_NAMES

    assert {p.stem for p in REPORTS_CSS_DIR.glob("*.css")} >= set(REPORT_NAMES)


def test_report_name_cannot_reach_outside_reports() -> None:
    html = render.notebook_to_html(executed_notebook({"wardbrief": {"report": "../static/base"}}))
    assert html.count("size: A4") == 1  # base.css once, not included a second time


def test_notebook_read_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "tuan.ipynb"
    nbformat.write(executed_notebook(), str(path))
    html = render.notebook_to_html(path, "weekly_briefing")
    assert ESCAPED in html and "<title>tuan</title>" in html


# --- PDF ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf(page: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pdf")
    return render.html_to_pdf(page, out / "report.pdf", base_url=out)


def test_pdf_keeps_vietnamese_diacritics(pdf: Path) -> None:
    text = pdf_text(pdf)
    assert "Báo cáo thử — Phường Đông Hải" in text
    assert "Ủy ban nhân dân phường." in text
    assert "Đèn đường hỏng ở tổ dân phố số 3" in text
    assert CITIZEN_TEXT in text  # shown as text
    assert "Trang 1/1" in text  # page number from @bottom-center


def test_pdf_uses_one_serif_font_for_vietnamese(pdf: Path) -> None:
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                           check=True).stdout
    assert "Liberation-Serif" in fonts
    # Liberation 1.x lacks ư, ờ, ả...: those letters would come from DejaVu, mid-word.
    assert "DejaVu-Serif" not in fonts, "install fonts-liberation2 (Vietnamese glyphs)"


def test_pdf_of_a_long_table_repeats_its_header(tmp_path: Path) -> None:
    rows = pd.DataFrame({"Mã phản ánh": [f"PA-{i:04d}" for i in range(150)],
                         "Đơn vị xử lý": ["Phòng Văn hóa - Xã hội"] * 150})
    html = render.notebook_to_html(new_notebook(cells=[new_code_cell("t", outputs=[
        new_output("display_data", data={"text/html": rows.to_html(index=False)})])]), "x")
    pdf = render.html_to_pdf(html, tmp_path / "long.pdf", base_url=tmp_path)
    text = pdf_text(pdf)
    pages = int(re.search(r"Trang 1/(\d+)", text).group(1))
    assert pages >= 3
    assert text.count("Mã phản ánh Đơn vị xử lý") == pages
    assert "PA-0000" in text and "PA-0149" in text


def test_pdf_fetches_nothing_from_the_network(tmp_path: Path) -> None:
    fetcher = render.LocalOnlyFetcher(tmp_path)
    for url in ("https://fonts.googleapis.com/css?family=Roboto", "http://example.com/a.png",
                "ftp://example.com/x", f"file://{Path('/etc/passwd').resolve()}"):
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)
    inside = tmp_path / "ok.css"
    inside.write_text("p {}", encoding="utf-8")
    assert fetcher.fetch(inside.as_uri()).read() == b"p {}"
    assert fetcher.fetch("data:text/plain;base64,eGk=").read() == b"xi"

    html = ('<html lang="vi"><head><link rel="stylesheet" href="https://example.invalid/x.css">'
            '</head><body><p>Phường Đông Hải</p><img src="http://example.invalid/a.png"></body></html>')
    pdf = render.html_to_pdf(html, tmp_path / "offline.pdf", base_url=tmp_path)
    assert "Phường Đông Hải" in pdf_text(pdf)


def test_page_with_main_keeps_head_and_banner() -> None:
    nb = executed_notebook({"wardbrief": {"stale_banner": "Lưu ý: bản sao lưu"}})
    html = render.notebook_to_html(nb, "department_reminders")
    part = render.page_with_main(html, "<p>Phiếu đôn đốc: Công an phường</p>")
    assert "Phiếu đôn đốc: Công an phường" in part and "Lưu ý: bản sao lưu" in part
    assert "size: A4" in part and "Báo cáo thử" not in part


# --- charts in the PDF ---------------------------------------------------------------------


def chart_pdf(svg: bytes, path: Path) -> Path:
    """`svg` as a briefing shows it (a section of the model holding the figure), printed
    to `path`."""
    from wardbrief.document.model import Figure, Section

    section = Section("chart", (Figure(svg, "Biểu đồ 1.", "Biểu đồ"),), css="wb-chart")
    nb = new_notebook(cells=[new_code_cell("chart", outputs=[
        new_output("display_data", data={"text/html": section.html()})])])
    return render.html_to_pdf(render.notebook_to_html(nb, "chart"), path, base_url=path.parent)


def test_chart_labels_print_as_text_with_their_diacritics(tmp_path: Path) -> None:
    import unicodedata

    from wardbrief.briefings import charts

    names = ["Phòng Kinh tế, Hạ tầng và Đô thị", "Trung tâm Dịch vụ sự nghiệp công"]
    typed = [unicodedata.normalize("NFD", name) for name in names]  # combining accents
    svg = charts.compliance_svg(typed, [0.523, 0.97], [True, True], 0.95)
    text = pdf_text(chart_pdf(svg, tmp_path / "chart.pdf"))
    for shown in (*names, "52,3%", "97,0%", "Dưới chỉ tiêu", "Đạt chỉ tiêu", "Chỉ tiêu 95,0%"):
        assert shown in text, shown
    assert not any(unicodedata.combining(char) for char in text)


def test_lean_chart_prints_as_matplotlib_drew_it(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from wardbrief.briefings import charts

    args = ([f"2026-{m:02d}-01" for m in range(1, 13)], [50 + 9 * i for i in range(12)],
            [40 + 8 * i for i in range(12)], [35 + 7 * i for i in range(12)],
            [20 + 3 * i for i in range(12)])
    lean = charts.weekly_trend_svg(*args)
    monkeypatch.setattr(charts, "_lean", lambda svg: svg)
    drawn = charts.weekly_trend_svg(*args)
    assert len(lean) < 0.8 * len(drawn)
    pixels = []
    for name, svg in (("lean", lean), ("drawn", drawn)):
        pdf = chart_pdf(svg, tmp_path / f"{name}.pdf")
        assert "Tồn đọng chưa trả lời" in pdf_text(pdf)
        subprocess.run(["pdftoppm", "-r", "100", "-gray", "-f", "1", "-l", "1", str(pdf),
                        str(tmp_path / name)], check=True)
        pixels.append(next(tmp_path.glob(f"{name}*.pgm")).read_bytes())
    assert pixels[0] == pixels[1]


# --- nbconvert's own way in: the exporters by name ------------------------------------------


def test_the_exporters_are_registered_with_nbconvert() -> None:
    from nbconvert.exporters import get_export_names, get_exporter

    assert {"wardbrief_html", "wardbrief_pdf"} <= set(get_export_names())
    assert get_exporter("wardbrief_html") is render.BriefingHTMLExporter
    assert get_exporter("wardbrief_pdf") is render.BriefingPDFExporter
    assert render.BriefingPDFExporter.output_mimetype == "application/pdf"


def test_pdf_exporter_gives_the_pdf_of_the_html_exporters_page(tmp_path: Path) -> None:
    nb = executed_notebook({"wardbrief": {"report": "weekly_briefing", "title": "Tuần thử"}})
    pdf, resources = render.BriefingPDFExporter().from_notebook_node(nb)
    assert pdf.startswith(b"%PDF-") and resources["output_extension"] == ".pdf"
    (tmp_path / "x.pdf").write_bytes(pdf)
    text = pdf_text(tmp_path / "x.pdf")
    assert "Báo cáo thử — Phường Đông Hải" in text and CITIZEN_TEXT in text
    assert CODE_MARKER not in text and "REMOVED-CELL-OUTPUT" not in text


def test_jupyter_nbconvert_to_wardbrief_pdf(tmp_path: Path) -> None:
    """What an analyst gets from `jupyter nbconvert --to wardbrief_pdf` (and JupyterLab's
    Download as) is the briefing's page, not nbconvert's default one."""
    import sys

    nbformat.write(executed_notebook(), str(tmp_path / "tuan.ipynb"))
    for to in ("wardbrief_html", "wardbrief_pdf"):
        subprocess.run([sys.executable, "-m", "nbconvert", "--to", to, "tuan.ipynb"],
                       cwd=tmp_path, check=True, capture_output=True, timeout=120)
    html = (tmp_path / "tuan.html").read_text(encoding="utf-8")
    assert '<html lang="vi">' in html and "<script" not in html and CODE_MARKER not in html
    assert "Tiếp nhận 69 phản ánh, kiến nghị." in pdf_text(tmp_path / "tuan.pdf")


def documents_notebook(*documents: str, before: str = "") -> nbformat.NotebookNode:
    """A page showing `documents` (HTML) one after the other in one output, as the
    department reminders do, and `before` in a Markdown cell above them."""
    html = "".join(f'<article class="wb-reminder wb-document">{d}</article>'
                   for d in documents)
    cells = [new_markdown_cell(before)] if before else []
    return new_notebook(cells=[*cells, new_code_cell("r", outputs=[
        new_output("display_data", data={"text/html": html})])])


def test_documents_of_a_page_are_each_the_page_without_the_others() -> None:
    from wardbrief.publish.render.documents import documents_of_page

    page = render.notebook_to_html(documents_notebook(
        "<p>Phiếu một</p>", "<p>Phiếu hai</p><article><p>bên trong</p></article>",
        "<p>Phiếu ba</p>", before="Ghi chú của văn phòng"), "department_reminders")
    one, two, three = documents_of_page(page)
    assert "Phiếu một" in one and "Phiếu hai" not in one and "Phiếu ba" not in one
    assert "Phiếu hai" in two and "bên trong" in two and "Phiếu một" not in two
    assert "Phiếu ba" in three and "bên trong" not in three
    for split in (one, two, three):  # what is not a document stays: head, Markdown, body
        assert split.count('class="wb-reminder wb-document"') == 1
        assert "Ghi chú của văn phòng" in split and split.rstrip().endswith("</html>")
    single = render.notebook_to_html(documents_notebook("<p>Phiếu một</p>"), "x")
    assert documents_of_page(single) == [single]


def test_pdf_of_several_documents_numbers_each_documents_pages(tmp_path: Path) -> None:
    """Reminders in one report.pdf: a two-page reminder then a one-page one read
    "Trang 1/2, Trang 2/2, Trang 1/1" (one layout would number them 1/3 to 3/3)."""
    long = "".join(f"<p>Dòng {i} của phiếu thứ nhất.</p>" for i in range(60))
    page = render.notebook_to_html(documents_notebook(long, "<p>Phiếu thứ hai.</p>"),
                                   "department_reminders")
    pdf = render.html_to_pdf(page, tmp_path / "reminders.pdf", base_url=tmp_path)
    text = pdf_text(pdf)
    assert re.findall(r"Trang \d+/\d+", text) == ["Trang 1/2", "Trang 2/2", "Trang 1/1"]
    assert text.index("Dòng 59 của phiếu thứ nhất.") < text.index("Phiếu thứ hai.")


def test_a_page_prints_the_same_after_other_pages_of_the_process(page: str,
                                                                   tmp_path: Path) -> None:
    """Every page a process lays out shares its fonts (exporters.font_configuration):
    a page laid out after others, a joined page of several documents among them, gives
    the PDF it gives with fonts of its own, byte for byte."""
    from wardbrief.publish.render.exporters import (
        SYSTEM_FONTS,
        FontConfiguration,
        LocalOnlyFetcher,
    )
    from weasyprint import HTML

    others = render.notebook_to_html(documents_notebook("<p>Phiếu thứ nhất.</p>",
                                                        "<p>Phiếu thứ hai.</p>"),
                                     "department_reminders")
    render.html_to_pdf(others, tmp_path / "others.pdf", base_url=tmp_path)
    shared = render.html_to_document(page, tmp_path).write_pdf()
    own = HTML(string=page, base_url=f"{tmp_path.resolve()}/",
               url_fetcher=LocalOnlyFetcher(TEMPLATES_DIR, tmp_path, SYSTEM_FONTS)).render(
        font_config=FontConfiguration()).write_pdf()
    assert shared == own


def rows_per_page(pdf: Path, pages: int) -> list[int]:
    """How many rows ("PA-…") each page of `pdf` holds."""
    return [len(re.findall(r"PA-\d{4}", subprocess.run(
        ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True,
        text=True, check=True).stdout)) for n in range(1, pages + 1)]


def test_pdf_of_a_table_leaves_no_row_alone_on_its_last_page(tmp_path: Path) -> None:
    """A table one row longer than a page: its last page holds two rows, not one (the
    monthly report's annex ended with a page of one row under the repeated header)."""
    def table_pdf(rows: int) -> Path:
        frame = pd.DataFrame({"Mã phản ánh": [f"PA-{i:04d}" for i in range(rows)],
                              "Đơn vị xử lý": ["Công an phường"] * rows})
        html = render.notebook_to_html(new_notebook(cells=[new_code_cell("t", outputs=[
            new_output("display_data", data={"text/html": frame.to_html(index=False)})])]),
            "x")
        return render.html_to_pdf(html, tmp_path / f"rows{rows}.pdf", base_url=tmp_path)

    first_page = rows_per_page(table_pdf(80), 1)[0]
    counts = rows_per_page(table_pdf(first_page + 1), 2)
    assert counts == [first_page - 1, 2]


def test_the_rule_under_a_title_clears_the_descenders_of_its_subject() -> None:
    """A one-line subject ("… phản ánh, kiến nghị của người dân năm 2026"): the rule
    under it sits clear of its p, g and ị, not as an underline of those words."""
    title = ('<div class="wb-title"><div class="wb-title-kind">BÁO CÁO</div><div '
             'class="wb-title-subject">Kết quả tiếp nhận, xử lý phản ánh, kiến nghị năm 2026'
             '</div><div class="wb-rule"></div></div>')
    html = render.notebook_to_html(new_notebook(cells=[new_code_cell("t", outputs=[
        new_output("display_data", data={"text/html": title})])]), "year_report")

    def boxes(box):
        yield box
        for child in getattr(box, "children", None) or []:
            yield from boxes(child)

    page = render.html_to_document(html).pages[0]._page_box
    found = {}
    for box in boxes(page):
        classes = (box.element.get("class") or "") if box.element is not None else ""
        if box.element_tag == "div" and classes in ("wb-title-subject", "wb-rule"):
            found[classes] = box
    subject, rule = found["wb-title-subject"], found["wb-rule"]
    gap_pt = (rule.border_box_y() - (subject.border_box_y() + subject.border_height())) * 0.75
    assert gap_pt >= 6
