"""E-mail delivery of published briefings through the ward's SMTP server.

Who gets what (from `outputs/<as-of>/<report>/`, the `[mail]` settings and metrics.json):

- a briefing (weekly, monthly and any other formal report): to each `leadership`
  address, the PDF (and a `.docx` draft when there is one) attached, the text (plain and
  HTML) its letter's: the report's summary sections (`briefings.letters.SUMMARY`);
- `department_reminders`: each department's `reminders/<CODE>.pdf` (and `.docx` beside
  it) to the addresses of the DonVi `Email` column;
- `data_quality`: the list (PDF and `data_issues.csv`) to `office`;
- a notice to `office` when a report failed, the source could not be read, a briefing
  was made from a stale snapshot, or a message could not be delivered.

Exactly once: `outputs/_sent.jsonl` (wardbrief.publish.sent_log) holds one line per
message the server accepted, keyed by report, period (as-of and start), part (the
department of a reminder) and recipient, with the fingerprint of what the report (the
department's reminder) was built from (figures.fingerprints: its period's rows, its
settings, its document; not the whole sheet) and the figures sent. A message already in
the log with the same fingerprint is not sent again: a closed period whose rows did not
change is never sent again. With another fingerprint the new one is sent as a
replacement (`[Thay thế]` subject, lines in the body saying which figures changed,
`In-Reply-To` the first). Lines are appended (O_APPEND, fsync): `sending` just
before a message goes to the server, `sent` once it is accepted (`failed` when refused).
A `sending` line without its outcome means a crash fell in between: the message may have
reached its reader, so it is not sent again (at most once) and the office is told to
check. The Message-ID is derived from the key and fingerprint.

What a message says is `briefings.letters`' (a document model per message, rendered by
`document.email`); this module only decides who gets which published file, once.
The SMTP connection and its retries are wardbrief.publish.smtp's: a permanent refusal
(5xx) of one recipient is reported and the others are still sent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import mimetypes
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path
from typing import Any, TextIO

from wardbrief.briefings import labels, letters
from wardbrief.config import PASSWORD_ENV_VAR, MailSettings, smtp_password
from wardbrief.document import email as email_text
from wardbrief.document.model import Document
from wardbrief.figures import fingerprints
from wardbrief.publish.sent_log import (
    DATA_QUALITY,
    NOTICE,
    REMINDERS,
    SentLog,
    changed,
    figure_summary,
)
from wardbrief.publish.smtp import BACKOFF_S, MAX_ATTEMPTS, Mailer, MailServerError, Refused

__all__ = ["BACKOFF_S", "DATA_QUALITY", "MAX_ATTEMPTS", "NOTICE", "REMINDERS", "SENT_LOG",
           "MailServerError", "Mailer", "Refused", "SentLog"]

SENT_LOG = "_sent.jsonl"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_sleep = time.sleep  # patched by the tests


# --- what is to be sent ----------------------------------------------------------------------


@dataclass
class Delivery:
    """One message to one recipient: its subject and text from its letter (a document
    model: `briefings.letters`), plain and HTML."""

    report: str
    recipient: str
    subject: str
    body: str
    attachments: list[Path]
    as_of: str
    period_start: str
    fingerprint: str
    part: str = ""  # the department code of a reminder
    sender: str = ""
    replaces: dict[str, Any] | None = None  # the log line of the message it replaces
    inputs: dict[str, str] = field(default_factory=dict)  # figures.fingerprints.inputs_of
    figures: dict[str, Any] = field(default_factory=dict)  # sent_log.figure_summary
    file_name: str = "phieu-don-doc"  # a reminder's attachments: `<file_name>-<CODE>-<as-of>`
    html: str = ""  # the HTML alternative of `body`
    letter: Document | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of_letter(cls, letter: Document, recipient: str, attachments: list[Path],
                  **fields: Any) -> Delivery:
        delivery = cls(letter.report, recipient, "", "", attachments, **fields)
        delivery.write(letter)
        return delivery

    def write(self, letter: Document) -> None:
        """Subject, text and HTML from `letter` (the renderings of one document)."""
        self.letter = letter
        self.subject = letter.title
        self.body = email_text.plain(letter)
        self.html = email_text.html(letter)

    def key(self) -> dict[str, str]:
        return {"report": self.report, "as_of": self.as_of, "period_start": self.period_start,
                "part": self.part, "recipient": self.recipient.lower()}

    def message_id(self) -> str:
        basis = json.dumps([self.key(), self.fingerprint], sort_keys=True).encode()
        domain = parseaddr(self.sender)[1].rpartition("@")[2] or "wardbrief.local"
        return f"<wardbrief.{hashlib.sha256(basis).hexdigest()[:32]}@{domain}>"

    def describe(self) -> str:
        files = ", ".join(p.name for p in self.attachments) or "no attachment"
        what = f"{self.report}/{self.part}" if self.part else self.report
        mark = " (replacement)" if self.replaces else ""
        return f"{what} -> {self.recipient}{mark}: {self.subject} [{files}]"


@dataclass
class Plan:
    deliveries: list[Delivery] = field(default_factory=list)
    already_sent: list[Delivery] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # lines of the notice to office
    unsent_reports: list[str] = field(default_factory=list)  # no PDF to send
    no_address: list[str] = field(default_factory=list)  # told only with something new
    stale: str | None = None  # the notice's line when a briefing came from a snapshot
    demo: bool = False  # a report was made from the synthetic sample (the notice says so)
    interrupted: list[Delivery] = field(default_factory=list)  # maybe sent before a crash
    # already sent, by a log line with the whole sheet's fingerprint: recorded again
    # with the report's own
    adopted: list[tuple[Delivery, dict[str, Any]]] = field(default_factory=list)


def is_briefing(report: str) -> bool:
    """Every report that is neither the reminders nor the data-quality list goes to
    leadership (the weekly briefing, the monthly and other formal reports)."""
    return report not in (REMINDERS, DATA_QUALITY)


def built_from(metrics: Mapping[str, Any], report: str, part: str = "") -> dict[str, Any]:
    """The Delivery fields that say what a message's report (a department's reminder:
    `part`) was built from and which figures it gives: fingerprint, inputs, figures."""
    return {"fingerprint": fingerprints.of_report(metrics, report, part),
            "inputs": fingerprints.inputs_of(metrics, report, part),
            "figures": figure_summary(metrics, report, part)}


def _present(*paths: Path) -> list[Path]:
    return [p for p in paths if p.is_file()]


def report_deliveries(report: str, folder: Path, settings: MailSettings
                      ) -> tuple[list[Delivery], list[str], Mapping[str, Any]]:
    """The messages of one published report folder (not yet checked against the log),
    the problems to tell the office, and the report's metrics."""
    metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    common = {"as_of": str(metrics.get("as_of")), "period_start": str(metrics.get("period_start")),
              "sender": settings.sender}
    made = built_from(metrics, report)
    out: list[Delivery] = []
    problems: list[str] = []
    if report != REMINDERS and not (folder / "report.pdf").is_file():
        problems.append(letters.no_pdf_line(report))
        return out, problems, metrics  # nothing sent without its document
    if is_briefing(report):
        letter = letters.briefing_letter(report, metrics, made["fingerprint"])
        files = _present(folder / "report.pdf", folder / "report.docx")
        out += [Delivery.of_letter(letter, to, files, **common, **made)
                for to in settings.leadership]
    elif report == REMINDERS:
        out += _reminder_deliveries(folder, metrics, common, settings)
    else:
        letter = letters.data_quality_letter(metrics, made["fingerprint"])
        files = _present(folder / "report.pdf", folder / "data_issues.csv")
        out.append(Delivery.of_letter(letter, settings.office, files, **common, **made))
    return out, problems, metrics


