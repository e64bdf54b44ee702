"""`wardbrief send` and `run --send` against a real SMTP server on loopback (aiosmtpd with
STARTTLS and AUTH, tests/smtp_standin.py): who gets which message with which files, once;
a corrected sheet sends replacements; refusals, retries and failures reach the office;
the password is nowhere in what the suite writes or prints."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import json
import shutil
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from builders import FIXTURES, TESTS
from smtp_standin import PASSWORD, USER, SmtpStandIn, configure_mail
from wardbrief.briefings import briefing, fmt, labels, letters, reminder
from wardbrief.commands import cli
from wardbrief.document import email
from wardbrief.figures import fingerprints
from wardbrief.figures.metrics import compute_metrics, load
from wardbrief.figures.metrics_files import write_metrics
from wardbrief.publish import mail
from wardbrief.run import extras, registry

AS_OF = "2026-11-27"
LEADERS = ["chutich@donghai.gov.vn", "pct.vhxh@donghai.gov.vn"]
OFFICE = "vanphong@donghai.gov.vn"
EMAILS = {  # DonVi Email; TTDVSNC has none
    "VP": "vp@donghai.gov.vn",
    "KTHTDT": "kthtdt@donghai.gov.vn; pho.kthtdt@donghai.gov.vn",
    "VHXH": "vhxh@donghai.gov.vn",
    "TTPVHCC": "hcc@donghai.gov.vn",
    "CA": "conganphuong@donghai.gov.vn",
    "QS": "bchqs@donghai.gov.vn",
}


ANSWERED = "PA-2026-000779"  # received 26/11/2026, open as of 27/11 in messy.xlsx


def workbook_with_emails(target: Path, change_case: bool = False,
                         answer: str | None = None) -> Path:
    """messy.xlsx with an `Email` column in DonVi; when asked, the id of the last case
    (received after 27/11) corrected, or the case `answer` answered on 27/11/2026."""
    book = openpyxl.load_workbook(FIXTURES / "messy.xlsx")
    donvi = book["DonVi"]
    donvi.cell(row=1, column=5, value="Email")
    for row in range(2, donvi.max_row + 1):
        code = donvi.cell(row=row, column=1).value
        donvi.cell(row=row, column=5, value=EMAILS.get(code))
    cases = book["PhanAnh"]
    if change_case:
        cases.cell(row=cases.max_row, column=2).value = str(
            cases.cell(row=cases.max_row, column=2).value) + "-sửa"
    if answer:
        answer_case(cases, answer, dt.datetime(2026, 11, 27))
    book.save(target)
    _MADE[target] = (change_case, answer)
    return target


# The figures of each variant of the workbook, computed once for the module: every test
# publishes them again (`publish_fake`) into its own folder, from a copy.
_MADE: dict[Path, tuple[bool, str | None]] = {}
_FIGURES: dict[tuple[bool, str | None], dict] = {}


def figures_of(source: Path) -> dict:
    variant = _MADE.get(source)
    if variant is None:
        return compute_metrics(load(source), dt.date.fromisoformat(AS_OF))
    if variant not in _FIGURES:
        _FIGURES[variant] = compute_metrics(load(source), dt.date.fromisoformat(AS_OF))
    return copy.deepcopy(_FIGURES[variant])


def answer_case(cases, case_id: str, day: dt.datetime) -> None:
    """`Ngày trả lời` and `Trạng thái` of case `case_id` in the PhanAnh tab of messy.xlsx
    (its header on row 2)."""
    headers = {cell.value: cell.column for cell in cases[2]}
    [row] = [r for r in range(3, cases.max_row + 1)
             if cases.cell(row=r, column=headers["Mã phản ánh"]).value == case_id]
    cases.cell(row=row, column=headers["Ngày trả lời"], value=day)
    cases.cell(row=row, column=headers["Trạng thái"], value="Đã trả lời")


def publish_fake(out: Path, source: Path) -> dict:
    """What `run` publishes for the three mailed reports, with stand-in PDFs (the
    notebooks and WeasyPrint have tests of their own)."""
    metrics = figures_of(source)
    for report in ("weekly_briefing", "department_reminders", "data_quality"):
        folder = out / AS_OF / report
        shutil.rmtree(folder, ignore_errors=True)
        write_metrics(metrics, folder)
        (folder / "report.pdf").write_bytes(f"%PDF-1.4 {report} {metrics['source']['fingerprint']}"
                                            .encode())
    reminders = out / AS_OF / "department_reminders" / "reminders"
    reminders.mkdir()
    for code in briefing.reminder_departments(metrics):
        (reminders / f"{code}.pdf").write_bytes(f"%PDF-1.4 reminder {code}".encode())
    (reminders / "KTHTDT.docx").write_bytes(b"PK\x03\x04 docx of KTHTDT")
    return metrics


@pytest.fixture
def smtp(tmp_path, monkeypatch):
    waits: list[float] = []
    with SmtpStandIn(tmp_path) as server:
        server.waits = waits
        configure_mail(tmp_path, server, monkeypatch, LEADERS, OFFICE, waits.append)
        yield server


@pytest.fixture
def published(tmp_path) -> tuple[Path, dict]:
    out = tmp_path / "outputs"
    return out, publish_fake(out, workbook_with_emails(tmp_path / "donghai.xlsx"))


def addresses_of(code: str) -> list[str]:
    return [a.strip() for a in (EMAILS.get(code) or "").split(";") if a.strip()]


def send(out: Path, *extra: str, report: str = "all") -> int:
    return cli.main(["send", report, "--as-of", AS_OF, "--out", str(out), *extra])


def attachments(received) -> dict[str, bytes]:
    return {part.get_filename(): part.get_content() for part in received.message.iter_attachments()}


def body(received) -> str:
    return received.message.get_body(("plain",)).get_content()


def assert_no_password(out: Path, *texts: str) -> None:
    """The password — and its AUTH PLAIN / LOGIN encodings — in no file and no output."""
    forms = [PASSWORD.encode(), base64.b64encode(PASSWORD.encode()),
             base64.b64encode(f"\0{USER}\0{PASSWORD}".encode())]
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not any(form in data for form in forms), path
    for text in texts:
        assert not any(form.decode() in text for form in forms)


# --- who gets what ---------------------------------------------------------------------------

def test_send_all_delivers_each_reader_their_message(smtp, published, capsys):
    out, metrics = published
    assert send(out) == 0
    printed = capsys.readouterr()
    assert all(m.tls and m.authenticated for m in smtp.messages)
    assert smtp.logins and all(ok for _, ok in smtp.logins)

    folder = out / AS_OF
    for leader in LEADERS:
        [got] = smtp.to(leader)
        assert got.rcpt_tos == [leader] and got.message["To"] == leader
        assert got.message["Subject"] == (
            "[Phường Đông Hải] Báo cáo giao ban tuần - kỳ 21/11/2026 - 27/11/2026")
        assert attachments(got) == {
            "weekly_briefing-2026-11-27.pdf": (folder / "weekly_briefing/report.pdf").read_bytes()}
        text = body(got).replace("\r\n", "\n")
        # the text is the briefing's own summary (briefings.letters), plain and HTML
        letter = letters.briefing_letter("weekly_briefing", metrics, fingerprints.of_report(
            metrics, "weekly_briefing"))
        assert text == email.plain(letter)
        assert got.message.get_body(("html",)).get_content().replace("\r\n", "\n").rstrip() == \
            email.html(letter)
        totals = metrics["cases"]["totals"]
        # counts as page 1 writes them (below ten with a leading zero)
        assert f"tiếp nhận {fmt.count_formal(totals['received'])} phản ánh, kiến nghị" in text
        assert (f"- Còn {fmt.count_formal(totals['open_overdue'])} phản ánh chưa trả lời đã quá "
                "hạn, tại: ") in text
        assert text.startswith("Kính gửi: Lãnh đạo Ủy ban nhân dân phường Đông Hải,\n")

    codes = briefing.reminder_departments(metrics)
    assert "TTDVSNC" in codes and "KTHTDT" in codes and "VP" not in codes
    for code in codes:
        for address in addresses_of(code):
            [got] = smtp.to(address)
            expected = {f"phieu-don-doc-{code}-{AS_OF}.pdf":
                        (folder / f"department_reminders/reminders/{code}.pdf").read_bytes()}
            if code == "KTHTDT":
                expected[f"phieu-don-doc-KTHTDT-{AS_OF}.docx"] = b"PK\x03\x04 docx of KTHTDT"
            assert attachments(got) == expected
            assert metrics["departments"][code]["name"] in got.message["Subject"]
            # the greeting is the reminder's own `Kính gửi`, its text the reminder's
            document = reminder.reminder_document(metrics, code)
            assert body(got).startswith(reminder.addressee(document) + ",")
            assert document["intro"].text() in body(got)

    office = smtp.to(OFFICE)
    assert len(office) == 2  # the data-quality list and one notice
    quality, notice = office
    assert set(attachments(quality)) == {"data_quality-2026-11-27.pdf",
                                         "data_issues-2026-11-27.csv"}
    errors = sum(1 for i in metrics["data_issues"] if i["severity"] == "error")
    assert f"Bảng tính có {errors} lỗi" in body(quality)
    assert "wardbrief: cần kiểm tra" in notice.message["Subject"]
    # the name as composed text (NFC), whichever way the sheet typed its accents
    assert unicodedata.normalize("NFC", labels.MAIL_NOTICE_NO_ADDRESS.format(
        name=metrics["departments"]["TTDVSNC"]["name"])) in body(notice)

    reminder_count = sum(len(addresses_of(c)) for c in codes)
    assert len(smtp.messages) == len(LEADERS) + reminder_count + 2
    log = [json.loads(line) for line in (out / "_sent.jsonl").read_text().splitlines()]
    log = [e for e in log if e["state"] == "sent"]
    assert len(log) == len(smtp.messages)
    assert {e["message_id"] for e in log} == {m.message["Message-ID"] for m in smtp.messages}
    assert {e["key"]["recipient"] for e in log} >= set(LEADERS) | {OFFICE}
    assert_no_password(out, printed.out, printed.err)


def test_a_second_send_sends_nothing(smtp, published, capsys):
    out, _ = published
    assert send(out) == 0
    first = len(smtp.messages)
    capsys.readouterr()
    assert send(out) == 0
    assert len(smtp.messages) == first
    printed = capsys.readouterr().out
    assert "already sent, skipped: weekly_briefing -> chutich@donghai.gov.vn" in printed
    assert "nothing new to send" in printed


def test_a_corrected_sheet_sends_replacements(smtp, published, tmp_path, capsys):
    """A case received after the period corrected: nothing is sent again. A case of the
    period answered: the replacement names the figures that changed."""
    out, before = published
    assert send(out, report="weekly_briefing") == 0
    [first] = smtp.to(LEADERS[0])
    later = publish_fake(out, workbook_with_emails(tmp_path / "v1.xlsx", change_case=True))
    assert later["source"]["fingerprint"] != before["source"]["fingerprint"]
    assert send(out, report="weekly_briefing") == 0
    assert smtp.to(LEADERS[0]) == [first]

    after = publish_fake(out, workbook_with_emails(tmp_path / "v2.xlsx", answer=ANSWERED))
    capsys.readouterr()
    assert send(out, "--dry-run", report="weekly_briefing") == 0
    was, now = before["cases"]["totals"], after["cases"]["totals"]
    assert (f"    Số liệu thay đổi: Đã xử lý, trả lời {fmt.count_formal(was['resolved'])} → "
            f"{fmt.count_formal(now['resolved'])}; " in capsys.readouterr().out)
    assert send(out, report="weekly_briefing") == 0
    [_, second] = smtp.to(LEADERS[0])
    assert second.message["Subject"] == "[Thay thế] " + first.message["Subject"]
    assert second.message["In-Reply-To"] == first.message["Message-ID"]
    assert "Thư này thay thế thư đã gửi lúc" in body(second)
    assert (now["resolved"], now["open"]) == (was["resolved"] + 1, was["open"] - 1)
    assert (f"Số liệu thay đổi: Đã xử lý, trả lời {fmt.count_formal(was['resolved'])} → "
            f"{fmt.count_formal(now['resolved'])}; " in body(second))
    assert (f"Đang xử lý {fmt.count_formal(was['open'])} → {fmt.count_formal(now['open'])}"
            in body(second))
    printed = fingerprints.of_report(after, "weekly_briefing").removeprefix("sha256:")[:12]
    assert printed in body(second)
    assert attachments(second)["weekly_briefing-2026-11-27.pdf"].endswith(
        after["source"]["fingerprint"].encode())
    assert send(out, report="weekly_briefing") == 0  # and the replacement only once
    assert len(smtp.to(LEADERS[0])) == 2


def test_a_log_of_whole_sheet_fingerprints_sends_nothing_again(smtp, published, tmp_path):
    """A log written when each line kept the whole sheet's fingerprint: the reports of that
    very sheet were sent; they are recorded with their own fingerprints, not sent again."""
    out, metrics = published
    assert send(out, report="weekly_briefing") == 0
    path = out / mail.SENT_LOG
    old = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for line in old:
        line["fingerprint"] = metrics["source"]["fingerprint"]
        del line["inputs"], line["figures"]
    path.write_text("".join(json.dumps(line) + "\n" for line in old), encoding="utf-8")
    assert send(out, report="weekly_briefing") == 0
    assert len(smtp.messages) == len(LEADERS)
    adopted = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    adopted = adopted[len(old):]
    assert [a["adopted"] for a in adopted] == [metrics["source"]["fingerprint"]] * len(LEADERS)
    assert {a["fingerprint"] for a in adopted} == {
        fingerprints.of_report(metrics, "weekly_briefing")}
    publish_fake(out, workbook_with_emails(tmp_path / "v2.xlsx", answer=ANSWERED))
    assert send(out, report="weekly_briefing") == 0
    assert len(smtp.messages) == 2 * len(LEADERS)
    assert "Số liệu thay đổi: " in body(smtp.to(LEADERS[0])[-1])


def test_a_send_cut_by_a_crash_is_not_repeated_and_the_office_is_told(smtp, published):
    out, _ = published
    assert send(out, "--dry-run", report="weekly_briefing") == 0
    # the crash: the `sending` line of the first leader's message is written, then nothing
    log = mail.SentLog(out / mail.SENT_LOG)
    [leader_message, _] = mail.plan({"weekly_briefing": out / AS_OF / "weekly_briefing"},
                                    send_settings(), log).deliveries
    log.record(leader_message, leader_message.message_id(), state="sending")

    assert send(out, report="weekly_briefing") == 0
    assert smtp.to(LEADERS[0]) == [] and len(smtp.to(LEADERS[1])) == 1
    [notice] = smtp.to(OFFICE)
    assert (f"- Không rõ Báo cáo giao ban tuần (weekly_briefing) đã tới {LEADERS[0]} hay chưa"
            in body(notice))
    assert send(out, report="weekly_briefing") == 0  # told once; still not sent again
    assert len(smtp.messages) == 2


def send_settings():
    from wardbrief.config import load_mail_settings

    return load_mail_settings()


def test_dry_run_says_who_would_get_what_and_sends_nothing(smtp, published, capsys):
    out, _ = published
    assert send(out, "--dry-run") == 0
    printed = capsys.readouterr().out
    assert smtp.messages == [] and not (out / "_sent.jsonl").exists()
    assert f"would send weekly_briefing -> {LEADERS[1]}: " in printed
    assert "would send department_reminders/CA -> conganphuong@donghai.gov.vn" in printed
    assert "[KTHTDT.pdf, KTHTDT.docx]" in printed
    assert f"would send a notice -> {OFFICE}:" in printed


# --- refusals, retries, failures ---------------------------------------------------------------

def test_a_refused_recipient_does_not_stop_the_others(smtp, published, capsys):
    out, _ = published
    smtp.refuse(LEADERS[0])
    assert send(out, report="weekly_briefing") == 4
    err = capsys.readouterr().err
    assert f"NOT SENT weekly_briefing -> {LEADERS[0]}" in err and "550 5.1.1" in err
    assert smtp.rcpt_attempts.count(LEADERS[0]) == 1  # a 5xx is not retried
    assert len(smtp.to(LEADERS[1])) == 1
    [notice] = smtp.to(OFFICE)
    assert (f"- Chưa gửi được Báo cáo giao ban tuần (weekly_briefing) tới {LEADERS[0]}: 550 5.1.1"
            in body(notice))

    smtp.refused.clear()  # the mailbox is fixed: the next send reaches only that one
    assert send(out, report="weekly_briefing") == 0
    assert len(smtp.to(LEADERS[0])) == 1 and len(smtp.to(LEADERS[1])) == 1


def test_a_deferred_recipient_is_retried_with_backoff(smtp, published):
    out, _ = published
    smtp.defer(LEADERS[1], times=2)
    assert send(out, report="weekly_briefing") == 0
    assert smtp.rcpt_attempts.count(LEADERS[1]) == 3
    assert smtp.waits == list(mail.BACKOFF_S[:2])
    assert len(smtp.to(LEADERS[1])) == 1 and smtp.to(OFFICE) == []


def test_retries_are_bounded(smtp, published):
    out, _ = published
    smtp.defer(LEADERS[1], times=99)
    assert send(out, report="weekly_briefing") == 4
    assert smtp.rcpt_attempts.count(LEADERS[1]) == mail.MAX_ATTEMPTS
    [notice] = smtp.to(OFFICE)
    assert "451 4.7.1" in body(notice) and f"(after {mail.MAX_ATTEMPTS} attempts)" in body(notice)


def test_a_wrong_password_is_reported_without_the_password(smtp, published, monkeypatch, capsys):
    out, _ = published
    monkeypatch.setenv("WARDBRIEF_SMTP_PASSWORD", "wrong-" + PASSWORD[::-1])
    assert send(out, report="weekly_briefing") == 4
    err = capsys.readouterr().err
    assert f"the server refused the login of '{USER}': 535" in err
    assert smtp.messages == [] and PASSWORD[::-1] not in err
    states = [json.loads(line)["state"] for line in (out / "_sent.jsonl").read_text().splitlines()]
    assert states == ["sending", "failed"]  # nothing was sent: the next send tries again
    monkeypatch.setenv("WARDBRIEF_SMTP_PASSWORD", PASSWORD)
    assert send(out, report="weekly_briefing") == 0 and len(smtp.messages) == len(LEADERS)


def test_a_password_file_others_can_read_is_refused(smtp, published, monkeypatch, tmp_path,
                                                    capsys):
    out, _ = published
    secret = tmp_path / "smtp-password"
    secret.write_text(PASSWORD, encoding="utf-8")
    secret.chmod(0o640)
    config = tmp_path / "wardbrief.toml"  # [mail] is its last table: the line goes into it
    with config.open("a", encoding="utf-8") as handle:
        handle.write(f'password_file = "{secret}"\n')
    monkeypatch.delenv("WARDBRIEF_SMTP_PASSWORD")
    assert send(out) == 5
    assert f"chmod 600 {secret}" in capsys.readouterr().err and smtp.messages == []
    secret.chmod(0o600)
    assert send(out, report="weekly_briefing") == 0 and len(smtp.messages) == 2


def test_a_briefing_without_its_pdf_is_not_sent_and_the_office_is_told(smtp, published):
    out, _ = published
    (out / AS_OF / "weekly_briefing" / "report.pdf").unlink()
    assert send(out, report="weekly_briefing") == 4
    [notice] = smtp.messages
    assert notice.rcpt_tos == [OFFICE]
    assert "- Báo cáo giao ban tuần (weekly_briefing): không có tệp PDF" in body(notice)


def test_a_stale_snapshot_is_told_to_the_office_and_the_readers(smtp, published):
    out, _ = published
    path = out / AS_OF / "weekly_briefing" / "metrics.json"
    metrics = json.loads(path.read_text(encoding="utf-8"))
    metrics["source"].update(stale=True, taken_at="2026-11-27T15:58:00")
    path.write_text(json.dumps(metrics, ensure_ascii=False), encoding="utf-8")
    assert send(out, report="weekly_briefing") == 0
    warning = labels.STALE_WARNING.format(taken_at="27/11/2026 15:58")
    assert all(warning in body(m) for m in smtp.messages if m.rcpt_tos[0] in LEADERS)
    [notice] = smtp.to(OFFICE)
    assert labels.MAIL_NOTICE_STALE.format(taken_at="27/11/2026 15:58") in body(notice)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_implicit_tls_as_on_port_465(tmp_path, monkeypatch, published):
    out, _ = published
    with SmtpStandIn(tmp_path, implicit_tls=True) as server:
        config = tmp_path / "ssl.toml"
        config.write_text(f"""[mail]
