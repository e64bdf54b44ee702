"""The report notebooks, in two layers (as man-group/notebooker tests its templates).

Sanity: every notebook in notebooks/ is a clean, thin, parameterized template.
Regression: every notebook is executed (papermill, through wardbrief.run.engine) once per
sample workbook, rendered to HTML and PDF, and the PDF's text is read back: the figures
the reader needs and every case id of the accountability list are on the page.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from builders import FIXTURES, REPO
from wardbrief import paths
from wardbrief.briefings import briefing, fmt, reminder
from wardbrief.city import publish as city_publish
from wardbrief.figures.metrics import compute_metrics, load
from wardbrief.run import build, engine, registry, reports, store

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
REPORT_CSS = REPO / "templates" / "wardbrief" / "reports"
AS_OF, PERIOD_START = dt.date(2026, 11, 27), dt.date(2026, 11, 1)
PARAMETERS = {"source", "as_of", "period_start", "ward_name", "allow_stale", "metrics_path"}
SECRET_WORDS = re.compile(r"secret|token|password|passwd|credential|api_?key|private", re.IGNORECASE)
# A notebook never parses a date nor computes a figure: these belong to the package.
FORBIDDEN_CALLS = {"strptime", "fromisoformat", "to_datetime", "read_excel", "read_csv",
                   "compute_metrics", "date", "datetime", "sum", "len", "round"}
LOOPS = (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.DictComp,
         ast.GeneratorExp)
MAX_CELL_LINES = 6
CITY_REPORT = city_publish.REPORT_NAME


def code_cells(path: Path) -> list[nbformat.NotebookNode]:
    return [c for c in nbformat.read(str(path), as_version=4).cells if c.cell_type == "code"]


# --- sanity layer ---------------------------------------------------------------------------

SHARED = {"period_report": ("quarterly_report", "half_year_report", "year_report")}


def notebook_of(name: str) -> Path:
    return registry.REPORTS[name].notebook


def test_one_notebook_per_report_and_no_two_alike():
    """Every report has its notebook; the quarterly, six-month and year reports share one
    (the report is its parameter); no two notebooks are copies."""
    # and the city briefing's (wardbrief.city.publish), over city.json, not a ward's metrics
    assert sorted(p.stem for p in NOTEBOOKS) == sorted(
        {notebook_of(n).stem for n in registry.REPORT_NAMES} | {CITY_REPORT})
    for shared, names in SHARED.items():
        assert {notebook_of(n).stem for n in names} == {shared}
    sources = ["\n".join(c.source for c in code_cells(p)[1:]) for p in NOTEBOOKS]
    assert len(set(sources)) == len(sources)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_a_clean_template(path):
    nb = nbformat.read(str(path), as_version=4)
    nbformat.validate(nb)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged `parameters`"
    for cell in code_cells(path):
        assert cell.outputs == [], "committed without outputs"
        assert cell.execution_count is None, "committed without execution counts"
    if path.stem in SHARED:  # the report is the parameter's
        assert "report" not in nb.metadata.get("wardbrief", {})
    else:
        assert nb.metadata["wardbrief"]["report"] == path.stem
    for report in SHARED.get(path.stem, (path.stem,)):
        assert (REPORT_CSS / f"{report}.css").is_file()
    assert nb.metadata["kernelspec"]["name"] == engine.KERNEL_NAME


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_are_the_runners_and_never_a_secret(path):
    cell = next(c for c in code_cells(path) if "parameters" in c.metadata.get("tags", []))
    names = {t.id for node in ast.parse(cell.source).body for t in node.targets}
    if path.stem == CITY_REPORT:
        assert names == set(city_publish.PARAMETERS)
    else:
        assert names == PARAMETERS | ({"report"} if path.stem in SHARED else set())
    assert set(build.notebook_parameters({"as_of": "2026-11-27"}, "x.xlsx", False)) == PARAMETERS
    assert not SECRET_WORDS.search(cell.source)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_cells_are_thin(path):
    for cell in code_cells(path):
        tree = ast.parse(cell.source)
        if "parameters" not in cell.metadata.get("tags", []):  # one line per parameter
            assert len(cell.source.strip().splitlines()) <= MAX_CELL_LINES, cell.source
        assert not [n for n in ast.walk(tree) if isinstance(n, LOOPS)], f"loop in: {cell.source}"
        calls = {n.func.attr if isinstance(n.func, ast.Attribute) else getattr(n.func, "id", "")
                 for n in ast.walk(tree) if isinstance(n, ast.Call)}
        assert not calls & FORBIDDEN_CALLS, cell.source
        assert not [n for n in ast.walk(tree) if isinstance(n, ast.BinOp)], cell.source


# --- regression layer ---------------------------------------------------------------------------

def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    return " ".join(out.split())


@pytest.fixture(scope="module", params=["clean", "messy"])
def published(request, tmp_path_factory):
    """Every report built once for a sample, as `wardbrief run all` does."""
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) reads the PDFs: make system-deps"
    sample = request.param
    source = str(FIXTURES / f"{sample}.xlsx")
    metrics = compute_metrics(load(source), AS_OF, PERIOD_START)
    out = tmp_path_factory.mktemp(f"outputs-{sample}")
    with store.run_lock(out):
        result = reports.run_reports(list(registry.REPORTS.values()), lambda _report: metrics,
                                    source, False, out)
    assert not result.failed, {name: str(exc) for name, exc in result.failed.items()}
    return sample, metrics, result.published


def test_every_notebook_executes_without_error(published):
    _sample, _metrics, folders = published
    assert sorted(folders) == sorted(registry.REPORT_NAMES)
    for name, folder in folders.items():
        nb = nbformat.read(str(folder / "report.ipynb"), as_version=4)
        outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
        assert not [o for o in outputs if o.output_type == "error"], name
        shown = [o for o in outputs if o.output_type in ("display_data", "execute_result")]
        assert len(shown) == len(code_cells(notebook_of(name))) - 2, name
        html = (folder / "report.html").read_text(encoding="utf-8")
        assert "load_briefing" not in html and "<script" not in html.lower()


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE).group(1))


def page_one(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(path), "-"],
                         capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


def test_pdfs_hold_the_figures_and_the_annex_every_accountable_case(published):
    sample, metrics, folders = published
    expected = json.loads((FIXTURES / f"{sample}.expected.json").read_text(encoding="utf-8"))
    totals = expected["cases"]["totals"]
    accountable = [c["case_id"] for c in expected["cases"]["overdue_cases"]
                   + expected["cases"]["late_cases"]]
    assert accountable
    for name in ("weekly_briefing", "monthly_report"):
        text = pdf_text(folders[name] / "report.pdf")
        assert f"tiếp nhận {fmt.count_formal(totals['received'])} phản ánh" in text, name
        assert f"(đạt {fmt.percent_vn(totals['on_time_rate'])})" in text, name
        assert f"trong đó {fmt.count_formal(totals['open_overdue'])} phản ánh đã quá hạn" in text
        annex = pdf_text(folders[name] / briefing.ANNEX_FILE)
        missing = [case_id for case_id in accountable if case_id not in annex]
        assert not missing, f"{name}: {missing}"
        assert "PHỤ LỤC" in annex.upper()
    assert page_count(folders["weekly_briefing"] / "report.pdf") <= 4
    assert_page_one_holds_the_message(folders["weekly_briefing"] / "report.pdf", metrics)
    weekly = pdf_text(folders["weekly_briefing"] / "report.pdf")
    assert "Danh sách phản ánh, kiến nghị chưa trả lời hoặc trả lời không đúng thời hạn".upper() \
        in weekly
    monthly = pdf_text(folders["monthly_report"] / "report.pdf")
    assert "Đông Hải, ngày 27 tháng 11 năm 2026" in monthly
    assert "TM. ỦY BAN NHÂN DÂN" in monthly and "Nơi nhận:" in monthly


def assert_page_one_holds_the_message(pdf: Path, metrics: dict) -> None:
    """Page 1 of the weekly briefing: the compliance rate, the overdue count and the
    department holding most overdue cases."""
    import unicodedata

    text = unicodedata.normalize("NFC", page_one(pdf))
    totals = metrics["cases"]["totals"]
    assert f"Tỷ lệ tuân thủ thời hạn {fmt.percent_vn(totals['compliance_rate'])}" in text
    overdue = totals["open_overdue"]
    if overdue:
        worst = max((c for c in metrics["cases"]["by_department"]),
                    key=lambda c: metrics["cases"]["by_department"][c]["open_overdue"])
        name = unicodedata.normalize("NFC", metrics["departments"][worst]["name"])
        assert f"Còn {fmt.count_formal(overdue)} phản ánh chưa trả lời đã quá hạn" in text
        assert name in text, name
    for bad in ("nan", "None", "—."):
        assert bad not in text.split() and "—." not in text


def test_one_reminder_pdf_per_department(published):
    _sample, metrics, folders = published
    folder = folders["department_reminders"]
    codes = briefing.reminder_departments(metrics)
    assert codes
    assert sorted(p.stem for p in (folder / "reminders").glob("*.pdf")) == sorted(codes)
    everything = pdf_text(folder / "report.pdf")
    # report.pdf: each reminder numbers its own pages, as its own PDF does
    assert page_numbers(everything) == [number for code in codes for number in page_numbers(
        pdf_text(folder / "reminders" / f"{code}.pdf"))]
    assert len(codes) > 1
    for code in codes:
        text = pdf_text(folder / "reminders" / f"{code}.pdf")
        cases = [c["case_id"] for c in metrics["cases"]["overdue_cases"]
                 + metrics["cases"]["due_soon_cases"] if c["department"] == code]
        tasks = [i["task_id"] for i in metrics["tasks"]["items"] if i["lead"] == code
                 and (i["bucket"] == "overdue" or i["due_soon"])]
        assert cases + tasks and all(item in text for item in cases + tasks), code
        assert all(case_id in everything for case_id in cases), code
        if reminder.to_leadership(metrics, code):  # the office's own: its report to the Chairman
            assert "Kính gửi: Chủ tịch Ủy ban nhân dân phường" in text, code
        else:
            head = metrics["departments"][code]["head"]
            assert head and head in text, code
        pages = page_count(folder / "reminders" / f"{code}.pdf")
        assert f"Trang {pages}/{pages}" in text, code  # its own pages, not the report's
        assert page_count(folder / "reminders" / f"{code}.pdf") <= 2


def page_numbers(text: str) -> list[str]:
    return re.findall(r"Trang \d+/\d+", text)


def boxes_past_the_right_margin(html: str) -> list[tuple[int, str, float]]:
    """(page, tag, points) of every box of the laid-out page that ends past the right
    edge of the page's content area: a table or figure too wide for A4."""
    from weasyprint import HTML

    def descendants(box):
        yield box
        for child in getattr(box, "children", None) or []:
            yield from descendants(child)

    found = []
    for number, page in enumerate(HTML(string=html).render().pages, start=1):
        page_box = page._page_box
        right = page_box.content_box_x() + page_box.width
        for box in descendants(page_box.children[0] if page_box.children else page_box):
            if not getattr(box, "element_tag", None) or not hasattr(box, "border_width"):
                continue
            overflow = box.border_box_x() + box.border_width() - right
            if overflow > 0.5:
                found.append((number, box.element_tag, round(overflow, 1)))
    return found


