"""Re-sends by report, `send all`, and periods without data, on whole runs of every
report (real notebooks, PDFs) mailed to an SMTP server on loopback (tests/smtp_standin.py).

The workbook is messy.xlsx with DonVi e-mail addresses and one more case, received on
01/06/2026: the sheet's first. As of 27/11/2026 `run all` then builds the weekly
reports, November (15/10 - 14/11), Q3 (15/06 - 14/09) and H1 2026 (15/12/2025 -
14/06/2026, covered from 01/06 only: its page 1 says so); the 2025 year report ends before
the first case and is not built. Three steps share the runs (module fixture):
1. `run all --send`; 2. one case of this week answered, `run all --send` again;
3. the sent log put aside, `send all` (as after a `run all` without `--send`), then
`send monthly_report` by the same as-of date."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from builders import FIXTURES
from smtp_standin import SmtpStandIn, configure_mail
from wardbrief.commands import cli
from wardbrief.publish import mail

AS_OF = "2026-11-27"
LEADERS = ["chutich@donghai.gov.vn", "pct.vhxh@donghai.gov.vn"]
OFFICE = "vanphong@donghai.gov.vn"
EMAILS = {"VP": "vp@donghai.gov.vn", "KTHTDT": "kthtdt@donghai.gov.vn",
          "VHXH": "vhxh@donghai.gov.vn", "TTPVHCC": "hcc@donghai.gov.vn",
          "CA": "conganphuong@donghai.gov.vn", "QS": "bchqs@donghai.gov.vn",
          "TTDVSNC": "dichvu@donghai.gov.vn"}
ANSWERED = "PA-2026-000779"  # received 26/11/2026, open as of 27/11
FIRST_CASE = dt.datetime(2026, 6, 1)
CLOSED = {"monthly_report": "2026-11-14", "quarterly_report": "2026-09-14",
          "half_year_report": "2026-06-14"}  # the formal reports built, by their end


def workbook(target: Path, answer: bool = False) -> Path:
    book = openpyxl.load_workbook(FIXTURES / "messy.xlsx")
    donvi = book["DonVi"]
    donvi.cell(row=1, column=5, value="Email")
    for row in range(2, donvi.max_row + 1):
        donvi.cell(row=row, column=5, value=EMAILS.get(donvi.cell(row=row, column=1).value))
    cases = book["PhanAnh"]
    headers = {cell.value: cell.column for cell in cases[2]}  # messy's header is on row 2
    first = cases.max_row + 1
    for header, value in {"Mã phản ánh": "PA-2026-000001", "Ngày tiếp nhận": FIRST_CASE,
                          "Kênh": "Trực tiếp", "Đơn vị xử lý": "VP",
                          "NỘI DUNG": "Đề nghị sửa đèn chiếu sáng ngõ 12.",
                          "Ngày trả lời": dt.datetime(2026, 6, 5),
                          "Trạng thái": "Đã trả lời"}.items():
        cases.cell(row=first, column=headers[header], value=value)
    if answer:
        [row] = [r for r in range(3, cases.max_row + 1)
                 if cases.cell(row=r, column=headers["Mã phản ánh"]).value == ANSWERED]
        cases.cell(row=row, column=headers["Ngày trả lời"], value=dt.datetime(2026, 11, 27))
        cases.cell(row=row, column=headers["Trạng thái"], value="Đã trả lời")
    book.save(target)
    return target


def configure(folder: Path, server: SmtpStandIn, patch: pytest.MonkeyPatch) -> None:
    configure_mail(folder, server, patch, LEADERS, OFFICE)


def cli_run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(list(argv))
    return code, out.getvalue()


@pytest.fixture(scope="module")
def steps(tmp_path_factory):
    """{step: (exit code, printed, messages)} of the three steps, and the outputs."""
    folder = tmp_path_factory.mktemp("resend")
    out = folder / "outputs"
    done = {}
    with pytest.MonkeyPatch.context() as patch, SmtpStandIn(folder) as server:
        configure(folder, server, patch)
        for step, source in (("first", workbook(folder / "v1.xlsx")),
                             ("answered", workbook(folder / "v2.xlsx", answer=True))):
            seen = len(server.messages)
            code, printed = cli_run("run", "all", "--source", str(source), "--as-of", AS_OF,
                                    "--out", str(out), "--send")
            done[step] = (code, printed, server.messages[seen:])
        log = out / mail.SENT_LOG
        shutil.move(log, folder / "sent-by-runs.jsonl")
        seen = len(server.messages)
        code, printed = cli_run("send", "all", "--as-of", AS_OF, "--out", str(out))
        done["send all"] = (code, printed, server.messages[seen:])
        seen = len(server.messages)
        code, printed = cli_run("send", "monthly_report", "--as-of", AS_OF, "--out", str(out))
        done["send one"] = (code, printed, server.messages[seen:])
    return done, out, folder


def report_files(messages) -> set[str]:
    """The attached reports (`monthly_report-2026-11-14.pdf`, …) of `messages`."""
    return {part.get_filename() for m in messages for part in m.message.iter_attachments()
            if part.get_filename().endswith(".pdf")
            and not part.get_filename().startswith(("phieu-don-doc-", "bao-cao-van-phong-"))}


def body(received) -> str:
    return received.message.get_body(("plain",)).get_content()


def test_the_first_run_mails_every_report_built_and_no_empty_period(steps):
    done, out, _ = steps
    code, printed, messages = done["first"]
    assert code == 0, printed
    assert report_files(messages) == {
        "weekly_briefing-2026-11-27.pdf", "data_quality-2026-11-27.pdf",
        *(f"{name}-{end}.pdf" for name, end in CLOSED.items())}
    assert ("Bỏ qua year_report-2025 (kỳ 15/12/2024 - 14/12/2025): kỳ kết thúc trước phản "
            "ánh đầu tiên của bảng tính (01/06/2026), không lập và không gửi.") in printed
    assert not list(out.glob("*/year_report-*"))
    assert not any("năm 2025" in str(m.message["Subject"]) for m in messages)


def test_answering_a_case_of_this_week_mails_this_weeks_reports_only(steps):
    done, out, folder = steps
    code, printed, messages = done["answered"]
    assert code == 0, printed
    assert report_files(messages) == {"weekly_briefing-2026-11-27.pdf"}
    # the answered case was no department's overdue or due-soon case: no reminder again
    assert sorted(r for m in messages for r in m.rcpt_tos) == sorted(LEADERS)
    for leader in LEADERS:
        [got] = [m for m in messages if m.rcpt_tos == [leader]]
        assert str(got.message["Subject"]).startswith("[Thay thế] ")
        assert "Số liệu thay đổi: " in body(got)
    # the closed periods were built again from the answered sheet, and not sent again
    log = [json.loads(line) for line in
           (folder / "sent-by-runs.jsonl").read_text(encoding="utf-8").splitlines()]
    sent = [e for e in log if e["state"] == "sent" and e["key"]["report"] in CLOSED]
    assert len(sent) == len(CLOSED) * len(LEADERS)  # once each, in the first run
    assert all(e["figures"]["cases.received"] is not None and e["inputs"]["rows"]
               for e in sent)
    monthly = json.loads((out / CLOSED["monthly_report"] / "monthly_report-2026-11"
                          / "metrics.json").read_text(encoding="utf-8"))
    assert monthly["source"]["report_fingerprint"] == next(
        e["fingerprint"] for e in sent if e["key"]["report"] == "monthly_report")


def test_send_all_mails_the_formal_reports_too(steps):
    done, _, _ = steps
    code, printed, messages = done["send all"]
    assert code == 0, printed
    assert report_files(messages) == {
        "weekly_briefing-2026-11-27.pdf", "data_quality-2026-11-27.pdf",
        *(f"{name}-{end}.pdf" for name, end in CLOSED.items())}
    for leader in LEADERS:
        assert len([m for m in messages if m.rcpt_tos == [leader]]) == 1 + len(CLOSED)
    assert not any("chưa được lập" in body(m) for m in messages)
    # one report on the cut-off by the as-of date of its run: found, sent already
    code, printed, messages = done["send one"]
    assert code == 0 and messages == []
    assert f"already sent, skipped: monthly_report -> {LEADERS[0]}" in printed


def test_a_period_covered_in_part_names_its_first_date_on_page_1(steps):
    _, out, _ = steps
    folder = out / CLOSED["half_year_report"] / "half_year_report-2026-H1"
    metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["data_from"] == "2026-06-01"
    page_1 = subprocess.run(["pdftotext", "-l", "1", str(folder / "report.pdf"), "-"],
                            capture_output=True, text=True, check=True).stdout
    assert "Số liệu của kỳ báo cáo này tính từ ngày 01/06/2026" in " ".join(page_1.split())
    [mailed] = [m for m in steps[0]["first"][2] if m.rcpt_tos == [LEADERS[0]]
                and "6 tháng" in str(m.message["Subject"])]
    assert "\nBảng tính có dữ liệu từ ngày 01/06/2026: số liệu của kỳ tính từ ngày đó.\n" \
        in body(mailed).replace("\r\n", "\n")
    whole = json.loads((out / CLOSED["quarterly_report"] / "quarterly_report-2026-Q3"
                        / "metrics.json").read_text(encoding="utf-8"))
    assert "data_from" not in whole


def test_a_named_period_before_the_first_case_is_not_built(tmp_path, capsys):
    """`run year_report --year 2025` on a sheet begun in August 2026: one line, exit 0,
    nothing published."""
    code = cli.main(["run", "year_report", "--year", "2025", "--source",
                     str(FIXTURES / "messy.xlsx"), "--out", str(tmp_path / "outputs")])
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("Bỏ qua year_report-2025 (kỳ 15/12/2024 - 14/12/2025): kỳ kết thúc "
                          "trước phản ánh đầu tiên của bảng tính (03/08/2026)")
    assert "skipped: the period ends before the sheet's first case (2026-08-03)" in out
    assert not list((tmp_path / "outputs").glob("*/year_report-*"))
