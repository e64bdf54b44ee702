"""Everything `wardbrief run all --send` makes from the bundled sample (issue 22), read as
its readers get it: every PDF page, every Word file, every e-mail and theo-doi.xlsx says
DỮ LIỆU MẪU; each department's reminder is a document of its own, with sentences that
read right."""

from __future__ import annotations

import html as _html
import json
import re
import subprocess
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from builders import REPO
from docx import Document
from smtp_standin import SmtpStandIn, configure_mail
from wardbrief.commands import cli

AS_OF = "2026-11-27"
MARK = "DỮ LIỆU MẪU"
LEADERS = ["chutich@donghai.gov.vn"]
OFFICE = "vanphong@donghai.gov.vn"


def sample_with_emails(target: Path) -> Path:
    """The bundled sample (CauHinh `Dữ liệu mẫu` = Có) with a DonVi `Email` column: every
    department's reminder is mailed."""
    book = openpyxl.load_workbook(REPO / "data" / "donghai-demo.xlsx")
    donvi = book["DonVi"]
    column = donvi.max_column + 1
    donvi.cell(row=1, column=column, value="Email")
    for row in range(2, donvi.max_row + 1):
        code = str(donvi.cell(row=row, column=1).value).lower()
        donvi.cell(row=row, column=column, value=f"{code}@donghai.gov.vn")
    book.save(target)
    return target


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory):
    """(outputs folder, messages received): `run all --send` on the sample, once."""
    tmp = tmp_path_factory.mktemp("sample")
    source = sample_with_emails(tmp / "donghai-demo.xlsx")
    out = tmp / "outputs"
    with SmtpStandIn(tmp) as server, pytest.MonkeyPatch.context() as patch:
        configure_mail(tmp, server, patch, LEADERS, OFFICE)
        code = cli.main(["run", "all", "--source", str(source), "--as-of", AS_OF,
                         "--out", str(out), "--send"])
        messages = list(server.messages)
    assert code == 0
    return out, messages


def published(out: Path, pattern: str) -> list[Path]:
    """Files of the published folders (the links), not of the versions behind them."""
    return sorted(p for p in out.glob(f"*/*/{pattern}")
                  if not any(part.startswith(".") for part in p.relative_to(out).parts))


def pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.split("\f")[:-1]  # a form feed ends every page


def word_text(path: Path) -> str:
    """Every paragraph of a Word file, its tables' cells included, one per line."""
    document = Document(str(path))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines += [cell.text for cell in row.cells]
    return "\n".join(lines)


def body(received) -> str:
    return received.message.get_body(("plain",)).get_content()


def test_the_sample_s_metrics_say_demo(sample_run):
    out, _ = sample_run
    for path in published(out, "metrics.json"):
        assert json.loads(path.read_text(encoding="utf-8"))["demo"] is True, path


def test_every_pdf_page_from_the_sample_is_marked(sample_run):
    out, _ = sample_run
    pdfs = published(out, "*.pdf") + published(out, "reminders/*.pdf")
    names = {p.parent.name.split("-")[0] + "/" + p.name for p in pdfs}
    # the sample begins in August 2026: no half-year or year report of a period before it
    assert {"weekly_briefing/report.pdf", "monthly_report/report.pdf",
            "quarterly_report/report.pdf", "data_quality/report.pdf",
            "department_reminders/report.pdf", "reminders/KTHTDT.pdf"} <= names
    assert not {"half_year_report/report.pdf", "year_report/report.pdf"} & names
    for pdf in pdfs:
        for number, page in enumerate(pdf_pages(pdf), start=1):
            assert MARK in page, f"{pdf} page {number}"


def test_every_word_file_from_the_sample_has_the_mark_in_its_headers(sample_run):
    out, _ = sample_run
    files = published(out, "*.docx") + published(out, "reminders/*.docx")
    assert len(files) == 2 + 6  # the monthly and quarterly reports, 6 departments' reminders
    for path in files:
        section = Document(str(path)).sections[0]
        for header in (section.header, section.first_page_header):
            assert MARK in "\n".join(p.text for p in header.paragraphs), path


