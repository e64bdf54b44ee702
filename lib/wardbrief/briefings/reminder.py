"""A department's PHIẾU ĐÔN ĐỐC as a document model (`wardbrief.document.model`): one
document per unit, so that its PDF numbers its own pages, and its Word file and e-mail
say what its PDF says.

    header      letterhead, title, `Kính gửi: …`, the sample's notice
    intro       what the unit has open at the as-of date ("…, cụ thể như sau:")
    overdue     its cases unanswered past due (a table)
    due_soon    its cases due soon (a table)
    tasks       the tasks it leads, overdue or due soon (a table)
    ask         what the committee asks of it
    signature   `Nơi nhận:` and the office's signature (TL. CHỦ TỊCH)

The office signs reminders for the Chairman, so its own (its cases and tasks, and the
cases of no unit) is not a reminder to itself: it is the office's BÁO CÁO to the
Chairman, saying what the office will do, signed by its head, mailed to the leadership.

A list that is empty is left out (its heading too) and the sentences count only what
is there; figures come from metrics through `Briefing`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wardbrief.briefings import fmt, labels
from wardbrief.briefings.briefing import Briefing, join_vn
from wardbrief.briefings.report import demo_marks, letterhead
from wardbrief.briefings.sections import plain_text
from wardbrief.document import templating
from wardbrief.document.model import (
    Document,
    Heading,
    Letterhead,
    Paragraph,
    Section,
    Signature,
    Table,
)
from wardbrief.read.schema import UNASSIGNED

TEMPLATE = "reminders.html.j2"
MAILED = ("intro", "overdue", "due_soon", "tasks", "ask")  # the e-mail's text of it


def to_leadership(metrics: Mapping[str, Any], code: str) -> bool:
    """The office's own document (its unit, or cases of no unit): to the Chairman."""
    return code == UNASSIGNED or code == Briefing(metrics).office_code()


def reminder_document(metrics: Mapping[str, Any], code: str) -> Document:
    """The reminder to one unit's head (the office's report to the Chairman for the
    office and for cases without a unit): its overdue and due-soon cases and tasks."""
    b = Briefing(metrics, report="department_reminders")
    figures = b.by_department.get(code, {})
    overdue = [c for c in b.cases.get("overdue_cases", []) if c["department"] == code]
    due_soon = [c for c in b.due_soon_cases() if c["department"] == code]
    tasks = [] if code == UNASSIGNED else b.reminder_tasks(code)
    n_overdue = int(figures.get("open_overdue") or 0)
    n_soon = int(figures.get("open_due_soon") or 0)
    office = to_leadership(metrics, code)
    sections = [_header(b, code, office),
                Section("intro", (Paragraph(_intro(b, code, office, n_overdue, n_soon,
                                                   len(tasks))),))]
    number = 0
    for name, title, rows, days_key, count in (
            ("overdue", labels.REMINDER_OVERDUE_HEADING, overdue, "working_days_late", n_overdue),
            ("due_soon", labels.REMINDER_DUE_SOON_HEADING, due_soon, "working_days_left", n_soon)):
        if not count:
            continue
        number += 1
        listed = bool(rows) or "due_soon_cases" in b.cases or days_key == "working_days_late"
        body = _case_table(rows, days_key) if rows else Paragraph(
            labels.REMINDER_NONE if listed else labels.REMINDER_LIST_MISSING)
        sections.append(Section(name, (Heading(f"{number}. {title}", 2), body)))
    if tasks:
        number += 1
        sections.append(Section("tasks", (Heading(f"{number}. {labels.REMINDER_TASKS_TITLE}", 2),
                                          _task_table(b, tasks))))
    sections.append(Section("ask", (Paragraph(_ask(code, office, n_overdue, n_soon,
                                                   bool(tasks))),)))
    signer, recipients = ((labels.REMINDER_OFFICE_SIGNER, labels.REMINDER_OFFICE_RECIPIENTS)
                          if office else (labels.REMINDER_SIGNER, labels.REMINDER_RECIPIENTS))
    sections.append(Section("signature", (Signature(
        labels.RECIPIENTS_TITLE, tuple(recipients), tuple(signer), None,
        labels.SIGNATURE_NAME_PLACEHOLDER),)))
    kind, subject = _title(b, code, office)
    return Document(report="department_reminders", title=f"{kind} — {subject}",
                    sections=tuple(sections), marks=demo_marks(metrics))


def _title(b: Briefing, code: str, office: bool) -> tuple[str, str]:
    if not office:
        return b.title("department_reminders")
    return labels.REMINDER_OFFICE_KIND, (labels.REMINDER_UNASSIGNED_SUBJECT if code == UNASSIGNED
                                         else labels.REMINDER_OFFICE_SUBJECT)