def test_nothing_runs_past_the_right_margin(published):
    _sample, _metrics, folders = published
    for name, folder in folders.items():
        html = (folder / "report.html").read_text(encoding="utf-8")
        assert boxes_past_the_right_margin(html) == [], name


def test_data_quality_pdf_lists_the_issues(published):
    _sample, metrics, folders = published
    text = pdf_text(folders["data_quality"] / "report.pdf")
    issues = metrics["data_issues"]
    if issues:
        assert f"Tổng số: {fmt.int_vn(len(issues))} vấn đề" in text
    else:
        assert "Bảng tính không có lỗi dữ liệu." in text


PLAIN_RUN_TEXT = {  # what each notebook shows when run by plain papermill on the sample
    "weekly_briefing": ["BÁO CÁO GIAO BAN TUẦN", "ngày 27 tháng 11 năm 2026",
                        "Kỳ báo cáo: từ ngày 21/11/2026 đến ngày 27/11/2026"],
    # the formal reports cover their period ending on or before 27/11 (NĐ 09/2019 Điều 12)
    "monthly_report": ["BÁO CÁO", "tháng\u00a011/2026", "ngày 14 tháng 11 năm 2026"],
    "quarterly_report": ["BÁO CÁO", "quý III năm 2026", "ngày 14 tháng 9 năm 2026",
                         "từ ngày 15/06/2026 đến ngày 14/09/2026", "cùng kỳ năm trước"],
    "half_year_report": ["6 tháng đầu năm 2026", "ngày 14 tháng 6 năm 2026",
                         "từ ngày 15/12/2025 đến ngày 14/06/2026"],
    "year_report": ["năm 2025", "ngày 14 tháng 12 năm 2025", "Lũy kế từ đầu năm"],
    "department_reminders": ["PHIẾU ĐÔN ĐỐC", "ngày 27 tháng 11 năm 2026"],
    "data_quality": ["DANH SÁCH LỖI DỮ LIỆU", "27/11/2026"],
}