def test_every_e_mail_from_the_sample_is_marked_in_its_subject_and_first_line(sample_run):
    _, messages = sample_run
    # three reports to the leadership, the data-quality list to the office, six reminders
    assert len(messages) >= len(LEADERS) * 3 + 1 + 6
    for received in messages:
        assert str(received.message["Subject"]).startswith(f"[{MARK}] ")
        assert body(received).splitlines()[0].startswith(f"{MARK}: ")
        # the HTML alternative: the mark first, the same words; no sentence with a hole
        page = received.message.get_body(("html",)).get_content()
        first = re.search(r"<body[^>]*>\s*<p[^>]*>([^<]*)</p>", page)
        assert first and first.group(1).startswith(f"{MARK}: ")
        words = " ".join(_html.unescape(re.sub(r"<[^>]+>", " ", page.split("</head>")[1])).split())
        for text in (" ".join(body(received).split()), words):
            for wrong in (" ,", "—.", ": .", "còn ,", "None", " nan"):
                assert wrong not in text, (wrong, str(received.message["Subject"]))


def test_theo_doi_xlsx_from_the_sample_is_marked_on_each_tab(sample_run):
    out, _ = sample_run
    book = openpyxl.load_workbook(out / AS_OF / "theo-doi.xlsx", read_only=True)
    for sheet in book.worksheets:
        title = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True))[0]
        assert title.startswith(f"{MARK} — "), sheet.title


DATE = re.compile(r"\b\d{2}/\d{2}/\d{4}\b")


@pytest.fixture(scope="module")
def as_printed(sample_run, tmp_path_factory):
    """{Word file or theo-doi.xlsx: its text as LibreOffice prints it (soffice -> PDF ->
    pdftotext -layout), pages apart by form feeds}: one LibreOffice run for them all."""
    out, _ = sample_run
    files = (published(out, "*.docx") + published(out, "reminders/*.docx")
             + [out / AS_OF / "theo-doi.xlsx"])
    folder = tmp_path_factory.mktemp("printed")
    copies = []
    for number, path in enumerate(files):  # reminders and reports share names: numbered
        copies.append(folder / f"{number:02d}-{path.name}")
        copies[-1].write_bytes(path.read_bytes())
    profile = folder / "lo-profile"  # its own profile: another soffice may be running
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), *map(str, copies)],
                   check=True, capture_output=True, timeout=300)
    return {path: "\f".join(pdf_pages(copy.with_suffix(".pdf")))
            for path, copy in zip(files, copies, strict=True)}


@pytest.fixture(scope="module")
def word_as_printed(as_printed):
    return {path: text for path, text in as_printed.items() if path.suffix == ".docx"}


def test_a_reminders_word_file_prints_on_as_many_pages_as_its_pdf(word_as_printed):
    reminders = {path: printed for path, printed in word_as_printed.items()
                 if path.parent.name == "reminders"}
    assert len(reminders) >= 5
    for path, printed in reminders.items():
        assert len(printed.split("\f")) == len(pdf_pages(path.with_suffix(".pdf"))), path
    assert any(len(printed.split("\f")) > 1 for printed in reminders.values())


def _page_start(page: str) -> str:
    """The first line of a printed page's text, its header (the mark, the page number,
    `Trang n/m`) aside, white space made single."""
    for line in page.splitlines():
        text = " ".join(line.split())
        if text and MARK not in text and not re.fullmatch(r"\d+|Trang \d+/\d+", text):
            return text
    return ""


def test_a_formal_reports_word_file_turns_its_pages_where_its_pdf_does(word_as_printed):
    """Each page of report.docx before its annex, as LibreOffice prints it, begins with
    the text its PDF's page begins with: the file signed reads as the PDF, page for page
    (the annex is a table in Word, lines in phu_luc.pdf)."""
    reports = {path: printed for path, printed in word_as_printed.items()
               if path.name == "report.docx"}
    assert len(reports) >= 2
    for path, printed in reports.items():
        word = [_page_start(page) for page in printed.split("\f")]
        body = word[:next(i for i, start in enumerate(word) if start == "Phụ lục")]
        pdf = [_page_start(page) for page in pdf_pages(path.with_name("report.pdf"))]
        assert len(body) >= 3, path
        assert [start[:40] for start in body] == [start[:40] for start in pdf[:len(body)]], path