def _reminder_files(folder: Path, metrics: Mapping[str, Any]) -> list[tuple[Path, str]]:
    """(reminder PDF, department code) of a published department_reminders folder."""
    from wardbrief.publish.file_names import reminder_file_names

    stems = reminder_file_names(list(metrics.get("departments") or {}))
    by_file = {stem: code for code, stem in stems.items()}
    return [(pdf, by_file.get(pdf.stem, pdf.stem))
            for pdf in sorted((folder / "reminders").glob("*.pdf"))]


def _addresses(metrics: Mapping[str, Any], code: str, settings: MailSettings) -> list[str]:
    """Who gets a unit's reminder: its DonVi `Email`; the leadership for the office's own
    (its unit's, and that of the cases without a unit: briefings.reminder)."""
    from wardbrief.briefings import reminder

    if reminder.to_leadership(metrics, code):
        return list(settings.leadership)
    info = (metrics.get("departments") or {}).get(code) or {}
    return [a for a in info.get("email") or [] if "@" in a]


def _without_address(report: str, folder: Path, metrics: Mapping[str, Any],
                     settings: MailSettings) -> list[str]:
    """Codes of the departments with a reminder and no address to send it to."""
    if report != REMINDERS:
        return []
    return [code for _, code in _reminder_files(folder, metrics)
            if not _addresses(metrics, code, settings)]