def _header(b: Briefing, code: str, office: bool) -> Section:
    kind, subject = _title(b, code, office)
    if office:
        symbol = labels.DOC_SYMBOL_OFFICE_REPORT
        addressee = labels.REMINDER_TO_LEADERSHIP.format(ward=fmt.ward_in_text(b.ward))
    else:
        symbol, addressee = labels.DOC_SYMBOL_REMINDER, b.addressee(code)
    return Section("header", (letterhead(b, symbol, kind, [subject], addressee),
                              *(Paragraph(line, "notice") for line in b.notice_lines())))


def _intro(b: Briefing, code: str, office: bool, n_overdue: int, n_soon: int,
           n_tasks: int) -> str:
    """`…, đến hết ngày 27/11/2026, đơn vị còn 03 phản ánh, kiến nghị chưa trả lời đã quá
    hạn và 01 nhiệm vụ quá hạn hoặc sắp đến hạn, cụ thể như sau:` — only what there is."""
    parts = join_vn([template.format(count=fmt.count_formal(n)) for template, n in (
        (labels.REMINDER_INTRO_OVERDUE, n_overdue), (labels.REMINDER_INTRO_DUE_SOON, n_soon),
        (labels.REMINDER_INTRO_TASKS, n_tasks)) if n])
    if not parts:
        template = labels.REMINDER_INTRO_NOTHING
    elif code == UNASSIGNED:
        template = labels.REMINDER_INTRO_OFFICE_UNASSIGNED
    elif office:
        template = labels.REMINDER_INTRO_OFFICE
    else:
        template = labels.REMINDER_INTRO_WITH_TASKS
    return template.format(as_of=fmt.date_vn(b.metrics.get("as_of")), parts=parts)


def _ask(code: str, office: bool, n_overdue: int, n_soon: int, tasks: bool) -> str:
    if code == UNASSIGNED:
        return labels.REMINDER_OFFICE_WILL_UNASSIGNED
    asks = [text for text, on in ((labels.REMINDER_ASK_OVERDUE, n_overdue),
                                  (labels.REMINDER_ASK_DUE_SOON, n_soon),
                                  (labels.REMINDER_ASK_TASKS, tasks)) if on]
    asks = asks or [labels.REMINDER_ASK_KEEP_ON_TIME]
    if office:
        return labels.REMINDER_OFFICE_WILL.format(asks="; ".join(asks))
    return labels.REMINDER_ASK_FOR.format(asks="; ".join(asks)) + (
        " " + labels.REMINDER_RESPONSIBILITY if n_overdue or n_soon else "")


def _case_table(cases: list[Mapping[str, Any]], days_key: str) -> Table:
    c = labels.REMINDER_COLUMNS
    rows = tuple((str(x["case_id"]), fmt.date_vn(x.get("received")), fmt.date_vn(x.get("due")),
                  fmt.int_vn(x.get(days_key)), plain_text(x.get("summary")))
                 for x in cases)
    return Table((c["case_id"], c["received"], c["due"], c[days_key], c["summary"]), rows,
                 (False, False, False, True, False), (2.8, 1.8, 1.8, 1.5, 4.4),
                 css="wb-reminder-cases", nowrap=(True, True, True, False, False))


def _task_table(b: Briefing, tasks: list[Mapping[str, Any]]) -> Table:
    c = labels.TASKS_TABLE_COLUMNS
    rows = tuple((plain_text(i.get("task_id")), plain_text(i.get("content")),
                  fmt.date_vn(i.get("due")) if i.get("due") else labels.NO_DEADLINE,
                  b.task_state(i)) for i in tasks)
    return Table((c["task_id"], c["content"], c["due"], c["state"]), rows,
                 (False,) * 4, (2.0, 5.6, 1.8, 2.2), css="wb-reminder-tasks",
                 nowrap=(True, False, True, False))


def addressee(document: Document) -> str:
    """`Kính gửi: …` of a reminder (its e-mail's greeting too)."""
    head = document["header"].blocks[0]
    return head.addressee if isinstance(head, Letterhead) and head.addressee else ""


def reminder_codes(metrics: Mapping[str, Any]) -> list[str]:
    """The units that get a reminder, DonVi order (cases without a unit: the office's)."""
    return Briefing(metrics).reminder_departments()


@dataclass(frozen=True)
class Reminders:
    """Reminders shown one after the other, each from a new page: the notebook's page
    (every unit's) and each unit's own PDF (one); `codes[i]` is the unit of
    `documents[i]`."""

    codes: tuple[str, ...]
    documents: tuple[Document, ...]

    def html(self) -> str:
        return templating.render(TEMPLATE, reminders=list(zip(self.codes, self.documents,
                                                              strict=True)),
                                 nothing=labels.REMINDER_NONE_AT_ALL)

    def _repr_html_(self) -> str:
        return self.html()


def reminders(metrics: Mapping[str, Any], codes: list[str] | None = None) -> Reminders:
    """The reminders of `codes` (default: every unit that gets one)."""
    chosen = tuple(reminder_codes(metrics) if codes is None else codes)
    return Reminders(chosen, tuple(reminder_document(metrics, code) for code in chosen))