@pytest.mark.parametrize("name", registry.REPORT_NAMES)
def test_plain_papermill_run(tmp_path, name):
    """`papermill notebooks/X.ipynb out.ipynb -p as_of 2026-11-27` from any folder: the
    notebook reads the bundled sample and computes its own metrics."""
    import papermill

    assert (REPO / paths.DEFAULT_SOURCE).exists()
    parameters = {"as_of": "2026-11-27"}
    if notebook_of(name).stem != name:
        parameters["report"] = name
    nb = papermill.execute_notebook(str(notebook_of(name)),
                                    str(tmp_path / "out.ipynb"), parameters=parameters,
                                    kernel_name=engine.KERNEL_NAME, cwd=str(tmp_path),
                                    progress_bar=False)
    html = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells
                   if c.cell_type == "code" for o in c.outputs)
    for text in PLAIN_RUN_TEXT[name]:
        assert text in html, (name, text)


# --- personal data and untrusted text ---------------------------------------------------------

def personal_data(path: Path) -> tuple[set[str], set[str]]:
    """(reporter names, phone numbers as their last 9 digits) of a workbook."""
    wb = load(path)
    phones = {re.sub(r"\D", "", p)[-9:] for p in wb.cases["phone"].dropna()}
    return set(wb.reporter_names), {p for p in phones if len(p) == 9}