host = "127.0.0.1"
port = {server.port}
security = "ssl"
user = "{USER}"
from = "vp.donghai@donghai.gov.vn"
leadership = ["{LEADERS[0]}"]
office = "{OFFICE}"
ca_file = "{server.ca_file}"
""", encoding="utf-8")
        monkeypatch.setenv("WARDBRIEF_CONFIG", str(config))
        monkeypatch.setenv("WARDBRIEF_SMTP_PASSWORD", PASSWORD)
        assert send(out, report="weekly_briefing") == 0
        [got] = server.messages
        assert got.tls and got.authenticated and got.rcpt_tos == [LEADERS[0]]


def test_a_server_whose_certificate_is_not_trusted_is_refused(smtp, published, tmp_path,
                                                               monkeypatch, capsys):
    out, _ = published
    config = tmp_path / "wardbrief.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text("\n".join(line for line in text.splitlines()
                                if not line.startswith("ca_file")), encoding="utf-8")
    assert send(out, report="weekly_briefing") == 4
    assert "TLS with 127.0.0.1 failed: [SSL: CERTIFICATE_VERIFY_FAILED]" in capsys.readouterr().err
    assert smtp.messages == [] and smtp.logins == []  # the password never left


# --- run --send ----------------------------------------------------------------------------------

def test_run_send_mails_what_was_published_and_one_notice_for_the_failure(
        smtp, tmp_path, monkeypatch, capsys):
    notebooks = TESTS / "notebooks"
    monkeypatch.setitem(registry.REPORTS, "weekly_briefing",
                        registry.Report("weekly_briefing", notebooks / "good.ipynb"))
    monkeypatch.setitem(registry.REPORTS, "data_quality",
                        registry.Report("data_quality", notebooks / "broken.ipynb"))
    source = workbook_with_emails(tmp_path / "donghai.xlsx")
    out = tmp_path / "outputs"
    code = cli.main(["run", "weekly_briefing", "--source", str(source), "--as-of", AS_OF,
                     "--out", str(out), "--send"])
    assert code == 0 and len(smtp.messages) == len(LEADERS)
    # What was mailed is what this run published; `run all` below builds the briefing
    # again, and a second rendering need not equal the first byte for byte.
    published_pdf = (out / AS_OF / "weekly_briefing" / "report.pdf").read_bytes()
    assert published_pdf.startswith(b"%PDF-")
    for leader in LEADERS:
        [mailed] = smtp.to(leader)
        assert attachments(mailed) == {"weekly_briefing-2026-11-27.pdf": published_pdf}
    argv = ["run", "all", "--source", str(source), "--as-of", AS_OF, "--out", str(out), "--send"]
    monkeypatch.setattr(registry, "REPORT_NAMES", ("weekly_briefing", "data_quality"))
    for name in set(registry.REPORTS) - {"weekly_briefing", "data_quality"}:
        monkeypatch.delitem(registry.REPORTS, name)
    assert cli.main(argv) == 1  # data_quality failed
    printed = capsys.readouterr()
    assert len(smtp.messages) == len(LEADERS) + 1  # the briefing is not sent twice
    [notice] = smtp.to(OFFICE)
    assert ("- Danh sách lỗi dữ liệu (data_quality): không lập được, cell In ["
            in body(notice))
    assert [attachments(m) for m in smtp.to(LEADERS[0])] == [
        {"weekly_briefing-2026-11-27.pdf": published_pdf}]
    tracking = openpyxl.load_workbook(out / AS_OF / "theo-doi.xlsx")
    assert tracking.sheetnames == ["Theo dõi", "Theo dõi nhiệm vụ", "Lỗi dữ liệu"]
    assert_no_password(out, printed.out, printed.err)  # notebooks and logs included
    assert list((out / "_failed").glob("*-data_quality.ipynb"))


def test_run_send_finds_a_report_published_under_its_period(smtp, tmp_path, monkeypatch):
    """A quarterly report is published as `<end>/quarterly_report-2026-Q3/`: `run --send`
    mails that folder's PDF and Word file, its subject naming the quarter."""
    monkeypatch.setitem(registry.REPORTS, "quarterly_report", registry.Report(
        "quarterly_report", TESTS / "notebooks" / "good.ipynb", extras.formal_docx,
        "quarter", True))
    source = workbook_with_emails(tmp_path / "donghai.xlsx")
    out = tmp_path / "outputs"
    assert cli.main(["run", "quarterly_report", "--quarter", "2026-Q3", "--source", str(source),
                     "--as-of", AS_OF, "--out", str(out), "--send"]) == 0
    folder = out / "2026-09-14" / "quarterly_report-2026-Q3"
    assert len(smtp.messages) == len(LEADERS)
    message = smtp.to(LEADERS[0])[0]
    assert "quý III năm 2026" in str(message.message["Subject"])
    assert set(attachments(message).values()) == {(folder / "report.pdf").read_bytes(),
                                                  (folder / "report.docx").read_bytes()}


