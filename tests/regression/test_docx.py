"""The Word files for signing (wardbrief.document.word, NĐ 30/2020/NĐ-CP Phụ lục I): each
opens with python-docx and is read back — page, margins, fonts, the header table, the
signature block, the page-number field, the key figures of metrics — then converted to
PDF with LibreOffice headless, whose text must hold the same figures.

Also the reporting cycle end to end: `wardbrief run quarterly_report --quarter 2026-Q4`
names its period in the folder, metrics.json and the title, and writes report.docx."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from builders import FIXTURES
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from lxml import etree
from wardbrief.briefings import fmt
from wardbrief.briefings.reminder import reminder_codes, reminder_document
from wardbrief.briefings.report import report_document
from wardbrief.commands import cli
from wardbrief.document import word
from wardbrief.document.model import Table, flat
from wardbrief.figures import periods
from wardbrief.figures.metrics import compute_metrics, load

QUARTER = periods.quarter(2026, 4)


@pytest.fixture(scope="module")
def messy():
    return load(FIXTURES / "messy.xlsx")


@pytest.fixture(scope="module")
def quarter_metrics(messy):
    return compute_metrics(messy, QUARTER.end, period=QUARTER)


@pytest.fixture(scope="module")
def files(tmp_path_factory, messy, quarter_metrics):
    """The quarterly report, the monthly report of 11/2026 and two reminders as .docx,
    and all of them converted to PDF by one LibreOffice run."""
    out = tmp_path_factory.mktemp("docx")
    month = periods.month(2026, 11)
    monthly = compute_metrics(messy, month.end, period=month)
    codes = reminder_codes(quarter_metrics)[:2]
    written = {
        "quarterly": word.write(report_document(quarter_metrics, "quarterly_report"), out / "q.docx"),
        "monthly": word.write(report_document(monthly), out / "m.docx"),
        **{code: word.write(reminder_document(quarter_metrics, code),
                            out / f"{code}.docx")
           for code in codes},
    }
    assert shutil.which("soffice"), "LibreOffice converts the Word files: make system-deps"
    profile = out / "lo-profile"  # its own profile: another soffice may be running
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), *map(str, written.values())],
                   check=True, capture_output=True, timeout=240)
    return {"monthly_metrics": monthly, "codes": codes, **written}


def text_of(document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return " ".join(" ".join(parts).split())


def pdf_text(path: Path, first: int | None = None, last: int | None = None) -> str:
    pages = (["-f", str(first)] if first else []) + (["-l", str(last)] if last else [])
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", *pages, str(path), "-"],
                         capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


def runs(cell):
    return [r for p in cell.paragraphs for r in p.runs if r.text.strip()]


def test_page_margins_and_page_numbers(files):
    document = docx.Document(str(files["quarterly"]))
    section = document.sections[0]
    def mm(length) -> float:  # Word keeps twentieths of a point
        return round(length.mm, 1)

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)  # A4
    assert (mm(section.top_margin), mm(section.bottom_margin)) == (20, 20)
    assert (mm(section.left_margin), mm(section.right_margin)) == (30, 15)
    # page numbers centred at the top from page 2: a PAGE field, an empty first page header
    assert section.different_first_page_header_footer
    header_xml = section.header._element.xml
    assert "PAGE" in "".join(e.text or "" for e in section.header._element.iter(qn("w:instrText")))
    assert 'w:fldCharType="begin"' in header_xml
    assert section.header.paragraphs[0].alignment == 1  # centred
    assert section.first_page_header.paragraphs[0].text == ""


def test_fonts_are_times_new_roman_for_every_script(files):
    for name in ("quarterly", files["codes"][0]):
        document = docx.Document(str(files[name]))
        normal = document.styles["Normal"]
        body = 14 if name == "quarterly" else 13  # a reminder in its PDF's 13 pt
        assert normal.font.name == "Times New Roman" and normal.font.size.pt == body
        fonts = normal.element.rPr.find(qn("w:rFonts"))
        assert {fonts.get(qn(a)) for a in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")} == {
            "Times New Roman"}
        all_runs = [r for p in document.paragraphs for r in p.runs if r.text.strip()] + [
            r for t in document.tables for row in t.rows for c in row.cells for r in runs(c)]
        assert all_runs
        for run in all_runs:
            assert run.font.name == "Times New Roman", run.text
            r_fonts = run._element.rPr.find(qn("w:rFonts"))
            assert r_fonts.get(qn("w:eastAsia")) == r_fonts.get(qn("w:cs")) == "Times New Roman"
            size = run.font.size or normal.font.size  # none of its own: the body's
            assert 10 <= size.pt <= 14, run.text  # a table's cells 10 or 11 pt, as the PDF
        defaults = document.styles.element.find(qn("w:docDefaults")).find(
            qn("w:rPrDefault")).find(qn("w:rPr"))
        fonts = defaults.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == "Times New Roman"  # text with no style too
        # kerned from the smallest size, as the PDF's text: lines break where the PDF's do
        assert defaults.find(qn("w:kern")).get(qn("w:val")) == "1"


def test_paragraphs_are_set_as_their_pdf_sets_them(files):
    """A formal report (reports/_formal.css): body 14 pt, its first line indented 1 cm,
    lines 1.04 apart; a note 11 pt italic, not indented. A reminder
    (reports/department_reminders.css): body 13 pt, not indented."""
    for name, body_pt, indent_cm in (("quarterly", 14, 1.0), (files["codes"][0], 13, 0.0)):
        document = docx.Document(str(files[name]))
        normal = document.styles["Normal"]
        assert normal.font.size.pt == body_pt
        assert round(normal.paragraph_format.line_spacing, 2) == 1.04  # in 240ths of a line
        justified = [p for p in document.paragraphs if len(p.text) > 80 and p.alignment == 3]
        body = [p for p in justified if p.runs[0].font.size is None]  # the body's size
        assert body, name
        for paragraph in body:
            assert round(paragraph.paragraph_format.first_line_indent.cm, 2) == indent_cm, name
        if name == "quarterly":
            notes = [p for p in justified if p.runs[0].font.italic]
            assert notes
            for note in notes:
                assert note.runs[0].font.size.pt == 11 and not note.runs[0].font.bold
                assert not note.paragraph_format.first_line_indent


def test_tables_are_set_as_their_pdf_sets_them(files, quarter_metrics):
    """Each table of cases or figures as the report's stylesheet sets it: the cells' size,
    lines 1.25 of it apart exactly, the padding above, below and at the sides (a
    reminder: 10 pt, 2 pt and 3 pt, reports/department_reminders.css; a formal report:
    11 pt, 2.5 pt and 4 pt, static/base.css); the table's properties in the schema's
    order (Word refuses a file whose elements are out of it)."""
    order = ["tblStyle", "tblW", "jc", "tblBorders", "tblLayout", "tblCellMar", "tblLook"]
    code = files["codes"][0]
    models = {"quarterly": report_document(quarter_metrics, "quarterly_report"),
              "monthly": report_document(files["monthly_metrics"]),
              code: reminder_document(quarter_metrics, code)}
    for name, size, padding in (("quarterly", 11, (2.5, 4)), ("monthly", 11, (2.5, 4)),
                                (code, 10, (2, 3))):
        document = docx.Document(str(files[name]))
        grids = [t for t in document.tables if t.style is not None and t.style.name == "Table Grid"]
        assert grids, name
        # a formal report's units table in 10 pt, as reports/_formal.css sets it
        units = {b.header for s in (*models[name].body(), *models[name].annexes())
                 for b in flat(s.blocks) if isinstance(b, Table) and "wb-departments" in b.css}
        assert bool(units) == (name != code), name
        seen_units = False
        assert document.styles["Table Grid"].font.size.pt == size
        cells_pt = size
        for table in grids:
            header = tuple(c.text for c in table.rows[0].cells)
            if table._tbl.tblPr.find(qn("w:tblStyle")) is not None and any(
                    r._tr.trPr is not None and r._tr.trPr.find(qn("w:tblHeader")) is not None
                    for r in table.rows[:1]):
                units_here = header in units
                cells_pt = 10 if units_here else size  # else: the last rows of the one above
                seen_units = seen_units or units_here
            margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
            twips = {m.tag.rpartition("}")[2]: int(m.get(qn("w:w"))) for m in margins}
            assert twips == {"top": padding[0] * 20, "bottom": padding[0] * 20,
                             "left": padding[1] * 20, "right": padding[1] * 20}, name
            for cell in (c for row in table.rows for c in row.cells):
                for paragraph in cell.paragraphs:
                    pf = paragraph.paragraph_format
                    assert pf.line_spacing_rule == WD_LINE_SPACING.EXACTLY, name
                    assert pf.line_spacing.pt == cells_pt * 1.25, name
                    assert all(r.font.size.pt == cells_pt for r in paragraph.runs), name
            for cell in table.rows[0].cells:  # the header row filled as the PDF's `th`
                shade = cell._tc.tcPr.find(qn("w:shd"))
                assert shade is not None and shade.get(qn("w:fill")) == "E9EDF2", name
        assert seen_units == (name != code), name
        for table in document.tables:  # the header table and the signature's too
            tags = [e.tag.rpartition("}")[2] for e in table._tbl.tblPr]
            known = [t for t in tags if t in order]
            assert known == sorted(known, key=order.index), (name, tags)


# ECMA-376 part 1 (WordprocessingML): the order of the children of these properties.
# Word refuses a file ("unreadable content") where one comes before its predecessor.
SCHEMA_ORDER = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
           "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap "
           "overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd "
           "snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
           "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr "
           "sectPr pPrChange",
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss "
           "imprint noProof snapToGrid vanish webHidden color spacing w kern position sz "
           "szCs highlight u effect bdr shd fitText vertAlign rtl cs em lang "
           "eastAsianLayout specVanish oMath",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize "
             "tblW jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook "
             "tblCaption tblDescription tblPrChange",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
            "tcFitText vAlign hideMark headers cellIns cellDel cellMerge tcPrChange",
    "sectPr": "headerReference footerReference footnotePr endnotePr type pgSz pgMar "
              "paperSrc pgBorders lnNumType pgNumType cols formProt vAlign noEndnote titlePg "
              "textDirection bidi rtlGutter docGrid printerSettings sectPrChange",
}


def test_every_property_is_in_the_schemas_order(files):
    seen = 0
    for name in ("quarterly", "monthly", *files["codes"]):
        with zipfile.ZipFile(files[name]) as package:
            parts = [p for p in package.namelist()
                     if re.fullmatch(r"word/(document|styles|header\d*|footer\d*)\.xml", p)]
            for part in parts:
                root = etree.fromstring(package.read(part))
                for tag, names in SCHEMA_ORDER.items():
                    order = names.split()
                    for element in root.iter(qn(f"w:{tag}")):
                        children = [c.tag.rpartition("}")[2] for c in element
                                    if isinstance(c.tag, str)]
                        assert all(c in order for c in children), (name, part, children)
                        ranks = [order.index(c) for c in children]
                        assert ranks == sorted(ranks), (name, part, tag, children)
                        seen += 1
    assert seen > 500


def test_header_table_title_and_signature(files, quarter_metrics):
    document = docx.Document(str(files["quarterly"]))
    header = document.tables[0]
    left, right = header.rows[0].cells
    assert [(r.text, r.font.bold) for r in runs(left)] == [
        ("ỦY BAN NHÂN DÂN", True), ("PHƯỜNG ĐÔNG HẢI", True)]  # both lines of the issuer bold
    assert [(r.text, r.font.bold) for r in runs(right)] == [
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True), ("Độc lập - Tự do - Hạnh phúc", True)]
    number, date_line = header.rows[1].cells
    assert re.fullmatch(r"Số: +/BC-UBND", number.text)
    assert date_line.text == "Đông Hải, ngày 14 tháng 12 năm 2026"
    assert runs(date_line)[0].font.italic
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"nil"}
    body = [p for p in document.paragraphs if p.text.strip()]
    assert body[0].text == "BÁO CÁO" and body[0].runs[0].font.bold
    assert body[1].text == ("Kết quả tiếp nhận, xử lý phản ánh, kiến nghị của người dân "
                            "quý IV năm 2026")
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:3] == ["I. KẾT QUẢ THỰC HIỆN", "II. TỒN TẠI, HẠN CHẾ",
                            "III. NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI"]
    signature = next(t for t in document.tables if t.rows[0].cells[0].text.startswith("Nơi nhận:"))
    recipients, signer = signature.rows[0].cells
    title = runs(recipients)[0]
    assert title.text == "Nơi nhận:" and title.font.bold and title.font.italic
    # no signer named in CauHinh: what the PDF shows there, in its grey
    assert [r.text for r in runs(signer)] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH",
                                              "(Ký, ghi rõ họ tên)"]
    assert {r.font.bold for r in runs(signer)} == {True}
    assert str(runs(signer)[-1].font.color.rgb) == "555555"


def test_key_figures_are_the_metrics(files, quarter_metrics):
    document = docx.Document(str(files["quarterly"]))
    text = text_of(document)
    t = quarter_metrics["cases"]["totals"]
    assert f"tiếp nhận {fmt.count_formal(t['received'])} phản ánh" in text
    assert f"đúng hạn {fmt.count_formal(t['resolved_on_time'])} phản ánh" in text
    assert f"(đạt {fmt.percent_vn(t['on_time_rate'])})" in text
    comparison = next(tb for tb in document.tables if tb.rows[0].cells[0].text == "Chỉ số")
    header = [c.text for c in comparison.rows[0].cells]
    # the sample begins in 2026: no case in the same quarter of 2025, a column left out
    # (not a column of zeros) and the note says so
    compared = quarter_metrics["comparisons"]
    assert compared["same_period_last_year"]["cases"]["totals"]["received"] == 0
    assert header == ["Chỉ số", "Kỳ báo cáo", "Kỳ trước", "Lũy kế từ đầu năm"]
    assert "cùng kỳ năm trước: không có số liệu" in text
    received = [c.text for c in comparison.rows[1].cells]
    assert received[1:] == [fmt.int_vn(v) for v in (
        t["received"], compared["previous_period"]["cases"]["totals"]["received"],
        compared["year_to_date"]["cases"]["totals"]["received"])]
    departments = next(tb for tb in document.tables if tb.rows[0].cells[0].text == "Xếp hạng")
    total = [c.text for c in departments.rows[-1].cells]
    assert total[2:6] == [fmt.int_vn(t[k]) for k in ("received", "resolved", "resolved_on_time",
                                                     "resolved_late")]
    accountable = [c["case_id"] for c in quarter_metrics["cases"]["overdue_cases"]
                   + quarter_metrics["cases"]["late_cases"]]
    assert accountable and all(case_id in text for case_id in accountable)
    monthly = text_of(docx.Document(str(files["monthly"])))
    m = files["monthly_metrics"]["cases"]["totals"]
    assert "tháng 11/2026" in monthly and "Đông Hải, ngày 14 tháng 11 năm 2026" in monthly
    assert f"tiếp nhận {fmt.count_formal(m['received'])} phản ánh" in monthly


def test_reminders_name_their_cases(files, quarter_metrics):
    for code in files["codes"]:
        text = text_of(docx.Document(str(files[code])))
        if code == "VP":  # the office's own: its report to the Chairman, not to itself
            assert "BÁO CÁO" in text and "Kính gửi: Chủ tịch Ủy ban nhân dân phường" in text
            assert "TL. CHỦ TỊCH" not in text and re.search(r"Số: +/BC-VP", text)
        else:
            head = quarter_metrics["departments"][code]["head"]
            assert "PHIẾU ĐÔN ĐỐC" in text and head in text and "TL. CHỦ TỊCH" in text
            assert re.search(r"Số: +/PĐĐ-VP", text)
        # `Kính gửi: …` bold, as the PDF prints it (reports/department_reminders.css)
        [addressee] = [p for p in docx.Document(str(files[code])).paragraphs
                       if p.text.startswith("Kính gửi:")]
        assert addressee.runs and all(r.font.bold for r in addressee.runs), code
        cases = [c["case_id"] for c in quarter_metrics["cases"]["overdue_cases"]
                 + quarter_metrics["cases"]["due_soon_cases"] if c["department"] == code]
        assert cases and all(case_id in text for case_id in cases)


def test_the_signature_takes_the_last_rows_of_the_table_above_it(quarter_metrics, tmp_path):
    """Issue 22: no page holds only the ask and the signature. What comes before
    `Nơi nhận:` back to the last table is kept with the next block, and that table's last
    two rows are a table of their own after a hairline paragraph, kept with the ask
    (LibreOffice does not carry the last rows of a table already run over a page break to
    the next page; a table of two rows it does)."""
    def last_table(code):
        return [b for s in reminder_document(quarter_metrics, code).body()
                for b in flat(s.blocks) if isinstance(b, Table)][-1]

    code = next(c for c in reminder_codes(quarter_metrics) if len(last_table(c).rows) >= 3)
    shaped = last_table(code)
    path = word.write(reminder_document(quarter_metrics, code), tmp_path / "r.docx")
    document = docx.Document(str(path))
    body = list(document.element.body)
    signature = next(t for t in document.tables if t.rows[0].cells[0].text.startswith("Nơi nhận:"))
    at = body.index(signature._tbl)
    main, hairline, tail, gap, ask, spacer = body[at - 6:at]
    assert [e.tag for e in (main, hairline, tail, gap, ask, spacer)] == [
        qn(f"w:{t}") for t in ("tbl", "p", "tbl", "p", "p", "p")]

    def rows(tbl):
        return [[c.text for c in r.cells] for r in docx.table.Table(tbl, document._body).rows]

    assert rows(main) == [list(shaped.header), *map(list, shaped.rows[:-2])]
    assert rows(tail) == list(map(list, shaped.rows[-2:]))  # no header: the rows alone
    for tr in tail.findall(qn("w:tr")):
        assert tr.trPr.find(qn("w:cantSplit")) is not None
        assert tr.trPr.find(qn("w:tblHeader")) is None
        assert all(docx.text.paragraph.Paragraph(p, None).paragraph_format.keep_with_next
                   for p in tr.iter(qn("w:p")))
    for p in (hairline, gap, ask, spacer):
        assert docx.text.paragraph.Paragraph(p, None).paragraph_format.keep_with_next
    assert docx.text.paragraph.Paragraph(ask, None).text.startswith("Đề nghị")
    assert docx.text.paragraph.Paragraph(hairline, None).paragraph_format.line_spacing.pt < 1
    # the table above ends without a rule; the rows' own top rule closes it on its page
    assert main.tblPr.find(qn("w:tblBorders")).find(qn("w:bottom")).get(qn("w:val")) == "nil"
    assert tail.tblPr.find(qn("w:tblBorders")) is None


def test_libreoffice_renders_the_same_figures(files, quarter_metrics):
    pdf = files["quarterly"].with_suffix(".pdf")
    text = pdf_text(pdf)
    t = quarter_metrics["cases"]["totals"]
    assert f"tiếp nhận {fmt.count_formal(t['received'])} phản ánh" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "TM. ỦY BAN NHÂN DÂN" in text
    assert "Đông Hải, ngày 14 tháng 12 năm 2026" in text
    assert all(c["case_id"] in text for c in quarter_metrics["cases"]["late_cases"])
    assert pdf_text(pdf, 2, 2).startswith("2 ")  # the number at the top of page 2
    assert not pdf_text(pdf, 1, 1).startswith("1 ")  # and none on page 1
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                           check=True).stdout
    assert "Serif" in fonts or "Times" in fonts  # Times New Roman or its metric twin
    for code in files["codes"]:
        assert ("BÁO CÁO" if code == "VP" else "PHIẾU ĐÔN ĐỐC") in pdf_text(
            files[code].with_suffix(".pdf"))


def test_no_reporter_name_or_phone_in_a_word_file(files, messy):
    names = set(messy.reporter_names) - {info["head"] for info in
                                         files["monthly_metrics"]["departments"].values()}
    phones = {re.sub(r"\D", "", p)[-9:] for p in messy.cases["phone"].dropna()}
    for name in ("quarterly", "monthly", *files["codes"]):
        text = text_of(docx.Document(str(files[name])))
        assert not [n for n in names if n in text], name
        digits = re.sub(r"\D", "", text)
        assert not [p for p in phones if len(p) == 9 and p in digits], name


def test_signer_from_cauhinh(quarter_metrics, tmp_path):
    metrics = json.loads(json.dumps(quarter_metrics))
    metrics["settings"].update(signer_name="Nguyễn Văn An", signer_title="Phó Chủ tịch",
                               doc_symbol="BC-UBND-VP")
    path = word.write(report_document(metrics, "quarterly_report"), tmp_path / "kt.docx")
    document = docx.Document(str(path))
    signature = document.tables[-1] if document.tables[-1].rows[0].cells[0].text.startswith(
        "Nơi nhận:") else next(t for t in document.tables
                               if t.rows[0].cells[0].text.startswith("Nơi nhận:"))
    assert [r.text for r in runs(signature.rows[0].cells[1])] == [
        "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"]
    assert re.fullmatch(r"Số: +/BC-UBND-VP", document.tables[0].rows[1].cells[0].text)


def test_text_a_word_file_cannot_hold_is_dropped(quarter_metrics, tmp_path):
    metrics = json.loads(json.dumps(quarter_metrics))
    case = metrics["cases"]["due_soon_cases"][0]
    case["summary"] = "Đèn hỏng\x07\x0b 😀 <b>gấp</b>"
    path = word.write(reminder_document(metrics, case["department"]), tmp_path / "r.docx")
    text = text_of(docx.Document(str(path)))
    assert "Đèn hỏng <b>gấp</b>" in text and "\x07" not in text and "😀" not in text


def test_quarterly_report_end_to_end(tmp_path, capsys):
    code = cli.main(["run", "quarterly_report", "--quarter", "2026-Q3", "--source",
                     str(FIXTURES / "messy.xlsx"), "--out", str(tmp_path)])
    assert code == 0, capsys.readouterr().err
    folder = tmp_path / "2026-09-14" / "quarterly_report-2026-Q3"
    metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["period"] == {"kind": "quarter", "label": "2026-Q3", "start": "2026-06-15",
                                 "end": "2026-09-14"}
    assert {"previous_period", "same_period_last_year", "year_to_date"} <= set(
        metrics["comparisons"])
    assert (folder / "report.docx").is_file() and (folder / "report.pdf").is_file()
    text = pdf_text(folder / "report.pdf")
    assert "quý III năm 2026" in text and "Lũy kế từ đầu năm" in text
    t = metrics["cases"]["totals"]
    assert f"tiếp nhận {fmt.count_formal(t['received'])} phản ánh" in text
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'href="2026-09-14/quarterly_report-2026-Q3/report.docx"' in index
    assert "quý III năm 2026" in index


def test_a_period_not_yet_ended_is_refused(tmp_path, capsys):
    assert cli.main(["run", "year_report", "--year", "2030", "--source",
                     str(FIXTURES / "messy.xlsx"), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "kết thúc ngày 14/12/2030, chưa đến" in err and "ends on 2030-12-14" in err
    assert not (tmp_path / "2030-12-14").exists()


def test_bad_named_period_exits_2(tmp_path, capsys):
    assert cli.main(["run", "quarterly_report", "--quarter", "2026-Q5", "--source",
                     str(FIXTURES / "messy.xlsx"), "--out", str(tmp_path)]) == 2
    assert "2026-Q5" in capsys.readouterr().err