def briefing_texts(folder: Path) -> list[tuple[str, str]]:
    """(file, text) of every HTML and PDF a report published, reminders included."""
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in folder.rglob("*.html")]
    texts += [(p.name, pdf_text(p)) for p in folder.rglob("*.pdf")]
    return texts


def test_no_reporter_name_or_phone_in_any_briefing(published):
    sample, metrics, folders = published
    names, phones = personal_data(FIXTURES / f"{sample}.xlsx")
    assert len(names) > 200 and len(phones) > 200
    # a citizen may share a name with a department head, who is named as head
    names -= {info["head"] for info in metrics["departments"].values()}
    for report, folder in folders.items():
        for file, text in briefing_texts(folder):
            digits = re.sub(r"\D", "", text)
            assert not [n for n in names if n in text], (report, file)
            assert not [p for p in phones if p in digits], (report, file)


def test_script_in_a_listed_summary_shows_as_text(tmp_path):
    """A citizen's `<script>`, name and phone in the summary of an overdue case: escaped
    in the HTML, printed as text in the PDF, name and phone masked."""
    import openpyxl

    metrics = compute_metrics(load(FIXTURES / "messy.xlsx"), AS_OF, PERIOD_START)
    case_id = metrics["cases"]["overdue_cases"][0]["case_id"]
    book = openpyxl.load_workbook(FIXTURES / "messy.xlsx")
    sheet = book["PhanAnh"]
    header = [c.value for c in sheet[2]]
    id_col, text_col = header.index("Mã phản ánh") + 1, header.index("NỘI DUNG") + 1
    row = next(r for r in range(3, sheet.max_row + 1)
               if sheet.cell(r, id_col).value == case_id)
    sheet.cell(row, text_col).value = ('<script>alert("x")</script> Chị Đào Thị Hằng '
                                       "gọi 0903 111 222 báo ngập")
    sheet.cell(row, header.index("Người phản ánh") + 1).value = "Đào Thị Hằng"
    source = tmp_path / "script.xlsx"
    book.save(source)
    out = tmp_path / "outputs"
    metrics = compute_metrics(load(source), AS_OF, PERIOD_START)
    with store.run_lock(out):
        result = reports.run_reports([registry.REPORTS["weekly_briefing"]], lambda _r: metrics,
                                    str(source), False, out)
    folder = result.published["weekly_briefing"]
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert '&lt;script&gt;alert("x")&lt;/script&gt;' in html  # as nbconvert writes the text
    assert "<script" not in html.lower()
    pdf = pdf_text(folder / "report.pdf")
    assert '<script>alert("x")</script>' in pdf
    for text in (html, pdf):
        assert "Đào Thị Hằng" not in text and "0903" not in text
        assert "Đ.T.H." in text and "[số điện thoại]" in text


def test_a_5000_case_workbook_keeps_the_weekly_briefing_to_four_pages(tmp_path):
    """`wardbrief demo-data --cases 5000`: the weekly briefing stays at most 4 pages, page
    1 holds the message, and the annex lists every accountable case."""
    from wardbrief.commands import cli

    source = tmp_path / "demo-5000.xlsx"
    assert cli.main(["demo-data", "--cases", "5000", "--out", str(source)]) == 0
    metrics = compute_metrics(load(source), AS_OF)
    out = tmp_path / "outputs"
    with store.run_lock(out):
        result = reports.run_reports([registry.REPORTS["weekly_briefing"]], lambda _r: metrics,
                                    str(source), False, out)
    folder = result.published["weekly_briefing"]
    assert page_count(folder / "report.pdf") <= 4
    assert_page_one_holds_the_message(folder / "report.pdf", metrics)
    accountable = [c["case_id"] for c in metrics["cases"]["overdue_cases"]
                   + metrics["cases"]["late_cases"]]
    assert len(accountable) > 100
    annex = pdf_text(folder / briefing.ANNEX_FILE)
    assert [case_id for case_id in accountable if case_id not in annex] == []
