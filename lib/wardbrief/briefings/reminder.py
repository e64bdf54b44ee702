"""A department's PHIẾU ĐÔN ĐỐC as a document model (`wardbrief.document.model`).

    header      letterhead, title, `Kính gửi: …`, the sample's notice
    intro       what the unit has open at the as-of date
    overdue     its cases unanswered past due (a table)
    due_soon    its cases due soon (a table)
    tasks       the tasks it leads, overdue or due soon
    ask         what the committee asks of it
    signature   `Nơi nhận:` and the office's signature (TL. CHỦ TỊCH)

Every list says so when it is empty; figures come from metrics through `Briefing`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wardbrief.briefings import fmt, labels
from wardbrief.briefings.briefing import Briefing, join_vn
from wardbrief.briefings.report import demo_marks, letterhead
from wardbrief.briefings.sections import plain_text
from wardbrief.document.model import Document, Heading, Paragraph, Section, Signature, Table
from wardbrief.read.schema import UNASSIGNED


def reminder_document(metrics: Mapping[str, Any], code: str) -> Document:
    """The reminder to one department's head (or, for cases without a department, to the
    office): its overdue and due-soon cases and tasks, and the ask."""
    b = Briefing(metrics, report="department_reminders")
    figures = b.by_department.get(code, {})
    overdue = [c for c in b.cases.get("overdue_cases", []) if c["department"] == code]
    due_soon = [c for c in b.due_soon_cases() if c["department"] == code]
    tasks = [] if code == UNASSIGNED else [
        i for i in b.attention_tasks(lead=code) if i.get("bucket") == "overdue" or i.get("due_soon")]
    n_overdue = int(figures.get("open_overdue") or 0)
    n_soon = int(figures.get("open_due_soon") or 0)
    kind, subject = b.title("department_reminders")
    head = Section("header", (letterhead(b, labels.DOC_SYMBOL_REMINDER, kind, [subject],
                                         b.addressee(code)),
                              *(Paragraph(line, "notice") for line in b.notice_lines())))
    parts = [template.format(count=fmt.count_formal(n)) for template, n in (
        (labels.REMINDER_INTRO_OVERDUE, n_overdue), (labels.REMINDER_INTRO_DUE_SOON, n_soon),
        (labels.REMINDER_INTRO_TASKS, len(tasks))) if n]
    intro = labels.REMINDER_INTRO_UNASSIGNED if code == UNASSIGNED \
        else labels.REMINDER_INTRO_WITH_TASKS
    sections = [head, Section("intro", (Paragraph(intro.format(
        as_of=fmt.date_vn(metrics.get("as_of")), parts=join_vn(parts))),))]
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
        c = labels.TASK_COLUMNS  # as the reminder's page has them (Briefing.attention_columns)
        rows_t = tuple((plain_text(r["task_id"]), plain_text(r["content"]),
                        fmt.date_vn(r["due"]) if r["due"] != labels.NO_DEADLINE else r["due"],
                        r["progress"], r["bucket"]) for r in b.attention_rows(tasks))
        sections.append(Section("tasks", (
            Heading(f"{number}. {labels.REMINDER_TASKS_TITLE}", 2),
            Table((c["task_id"], c["content"], c["due"], c["progress"], c["bucket"]), rows_t,
                  (False, False, False, True, False), (2.0, 5.0, 1.8, 1.2, 2.2),
                  css="wb-reminder-tasks", nowrap=(True, False, True, False, False)))))
    sections.append(Section("ask", (Paragraph(_ask(code, n_overdue, n_soon, bool(tasks))),)))
    sections.append(Section("signature", (Signature(
        labels.RECIPIENTS_TITLE, tuple(labels.REMINDER_RECIPIENTS), tuple(labels.REMINDER_SIGNER),
        None, labels.SIGNATURE_NAME_PLACEHOLDER),)))
    return Document(report="department_reminders", title=f"{kind} — {subject}",
                    sections=tuple(sections), marks=demo_marks(metrics))


def _ask(code: str, n_overdue: int, n_soon: int, tasks: bool) -> str:
    if code == UNASSIGNED:
        return labels.REMINDER_ASK_UNASSIGNED
    asks = [text for text, on in ((labels.REMINDER_ASK_OVERDUE, n_overdue),
                                  (labels.REMINDER_ASK_DUE_SOON, n_soon),
                                  (labels.REMINDER_ASK_TASKS, tasks)) if on]
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


def reminder_codes(metrics: Mapping[str, Any]) -> list[str]:
    """The units that get a reminder, DonVi order (cases without a unit: the office's)."""
    return Briefing(metrics).reminder_departments()