def test_libreoffice_prints_every_date_of_a_word_file_on_one_line(word_as_printed):
    for path, printed in word_as_printed.items():
        dates = DATE.findall(word_text(path))
        assert dates, path
        assert sorted(DATE.findall(printed)) == sorted(dates), path  # none cut ("15/06/202/6")


def test_theo_doi_xlsx_prints_whole_rows_under_their_header_on_marked_pages(sample_run,
                                                                           as_printed):
    """Every page of theo-doi.xlsx as LibreOffice prints it: DỮ LIỆU MẪU and `Trang n/m`;
    each page that holds a case or a task starts its table with the header row; each
    case's row whole on its line (code, unit, both dates dd/mm/yyyy, days, state: the
    columns were printed a few to a page, the header on the first page only); every date
    of the workbook printed whole."""
    out, _ = sample_run
    path = out / AS_OF / "theo-doi.xlsx"
    pages = as_printed[path].split("\f")
    book = openpyxl.load_workbook(path)
    cases = {row[0]: row for row in book["Theo dõi"].iter_rows(min_row=6, values_only=True)}
    tasks = [row[0] for row in book["Theo dõi nhiệm vụ"].iter_rows(min_row=6, values_only=True)]
    assert len(cases) > 20 and len(tasks) > 5
    seen: list[str] = []
    for number, page in enumerate(pages, start=1):
        assert MARK in page.splitlines()[0] and f"Trang {number}/{len(pages)}" in page, number
        lines = [line for line in page.splitlines() if line.strip()]
        first = next((i for i, line in enumerate(lines) if re.match(r"\s*(PA|NV)-\d", line)),
                     None)
        if first is None:
            continue
        code = lines[first].split()[0]
        header = "Mã phản ánh" if code.startswith("PA") else "Mã nhiệm vụ"
        assert any(header in line for line in lines[:first]), (number, lines[:first])
        for line in lines[first:]:
            words = line.split()
            if words and words[0] in cases:
                case = cases[words[0]]
                whole = [f"{d:%d/%m/%Y}" for d in case[2:4]] + [str(case[4]), case[5]]
                assert all(w in line for w in whole), (number, line)
                seen.append(words[0])
    assert sorted(seen) == sorted(cases)  # every case printed once, on one line
    dates = [f"{c.value:%d/%m/%Y}" for sheet in book for row in sheet.iter_rows()
             for c in row if c.is_date]
    assert len(dates) > 40 and not Counter(dates) - Counter(DATE.findall(as_printed[path]))


def test_no_word_file_or_e_mail_has_a_sentence_with_a_hole(sample_run):
    out, messages = sample_run
    texts = {str(p): word_text(p) for p in published(out, "*.docx") +
             published(out, "reminders/*.docx")}
    texts.update({f"mail to {m.rcpt_tos}: {m.message['Subject']}": body(m) for m in messages})
    for name, text in texts.items():
        for hole in (" ,", "—.", ": .", "còn ,", "có ."):
            assert hole not in text, (name, hole)


def test_each_reminder_pdf_numbers_its_own_pages(sample_run):
    out, _ = sample_run
    pdfs = published(out, "reminders/*.pdf")
    assert len(pdfs) == 6
    for pdf in pdfs:
        texts = pdf_pages(pdf)
        for number, text in enumerate(texts, start=1):
            assert f"Trang {number}/{len(texts)}" in text, pdf