def _reminder_deliveries(folder: Path, metrics: Mapping[str, Any], common: dict[str, Any],
                         settings: MailSettings) -> list[Delivery]:
    """Each unit's reminder to its head, its text that of the attached PDF and Word file
    (the same document model: briefings.reminder); the office's own to the leadership."""
    from wardbrief.briefings import reminder

    out: list[Delivery] = []
    for pdf, code in _reminder_files(folder, metrics):
        made = built_from(metrics, REMINDERS, code)
        letter = letters.reminder_letter(metrics, code, made["fingerprint"])
        files = _present(pdf, pdf.with_suffix(".docx"))
        office = reminder.to_leadership(metrics, code)
        out += [Delivery.of_letter(letter, to, files, part=code, **common, **made,
                                   **({"file_name": "bao-cao-van-phong"} if office else {}))
                for to in _addresses(metrics, code, settings)]
    return out


def plan(folders: Mapping[str, Path], settings: MailSettings, log: SentLog) -> Plan:
    """The messages of the published `folders` ({report: folder}) that the log does not
    hold yet, replacements marked; problems for the office's notice."""
    result = Plan()
    for report, folder in folders.items():
        deliveries, problems, metrics = report_deliveries(report, folder, settings)
        result.problems += problems
        result.demo = result.demo or bool(labels.demo_mark(metrics))
        if report != REMINDERS and not deliveries and problems:
            result.unsent_reports.append(report)
        result.no_address += [letters.no_address_line(metrics, code)
                              for code in _without_address(report, folder, metrics, settings)]
        stale = (metrics.get("source") or {}).get("stale")
        for delivery in deliveries:
            if log.interrupted(delivery.key(), delivery.fingerprint):
                result.interrupted.append(delivery)
                continue
            previous = log.last(delivery.key())
            if previous is not None and previous.get("fingerprint") == delivery.fingerprint:
                result.already_sent.append(delivery)
                continue
            if previous is not None and _sent_from_same_sheet(previous, metrics):
                result.already_sent.append(delivery)
                result.adopted.append((delivery, previous))
                continue
            if previous is not None:
                mark_replacement(delivery, previous)
            result.deliveries.append(delivery)
            if stale and result.stale is None:
                result.stale = letters.stale_line(metrics)
    if result.deliveries:  # a missing address is told along with something new only
        result.problems += result.no_address
    result.problems += [letters.interrupted_line(d.report, d.part, d.recipient)
                        for d in result.interrupted]
    return result


def _sent_from_same_sheet(previous: Mapping[str, Any], metrics: Mapping[str, Any]) -> bool:
    """A line written when the log kept the whole sheet's fingerprint (no `inputs`), of the
    very sheet this report comes from: the message sent then is this one."""
    sheet = (metrics.get("source") or {}).get("fingerprint")
    return "inputs" not in previous and bool(sheet) and previous.get("fingerprint") == sheet


def mark_replacement(delivery: Delivery, previous: Mapping[str, Any]) -> None:
    """`[Thay thế]` in the subject; the text says, after the greeting, which message it
    replaces and what changed since (sent_log.changed, worded by briefings.letters)."""
    delivery.replaces = dict(previous)
    section = letters.replacement(previous.get("sent_at"), str(previous.get("fingerprint") or ""),
                                  delivery.fingerprint,
                                  letters.changes_line(changed(previous, delivery.figures,
                                                               delivery.inputs)))
    letter = delivery.letter or letters.of_text(delivery.report, delivery.subject, delivery.body)
    delivery.write(letters.replaced(letter, section))


