"""E-mail without a server: the [mail] settings and the password, the DonVi Email column,
each e-mail's letter (the report's summary sections), the sent log, and the figures of the Theo dõi tab."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import openpyxl
import pytest
from builders import FIXTURES, read
from builders import metrics as builders_metrics
from wardbrief.briefings import documents, fmt, labels, letters
from wardbrief.briefings.briefing import Briefing
from wardbrief.briefings.report import report_document
from wardbrief.config import ConfigError, load_mail_settings, smtp_password
from wardbrief.document import email
from wardbrief.document.model import Paragraph
from wardbrief.figures import exports
from wardbrief.figures.metrics import compute_metrics, load
from wardbrief.publish import mail
from wardbrief.publish.tracking import (
    issue_rows,
    tracking_case_rows,
    tracking_rows,
    tracking_task_rows,
    write_tracking_workbook,
)

AS_OF = dt.date(2026, 11, 27)
PASSWORD = "s3cret-Đông-Hải-p@ss"
MAIL_TOML = """
[mail]
host = "mail.haiphong.gov.vn"
security = "starttls"
user = "vp.donghai"
from = "Văn phòng UBND phường <vp.donghai@haiphong.gov.vn>"
leadership = ["chutich@haiphong.gov.vn", "pct1@haiphong.gov.vn; pct2@haiphong.gov.vn"]
office = "vp.donghai@haiphong.gov.vn"
"""


@pytest.fixture(scope="module")
def messy_metrics() -> dict:
    return compute_metrics(load(FIXTURES / "messy.xlsx"), AS_OF)


def write_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    path = tmp_path / "wardbrief.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("WARDBRIEF_CONFIG", str(path))
    monkeypatch.delenv("WARDBRIEF_SMTP_PASSWORD", raising=False)
    return path


# --- settings and password -------------------------------------------------------------------

def test_mail_settings_are_read_with_defaults(tmp_path, monkeypatch):
    write_config(tmp_path, monkeypatch, MAIL_TOML)
    settings = load_mail_settings()
    assert settings.port == 587 and settings.security == "starttls"
    assert settings.leadership == ("chutich@haiphong.gov.vn", "pct1@haiphong.gov.vn",
                                   "pct2@haiphong.gov.vn")
    assert settings.office == "vp.donghai@haiphong.gov.vn"
    write_config(tmp_path, monkeypatch, MAIL_TOML.replace('"starttls"', '"ssl"'))
    assert load_mail_settings().port == 465


@pytest.mark.parametrize("change, words", [
    (lambda t: t.replace('security = "starttls"', 'security = "tls"'), "starttls, ssl or none"),
    (lambda t: t.replace('host = "mail.haiphong.gov.vn"\n', ""), "lacks host"),
    (lambda t: t + 'password = "x"\n', "holds a password"),
    (lambda t: "", "no [mail] section"),
])
def test_bad_mail_settings_say_what_is_wrong(tmp_path, monkeypatch, change, words):
    write_config(tmp_path, monkeypatch, change(MAIL_TOML))
    with pytest.raises(ConfigError, match=words.replace("[", r"\[").replace("]", r"\]")):
        load_mail_settings()


def test_password_from_environment_or_a_private_file(tmp_path, monkeypatch):
    secret = tmp_path / "smtp-password"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    write_config(tmp_path, monkeypatch, MAIL_TOML + f'password_file = "{secret}"\n')
    settings = load_mail_settings()
    secret.chmod(0o644)
    with pytest.raises(ConfigError, match=f"chmod 600 {secret}") as refused:
        smtp_password(settings)
    assert PASSWORD not in str(refused.value)
    with pytest.raises(ConfigError):
        mail.check_settings(settings)  # refused before anything is built
    secret.chmod(0o600)
    assert smtp_password(settings) == PASSWORD
    monkeypatch.setenv("WARDBRIEF_SMTP_PASSWORD", "from-env")
    assert smtp_password(settings) == "from-env"
    assert PASSWORD not in repr(settings) and "from-env" not in repr(settings)


def test_a_user_without_a_password_is_a_problem(tmp_path, monkeypatch):
    write_config(tmp_path, monkeypatch, MAIL_TOML)
    problems = mail.check_settings(load_mail_settings())
    assert any("WARDBRIEF_SMTP_PASSWORD" in p for p in problems)


# --- DonVi Email ---------------------------------------------------------------------------------

@pytest.mark.parametrize("header", ["Email", "E-mail", "Thư điện tử", "THU DIEN TU"])
def test_department_addresses_from_the_email_column(header):
    departments = [["Mã đơn vị", "Tên đơn vị", "Thủ trưởng", header],
                   ["VP", "Văn phòng", "Nguyễn Văn An", " vp@donghai.gov.vn ; chanhvp@donghai.gov.vn"],
                   ["CA", "Công an phường", "Phạm Văn Dũng", None]]
    wb = read(departments=departments)
    assert "chanhvp@donghai.gov.vn" in wb.departments.loc["VP", "email"]
    metrics = compute_metrics(wb, AS_OF)
    assert metrics["departments"]["VP"]["email"] == ["vp@donghai.gov.vn", "chanhvp@donghai.gov.vn"]
    assert metrics["departments"]["CA"]["email"] == []
    assert wb.issues == []  # an optional column: nothing to report when blank


# --- the plain-text page-1 message -----------------------------------------------------------

def test_a_briefing_letter_is_the_report_s_summary_sections(messy_metrics):
    """The weekly e-mail: greeting, what is sent for which period, then the briefing's own
    I. sentence and page-1 box (the same sections as its PDF), the attachment, the footer."""
    letter = letters.briefing_letter("weekly_briefing", messy_metrics, "sha256:" + "ab" * 32)
    assert letter.names() == ["greeting", "intro", "headline", "key_points", "attached", "footer"]
    doc = documents.weekly_document(messy_metrics)
    assert letter["key_points"] == doc["key_points"]
    assert letter["headline"].blocks == tuple(
        b for b in doc["headline"].blocks if isinstance(b, Paragraph))  # without its table
    text = email.plain(letter)
    assert text.startswith("Kính gửi: Lãnh đạo Ủy ban nhân dân phường Đông Hải,\n\n"
                           "Văn phòng gửi Báo cáo giao ban tuần, kỳ báo cáo từ ngày 21/11/2026 "
                           "đến ngày 27/11/2026.\n\n")
    totals = messy_metrics["cases"]["totals"]
    # counts as page 1 writes them: below ten with a leading zero
    assert f"tiếp nhận {fmt.count_formal(totals['received'])} phản ánh, kiến nghị" in text
    assert f"\n{Briefing(messy_metrics).verdict()}\n" in text
    assert Briefing(messy_metrics).verdict().startswith("Đánh giá: chưa đạt yêu cầu.")
    assert (f"- Còn {fmt.count_formal(totals['open_overdue'])} phản ánh chưa trả lời đã quá "
            "hạn, tại: Phòng Kinh tế, Hạ tầng và Đô thị (07)") in text
    assert "Chỉ số | Kỳ này" not in text
    assert text.endswith(f"(mã kiểm tra {'ab' * 6}). Không trả lời thư này; liên hệ Văn phòng "
                         "phường Đông Hải.\n")
    page = email.html(letter)
    assert "Đánh giá: chưa đạt yêu cầu." in page and "<ol class=\"wb-actions\">" in page
    # a period the sheet covers only from its middle says so, after the period
    partial = letters.briefing_letter("weekly_briefing", {**messy_metrics, "data_from": "2026-11-23"},
                                      "sha256:ab")
    assert partial["intro"].text().splitlines()[1] == (
        "Bảng tính có dữ liệu từ ngày 23/11/2026: số liệu của kỳ tính từ ngày đó.")


def test_a_formal_report_s_letter_mails_its_results_and_shortcomings(messy_metrics):
    monthly = {**messy_metrics, "period": {"kind": "month", "label": "2026-11",
                                           "start": "2026-11-01", "end": "2026-11-27"}}
    letter = letters.briefing_letter("monthly_report", monthly, "sha256:cd")
    doc = report_document(monthly, "monthly_report")
    assert letter.names() == ["greeting", "intro", "cases", "shortcomings", "attached", "footer"]
    assert letter["cases"] == doc["cases"] and letter["shortcomings"] == doc["shortcomings"]
    text = email.plain(letter)
    assert "I. KẾT QUẢ THỰC HIỆN" in text and "II. TỒN TẠI, HẠN CHẾ" in text
    assert "Văn phòng gửi Báo cáo kết quả tiếp nhận" in text


def test_no_overdue_and_nothing_resolved_read_right():
    metrics = compute_metrics(read(), AS_OF)
    text = email.plain(letters.briefing_letter("weekly_briefing", metrics, "sha256:ef"))
    assert labels.OVERDUE_NONE in text
    assert labels.RATE_NONE["on_time_rate"] in text
    for wrong in (" ,", "—.", ": .", "còn ,", "None", "nan"):
        assert wrong not in text, wrong


@pytest.mark.parametrize("workbook", ["messy", "empty"])
@pytest.mark.parametrize("report", ["weekly_briefing", "monthly_report", "department_reminders",
                                    "data_quality"])
def test_every_letter_reads_right_when_a_list_is_empty(workbook, report):
    """Plain and HTML, every letter of a report: no hole where a list or a figure is
    missing (an empty workbook: every tab there, no row in any)."""
    m = (compute_metrics(load(FIXTURES / "messy.xlsx"), AS_OF) if workbook == "messy"
         else builders_metrics(AS_OF, cases=[], tasks=[], posts=[], targets=[]))
    if report == "department_reminders":
        from wardbrief.briefings import reminder

        made = [letters.reminder_letter(m, code, "sha256:00") for code in reminder.reminder_codes(m)]
        assert made or workbook == "empty"
    elif report == "data_quality":
        made = [letters.data_quality_letter(m, "sha256:00")]
    else:
        made = [letters.briefing_letter(report, m, "sha256:00")]
    for letter in made:
        page = email.html(letter).split("</head>")[1]  # the body: what the reader reads
        for text in (email.plain(letter), " ".join(re.sub(r"<[^>]+>", " ", page).split())):
            for wrong in (" ,", "—.", ": .", "còn ,", "None", " nan", "{"):
                assert wrong not in text, (wrong, letter.title)


def test_the_data_quality_letter_is_the_list_s_own_sections(messy_metrics):
    """To the office: the list's summary and its errors as the PDF has them, each fix
    naming its sheet, row, cell and column; a cell of a Google Sheet with its link."""
    metrics = json.loads(json.dumps(messy_metrics))
    first = next(i for i in metrics["data_issues"] if i["severity"] == "error")
    first["link"] = "https://docs.google.com/spreadsheets/d/K/edit#gid=3&range=B36"
    doc = documents.data_quality_document(metrics)
    letter = letters.data_quality_letter(metrics, "sha256:0123456789abcdef")
    assert letter.names() == ["greeting", "summary", "errors", "attached", "footer"]
    assert letter["summary"] == doc["summary"] and letter["errors"] == doc["errors"]
    text = email.plain(letter)
    assert "Tổng số: 40 vấn đề, gồm 13 lỗi và 27 cảnh báo." in text
    assert "Bảng tính có 13 lỗi." in text and "Trang PhanAnh\nDòng | Ô | Cột | Nội dung lỗi" in text
    assert (f"36 | B36 <{first['link']}> | Mã phản ánh | Thiếu mã phản ánh; dòng bị loại"
            in text)
    assert "239 | C239 | Ngày tiếp nhận | Thiếu ngày tiếp nhận; dòng bị loại" in text
    assert "Cảnh báo (dòng vẫn được tính" not in text  # the PDF has the warnings
    assert f'<a href="{first["link"].replace("&", "&amp;")}">B36</a>' in email.html(letter)
    assert labels.MAIL_DATA_QUALITY_ATTACHED in text


def test_a_long_list_of_errors_is_mailed_as_its_sentences(messy_metrics):
    metrics = json.loads(json.dumps(messy_metrics))
    error = next(i for i in metrics["data_issues"] if i["severity"] == "error")
    metrics["data_issues"] += [dict(error, row=1000 + n, cell=f"B{1000 + n}")
                               for n in range(letters.MAILED_FIXES)]
    text = email.plain(letters.data_quality_letter(metrics, "sha256:00"))
    assert f"Bảng tính có {13 + letters.MAILED_FIXES} lỗi." in text
    assert "Dòng | Ô | Cột" not in text and "B1000" not in text
    assert labels.MAIL_DATA_QUALITY_ATTACHED in text


def test_a_workbook_without_issues_says_so_and_that_the_list_is_empty():
    metrics = builders_metrics(AS_OF)
    assert not metrics["data_issues"]
    text = email.plain(letters.data_quality_letter(metrics, "sha256:00"))
    assert "Bảng tính không có lỗi dữ liệu." in text
    assert labels.MAIL_DATA_QUALITY_EMPTY in text and "Danh sách đầy đủ" not in text


# --- the sent log ----------------------------------------------------------------------------------

def delivery(recipient: str = "a@x.vn", fingerprint: str = "sha256:aaa") -> mail.Delivery:
    return mail.Delivery("weekly_briefing", recipient, "Chủ đề", "Kính gửi,\n\nthân\n", [],
                         "2026-11-27", "2026-11-21", fingerprint, sender="vp@x.vn")


def test_sent_log_keys_and_survives_a_torn_last_line(tmp_path):
    log = mail.SentLog(tmp_path / "_sent.jsonl")
    first = delivery()
    log.record(first, first.message_id())
    with (tmp_path / "_sent.jsonl").open("a", encoding="utf-8") as handle:
        handle.write('{"key": {"report": "weekly_br')  # a crash in the middle of a line
    again = mail.SentLog(tmp_path / "_sent.jsonl")
    assert again.last(delivery().key())["fingerprint"] == "sha256:aaa"
    assert again.last(delivery("A@X.VN").key()) is not None  # addresses compared lower-case
    assert again.last(delivery("b@x.vn").key()) is None
    assert delivery().message_id() == first.message_id()
    assert delivery(fingerprint="sha256:bbb").message_id() != first.message_id()


def test_a_replacement_is_marked_in_subject_and_body():
    d = delivery(fingerprint="sha256:bbbbbbbbbbbbbbbb")
    mail.mark_replacement(d, {"fingerprint": "sha256:aaaaaaaaaaaaaaaa", "message_id": "<m@x>",
                              "sent_at": "2026-11-27T16:05:00+07:00"})
    assert d.subject == "[Thay thế] Chủ đề"
    assert d.body.splitlines()[2].startswith("Thư này thay thế thư đã gửi lúc 27/11/2026 16:05")
    message = mail.build_message(d)
    assert message["In-Reply-To"] == "<m@x>"


# --- the Theo dõi tab --------------------------------------------------------------------------------

def test_open_cases_are_every_open_case_most_urgent_first(messy_metrics):
    cases = messy_metrics["open_cases"]
    assert len(cases) == messy_metrics["cases"]["totals"]["open"]
    overdue = [c for c in cases if c["state"] == "overdue"]
    assert len(overdue) == messy_metrics["cases"]["totals"]["open_overdue"]
    assert {c["case_id"] for c in overdue} == {
        c["case_id"] for c in messy_metrics["cases"]["overdue_cases"]}
    late = {c["case_id"]: c["working_days_late"] for c in messy_metrics["cases"]["overdue_cases"]}
    assert all(c["working_days_left"] == -late[c["case_id"]] for c in overdue)
    soon = [c for c in cases if c["state"] == "due_soon"]
    assert len(soon) == messy_metrics["cases"]["totals"]["open_due_soon"]
    keys = [(c["working_days_left"], c["case_id"]) for c in cases]
    assert keys == sorted(keys)
    assert set(cases[0]) == {"case_id", "department", "received", "due", "working_days_left",
                             "state"}  # no reporter, no phone, no citizen text


def test_open_tasks_are_the_tasks_not_completed(messy_metrics):
    tasks = messy_metrics["open_tasks"]
    items = messy_metrics["tasks"]["items"]
    assert {t["task_id"] for t in tasks} == {i["task_id"] for i in items if i["completed"] is None}
    order = [mail_state_rank(t["state"]) for t in tasks]
    assert order == sorted(order)
    assert sum(t["state"] == "overdue" for t in tasks) == messy_metrics["tasks"]["totals"]["overdue"]


def mail_state_rank(state: str) -> int:
    return ["overdue", "due_soon", "on_track", "no_deadline"].index(state)


def test_tracking_rows_show_metrics_in_its_order(messy_metrics):
    case_rows = tracking_case_rows(messy_metrics)
    assert case_rows[0] == [c.header for c in exports.OPEN_CASE_COLUMNS]
    assert [r[0] for r in case_rows[1:]] == [c["case_id"] for c in messy_metrics["open_cases"]]
    assert [r[4] for r in case_rows[1:]] == [c["working_days_left"]
                                             for c in messy_metrics["open_cases"]]
    assert case_rows[1][5] == "quá hạn"
    assert case_rows[1][3] == dt.date.fromisoformat(messy_metrics["open_cases"][0]["due"])
    task_rows = tracking_task_rows(messy_metrics)
    assert [r[0] for r in task_rows[1:]] == [t["task_id"] for t in messy_metrics["open_tasks"]]
    rows = tracking_rows(messy_metrics)
    assert rows[0] == ["THEO DÕI THỜI HẠN XỬ LÝ - tính đến hết ngày 27/11/2026"]


def test_theo_doi_xlsx_cells_are_the_rows_with_their_types_bold_and_widths(messy_metrics,
                                                                          tmp_path):
    metrics = json.loads(json.dumps(messy_metrics))
    metrics["open_tasks"][0]["content"] = "=1+1 (nội dung bắt đầu bằng dấu bằng)"
    metrics["data_issues"][0]["message"] = '=HYPERLINK("http://x", "bấm")'
    when = dt.datetime(2026, 11, 27, 17, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    target = write_tracking_workbook(metrics, tmp_path / "theo-doi.xlsx", generated_at=when)
    book = openpyxl.load_workbook(target)
    cases, tasks = len(metrics["open_cases"]), len(metrics["open_tasks"])
    assert cases > 20 and tasks > 5
    head = tracking_rows(metrics)[:3]  # title, note, blank: as on the sheet's one tab
    expected = {
        # tab: (rows, rows in bold: title, heading, header row; row 2, the note, is not)
        "Theo dõi": ([*head, [labels.TRACKING_CASES_HEADING], *tracking_case_rows(metrics)],
                     {1, 4, 5}),
        "Theo dõi nhiệm vụ": ([*head, [labels.TRACKING_TASKS_HEADING],
                               *tracking_task_rows(metrics)], {1, 4, 5}),
        "Lỗi dữ liệu": (issue_rows(metrics, when), {1, 4}),
    }
    assert book.sheetnames == list(expected)
    for tab, (rows, bold) in expected.items():
        sheet, width = book[tab], max(len(row) for row in rows)
        assert sheet.max_row == len(rows) and sheet.max_column == width
        for r, row in enumerate(sheet.iter_rows(max_col=width), start=1):
            values = rows[r - 1] + [""] * (width - len(rows[r - 1]))
            for cell, value in zip(row, values, strict=True):
                if isinstance(value, dt.date):  # a date cell, shown dd/mm/yyyy
                    assert (cell.value.date(), cell.data_type, cell.number_format) == (
                        value, "d", "DD/MM/YYYY"), (tab, cell.coordinate)
                    continue
                assert cell.value == (value if value != "" else None), (tab, cell.coordinate)
                if value != "":
                    kind = "n" if isinstance(value, (int, float)) else "s"
                    assert cell.data_type == kind, (tab, cell.coordinate)
                    assert cell.font.b is (r in bold), (tab, cell.coordinate)
                    assert cell.font.name == "Times New Roman", (tab, cell.coordinate)
    assert book["Theo dõi"].cell(row=5, column=5).value == (
        "Số ngày làm việc còn lại (âm: quá hạn)")
    assert isinstance(book["Theo dõi"].cell(row=6, column=5).value, int)
    task = book["Theo dõi nhiệm vụ"].cell(row=6, column=2)
    assert (task.value, task.data_type) == ("=1+1 (nội dung bắt đầu bằng dấu bằng)", "s")
    issue = book["Lỗi dữ liệu"].cell(row=5, column=6)
    assert (issue.value, issue.data_type) == ('=HYPERLINK("http://x", "bấm")', "s")
    # no date as text: every date of both tables is a date cell
    dated = [c for tab in ("Theo dõi", "Theo dõi nhiệm vụ") for row in book[tab].iter_rows()
             for c in row if c.data_type == "d"]
    assert len(dated) == 2 * cases + sum(1 for t in metrics["open_tasks"] if t["due"])
    texts = [c.value for sheet in book.worksheets[:2] for row in sheet.iter_rows(min_row=5)
             for c in row if isinstance(c.value, str)]
    assert not [t for t in texts if re.fullmatch(r"\d{1,4}[-/]\d{1,2}[-/]\d{1,4}", t)]


def test_theo_doi_xlsx_prints_each_table_under_its_header_a_page_wide(messy_metrics, tmp_path):
    """Printed, each tab is a table a landscape A4 page wide (its columns were printed a
    few to a page, the header once), its header row frozen and repeated on every page, a
    date's column wide enough for dd/mm/yyyy, longer text wrapped in a row as tall as its
    lines; the sample's mark in each page's header, `Trang n/m` in its footer."""
    target = write_tracking_workbook(messy_metrics, tmp_path / "theo-doi.xlsx")
    book = openpyxl.load_workbook(target)
    for tab, header, widths in (("Theo dõi", 5, {"A": 17, "B": 36, "C": 15, "D": 13}),
                                ("Theo dõi nhiệm vụ", 5, {"A": 14, "E": 14}),
                                ("Lỗi dữ liệu", 4, {"F": 60})):
        sheet = book[tab]
        assert sheet.freeze_panes == f"A{header + 1}"
        assert sheet.print_title_rows == f"${header}:${header}"
        setup = sheet.page_setup
        assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == (
            "landscape", 9, 1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert {k: sheet.column_dimensions[k].width for k in widths} == widths
        assert sheet.oddFooter.center.text == "Trang &P/&N"
        assert not sheet.oddHeader.right.text  # the ward's own figures: no mark
    tasks = book["Theo dõi nhiệm vụ"]
    long = next(r for r in range(6, tasks.max_row + 1)
                if len(tasks.cell(row=r, column=2).value) > 60)
    assert tasks.cell(row=long, column=2).alignment.wrap_text
    assert tasks.row_dimensions[long].height >= 28  # two lines at least
    demo = write_tracking_workbook({**messy_metrics, "demo": True}, tmp_path / "demo.xlsx")
    for sheet in openpyxl.load_workbook(demo).worksheets:
        assert sheet.oddHeader.right.text == "&BDỮ LIỆU MẪU"


def test_theo_doi_xlsx_that_cannot_be_put_in_place_leaves_no_temporary_file(
        messy_metrics, tmp_path, monkeypatch):
    import os

    def full_disk(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError, match="No space left"):
        write_tracking_workbook(messy_metrics, tmp_path / "theo-doi.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_issue_rows_carry_the_cell_links(messy_metrics):
    metrics = json.loads(json.dumps(messy_metrics))
    metrics["data_issues"][0]["link"] = "https://docs.google.com/spreadsheets/d/K/edit#gid=3&range=B7"
    rows = issue_rows(metrics, dt.datetime(2026, 11, 27, 16, 0))
    assert rows[3] == [c.header for c in exports.ISSUE_COLUMNS]
    link = [c.key for c in exports.ISSUE_COLUMNS].index("link")
    assert rows[4][link].endswith("#gid=3&range=B7")
    assert rows[4][2] == metrics["data_issues"][0]["row"]