def test_run_send_tells_the_office_when_the_source_cannot_be_read(smtp, tmp_path, capsys):
    out = tmp_path / "outputs"
    code = cli.main(["run", "all", "--source", str(tmp_path / "missing.xlsx"), "--as-of", AS_OF,
                     "--out", str(out), "--send"])
    assert code == 2
    [notice] = smtp.messages
    assert notice.rcpt_tos == [OFFICE]
    assert "Không đọc được bảng tính: " in body(notice) and "missing.xlsx" in body(notice)
    printed = capsys.readouterr()
    assert_no_password(out, printed.out, printed.err)


def test_run_send_of_a_workbook_not_briefed_says_why_in_the_office_s_words(smtp, tmp_path):
    """Its `Mã phản ánh` header renamed: the workbook is read but not briefed. The office
    gets the data-quality list, which says why first, and one notice saying so in
    Vietnamese: not that the sheet could not be read."""
    source = workbook_with_emails(tmp_path / "donghai.xlsx")
    book = openpyxl.load_workbook(source)
    book["PhanAnh"].cell(row=2, column=2, value="Số phiếu")
    book.save(source)
    out = tmp_path / "outputs"
    code = cli.main(["run", "all", "--source", str(source), "--as-of", AS_OF,
                     "--out", str(out), "--send"])
    assert code == 1  # not briefed
    quality, notice = smtp.to(OFFICE)
    assert "Danh sách lỗi dữ liệu" in str(quality.message["Subject"])
    text = body(quality)
    assert text.index("Không lập báo cáo kỳ này") < text.index("Tổng số: 8 vấn đề, gồm 3 lỗi")
    assert "- PhanAnh, dòng 2: Trang 'PhanAnh' không có cột 'Mã phản ánh'" in text
    assert "2 | — | Mã phản ánh | Trang 'PhanAnh' không có cột 'Mã phản ánh'" in text
    notice_text = body(notice)
    assert ("- Không lập báo cáo kỳ này: Trang 'PhanAnh' không có cột 'Mã phản ánh' ở dòng "
            "tiêu đề 2") in notice_text
    assert "Chỉ lập danh sách lỗi dữ liệu (gửi Văn phòng)" in notice_text
    assert "Không đọc được bảng tính" not in notice_text and "NOT BRIEFED" not in notice_text
    assert len(smtp.messages) == 2  # nothing to the leadership