def notice(settings: MailSettings, as_of: str, ward: str, lines: Sequence[str],
           demo: bool = False) -> Delivery:
    """The one message to `office` that says what went wrong (marked DỮ LIỆU MẪU when the
    reports it is about were made from the synthetic sample)."""
    return Delivery.of_letter(letters.notice_letter(as_of, ward, lines, demo), settings.office,
                              [], as_of=as_of, period_start="", fingerprint="",
                              sender=settings.sender)


# Headers unfolded up to 998 characters: Python's folding of a long Vietnamese subject
# into several encoded words drops the space at a fold ("Trung tâm" read as "Trungtâm").
# The body goes as base64, which no relay rewrites.
MESSAGE_POLICY = policy.SMTP.clone(max_line_length=998)


def build_message(delivery: Delivery) -> EmailMessage:
    msg = EmailMessage(policy=MESSAGE_POLICY)
    msg["From"] = delivery.sender
    msg["To"] = delivery.recipient
    msg["Subject"] = delivery.subject
    msg["Date"] = format_datetime(dt.datetime.now().astimezone())
    msg["Message-ID"] = delivery.message_id() if delivery.report != NOTICE else \
        f"<wardbrief.notice.{os.getpid()}.{time.time_ns()}@{_domain(delivery.sender)}>"
    if delivery.replaces and delivery.replaces.get("message_id"):
        msg["In-Reply-To"] = delivery.replaces["message_id"]
        msg["References"] = delivery.replaces["message_id"]
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(delivery.body, charset="utf-8", cte="base64")
    if delivery.html:
        msg.add_alternative(delivery.html, subtype="html", charset="utf-8", cte="base64")
    for path in delivery.attachments:
        kind = DOCX_TYPE if path.suffix == ".docx" else (
            mimetypes.guess_type(path.name)[0] or "application/octet-stream")
        maintype, subtype = kind.split("/", 1)
        msg.add_attachment(path.read_bytes(), maintype=maintype, subtype=subtype,
                           filename=_attachment_name(delivery, path))
    return msg


def _domain(sender: str) -> str:
    return parseaddr(sender)[1].rpartition("@")[2] or "wardbrief.local"


def _attachment_name(delivery: Delivery, path: Path) -> str:
    """`weekly_briefing-2026-11-27.pdf`, `phieu-don-doc-CA-2026-11-27.pdf`: names that say
    what the file is once saved among others."""
    if delivery.report == REMINDERS:
        return f"{delivery.file_name}-{path.stem}-{delivery.as_of}{path.suffix}"
    if path.stem == "report":
        return f"{delivery.report}-{delivery.as_of}{path.suffix}"
    return f"{path.stem}-{delivery.as_of}{path.suffix}"


# --- sending -----------------------------------------------------------------------------------


@dataclass
class Outcome:
    sent: list[Delivery] = field(default_factory=list)
    failed: list[tuple[Delivery, str]] = field(default_factory=list)
    stopped: str | None = None  # why nothing more could be sent
    notice_sent: bool = False
    unsent_reports: list[str] = field(default_factory=list)  # published without a PDF

    @property
    def ok(self) -> bool:
        return not self.failed and self.stopped is None and not self.unsent_reports


def send_all(deliveries: Sequence[Delivery], mailer: Mailer, log: SentLog,
             stdout: TextIO, stderr: TextIO) -> Outcome:
    outcome = Outcome()
    for delivery in deliveries:
        message = build_message(delivery)
        log.record(delivery, message["Message-ID"], state="sending")
        try:
            mailer.send(message, delivery.recipient)
        except Refused as exc:
            log.record(delivery, message["Message-ID"], state="failed", reason=str(exc))
            outcome.failed.append((delivery, str(exc)))
            print(f"  NOT SENT {delivery.describe()}: {exc}", file=stderr, flush=True)
            continue
        except MailServerError as exc:
            log.record(delivery, message["Message-ID"], state="failed", reason=str(exc))
            outcome.stopped = str(exc)
            print(f"  mail: {exc}; nothing more was sent", file=stderr, flush=True)
            break
        log.record(delivery, message["Message-ID"])
        outcome.sent.append(delivery)
        print(f"  sent {delivery.describe()}", file=stdout, flush=True)
    return outcome