def test_each_reminder_pdf_is_the_pages_report_pdf_shows_for_it(sample_run):
    """A department's PDF is written from the pages report.pdf laid out for its reminder:
    the same pages, in the report's order of the units (DonVi), none left out."""
    out, _ = sample_run
    [report] = [p for p in published(out, "report.pdf") if p.parent.name == "department_reminders"]
    pages = pdf_pages(report)
    metrics = json.loads((report.parent / "metrics.json").read_text(encoding="utf-8"))
    order = [code for code in metrics["departments"]]
    own = {pdf.stem: pdf_pages(pdf) for pdf in published(out, "reminders/*.pdf")}
    shown = sorted(own, key=lambda stem: order.index(stem) if stem in order else len(order))
    assert [page for stem in shown for page in own[stem]] == pages


def closing_of(path: Path) -> str:
    """The paragraph before `Nơi nhận:` in a Word file (the ask, the closing sentence)."""
    document = Document(str(path))
    body = document.element.body
    signature = next(t for t in document.tables if t.rows[0].cells[0].text.startswith("Nơi nhận:"))
    before = [p for p in document.paragraphs
              if body.index(p._p) < body.index(signature._tbl) and p.text.strip()]
    return before[-1].text


def test_no_page_of_a_word_file_or_reminder_holds_only_a_signature(sample_run, word_as_printed):
    """The page with `Nơi nhận:` and the signature also holds what comes before the closing
    paragraph: the last rows of the table above it, or the paragraph before it (the Word
    reminders of KTHTDT and TTDVSNC printed the ask and the signature alone on page 2)."""
    out, _ = sample_run
    printed = dict(word_as_printed)
    printed.update({pdf: "\f".join(pdf_pages(pdf)) for pdf in published(out, "reminders/*.pdf")})
    for path, text in printed.items():
        closing = " ".join(closing_of(path.with_suffix(".docx")).split()[:6])
        [page] = [p for p in text.split("\f") if "Nơi nhận:" in p]
        before = " ".join(page.split("Nơi nhận:")[0].split())
        assert closing in before, (path, before)
        above = before.rsplit(closing, 1)[0]  # the last: a title may open alike
        lines = [w for w in above.split() if w != MARK and not w.isdigit()
                 and w not in MARK.split()]
        assert lines, (path, "the closing paragraph opens the signature's page")
        if path.parent.name == "reminders":  # a table's last row (a case or a task) above
            assert re.search(r"\b(PA|NV)-\d{4}-\d+", above), (path, above)


def test_the_office_s_own_reminder_goes_to_the_leadership_under_its_name(sample_run):
    _, messages = sample_run
    [office] = [m for m in messages if "Văn phòng HĐND và UBND phường" in str(
        m.message["Subject"]) and "Báo cáo phản ánh" in str(m.message["Subject"])]
    assert office.rcpt_tos == LEADERS
    mark, blank, greeting = body(office).splitlines()[:3]  # the sample's mark, first
    assert mark.startswith("DỮ LIỆU MẪU: ") and blank == ""
    assert greeting == "Kính gửi: Chủ tịch Ủy ban nhân dân phường Đông Hải,"
    assert sorted(p.get_filename() for p in office.message.iter_attachments()) == [
        f"bao-cao-van-phong-VP-{AS_OF}.docx", f"bao-cao-van-phong-VP-{AS_OF}.pdf"]


def test_each_reminder_s_word_file_prints_on_as_many_pages_as_its_pdf(sample_run,
                                                                      word_as_printed):
    """The same document in the same body size (13 pt): a one-page reminder is one page
    in Word too (the Word files of CA and VHXH ran onto a second page for the signature)."""
    out, _ = sample_run
    reminders = {path: text for path, text in word_as_printed.items()
                 if path.parent.name == "reminders"}
    assert len(reminders) == 6
    for path, printed in reminders.items():
        assert Document(str(path)).styles["Normal"].font.size.pt == 13, path
        pdf = len(pdf_pages(path.with_suffix(".pdf")))
        assert len(printed.split("\f")) == pdf, path
    # report.pdf: each reminder numbers its own pages, in the order of the reminders
    numbers = re.findall(r"Trang \d+/\d+", "".join(pdf_pages(
        out / AS_OF / "department_reminders" / "report.pdf")))
    assert numbers[:2] == ["Trang 1/1", "Trang 1/2"] and "Trang 1/1" in numbers[2:]