def notice_lines(result: Plan, outcome: Outcome | None, failures: Sequence[str] = ()) -> list[str]:
    """The lines of the office's notice: failures first, then what could not be sent."""
    lines = list(failures)
    if result.stale and (outcome is None or outcome.sent):
        lines.append(result.stale)
    if outcome is not None:
        lines += [letters.undelivered_line(d.report, d.part, d.recipient, reason)
                  for d, reason in outcome.failed]
    lines += result.problems
    return lines


def deliver(folders: Mapping[str, Path], settings: MailSettings, out_root: Path, *,
            as_of: str, ward: str, failures: Sequence[str] = (), dry_run: bool = False,
            stdout: TextIO, stderr: TextIO) -> Outcome:
    """Send what the log does not hold yet for the published `folders`, then one notice to
    the office when something went wrong (`failures`: lines about reports that failed)."""
    log = SentLog(out_root / SENT_LOG)
    result = plan(folders, settings, log)
    for delivery in result.already_sent:
        print(f"  already sent, skipped: {delivery.describe()}", file=stdout)
    if dry_run:
        for delivery in result.interrupted:
            print(f"  would not send again (interrupted last time): {delivery.describe()}",
                  file=stdout)
        for delivery in result.deliveries:
            print(f"  would send {delivery.describe()}", file=stdout)
            line = delivery.replaces and letters.changes_line(changed(
                delivery.replaces, delivery.figures, delivery.inputs))
            if line:
                print(f"    {line}", file=stdout)
        lines = notice_lines(result, None, failures)
        if lines:
            print(f"  would send a notice -> {settings.office}:", file=stdout)
            for line in lines:
                print(f"    {line}", file=stdout)
        if not result.deliveries and not lines:
            print("  nothing to send", file=stdout)
        return Outcome()
    for delivery, previous in result.adopted:  # the report's own fingerprint from now on
        log.record(delivery, str(previous.get("message_id") or ""), state="sent",
                   adopted=str(previous.get("fingerprint") or ""))
    for delivery in result.interrupted:  # told to the office once, never sent again
        print(f"  NOT SENT AGAIN (interrupted last time): {delivery.describe()}", file=stderr)
        log.record(delivery, delivery.message_id(), state="uncertain")
    mailer = Mailer(settings, sleep=lambda seconds: _sleep(seconds))
    try:
        outcome = send_all(result.deliveries, mailer, log, stdout, stderr)
        outcome.unsent_reports = result.unsent_reports
        lines = notice_lines(result, outcome, failures)
        if lines and outcome.stopped is None:
            message = notice(settings, as_of, ward, lines, demo=result.demo)
            built = build_message(message)
            try:
                mailer.send(built, message.recipient)
            except (Refused, MailServerError) as exc:
                print(f"  the notice to {settings.office} was not sent: {exc}", file=stderr)
                outcome.failed.append((message, str(exc)))
            else:
                log.record(message, built["Message-ID"])
                outcome.notice_sent = True
                print(f"  sent a notice -> {settings.office} ({len(lines)} line(s))",
                      file=stdout)
        if not result.deliveries and not lines:
            print("  nothing new to send", file=stdout)
    finally:
        mailer.close()
    return outcome


def check_settings(settings: MailSettings) -> list[str]:
    """What is wrong with the settings before anything is built (empty: nothing)."""
    problems = []
    if not settings.leadership:
        problems.append("[mail] leadership is empty: the briefings would go to nobody")
    for address in (*settings.leadership, settings.office, settings.sender):
        if "@" not in parseaddr(address)[1]:
            problems.append(f"[mail]: {address!r} is not an e-mail address")
    if settings.user and smtp_password(settings) is None:  # ConfigError: file not private
        problems.append(f"[mail] user is {settings.user!r} but there is no password: set "
                        f"{PASSWORD_ENV_VAR} or password_file (a file only you can read)")
    return problems
