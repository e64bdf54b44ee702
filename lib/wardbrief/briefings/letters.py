"""The e-mails' letters: what each message says, as a document model rendered by
`wardbrief.document.email` (plain text, and the HTML alternative through the one Jinja
environment). `wardbrief.publish.mail` only delivers them.

A briefing's letter is made of the report's own document: the greeting and a line
saying what is sent for which period, then the report's summary sections as its page
has them (`SUMMARY`, by name), the pointer to the attachment, the stale-data warning when
the figures come from a snapshot, and the footer with the report's fingerprint. A
department's reminder mails its reminder's sections (`reminder.MAILED`); the data-quality
list mails its own summary sections to the office. The sample's
letters carry DỮ LIỆU MẪU before the subject and as the first line (the document's mark).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from wardbrief.briefings import documents, fmt, labels
from wardbrief.document.model import Document, Paragraph, Section, Table

# The sections of a report its reader reads in the e-mail, in the report's order:
# - the weekly briefing: I.'s sentence of figures (`headline`, without its table: the PDF
#   has it) and page 1's box (`key_points`: the verdict, the rates, the overdue cases and
#   who holds them, what the Chairman is asked to act on);
# - a formal report: `cases` (I.1: the paragraph of figures and Bảng 1) and
#   `shortcomings` (II.: the units late or unanswered, tasks, the campaign's shortfall).
# - the data-quality list (to the office): why nothing was briefed (when so), how many
#   issues, the errors (the rows left out) with their tables when they hold at most
#   MAILED_FIXES rows, else only what its sentences say (the PDF lists them all).
SUMMARY = {"weekly_briefing": ("headline", "key_points"),
           "data_quality": ("refused", "summary", "errors")}
FORMAL_SUMMARY = ("cases", "shortcomings")
TEXT_ONLY = {"headline"}  # summary sections mailed without their tables
SHORT_ONLY = {"errors"}  # summary sections mailed without their tables when these are long
MAILED_FIXES = 30


def summary_names(report: str) -> tuple[str, ...]:
    return SUMMARY.get(report, FORMAL_SUMMARY)


def ward_of(metrics: Mapping[str, Any]) -> str:
    return str(metrics.get("ward") or "")


def short(fingerprint: str) -> str:
    return fingerprint.removeprefix("sha256:")[:12]


def period(metrics: Mapping[str, Any]) -> str:
    return f"{fmt.date_vn(metrics.get('period_start'))} - {fmt.date_vn(metrics.get('as_of'))}"


def report_title(report: str, metrics: Mapping[str, Any]) -> str:
    """`Báo cáo giao ban tuần`, `Báo cáo kết quả tiếp nhận, … tháng 11/2026`: the report as
    a sentence names it."""
    title = labels.REPORT_TITLES.get(report, report)
    subtitle = labels.REPORT_SUBTITLES.get(report, "")
    subtitle = subtitle.replace("{month}", fmt.month_vn(metrics.get("as_of"))).replace(
        "{period}", fmt.period_vn(metrics.get("period")))
    if title.strip().upper() == "BÁO CÁO" and subtitle:  # the formal report says its subject
        return f"Báo cáo {subtitle[:1].lower()}{subtitle[1:]}"
    return title.capitalize() if title.isupper() else title


def report_label(report: str) -> str:
    """`Danh sách lỗi dữ liệu (data_quality)`: the report as the office knows it, and as
    the command line names it."""
    title = labels.REPORT_TITLES.get(report, report)
    return f"{title.capitalize() if title.isupper() else title} ({report})"


def department_name(metrics: Mapping[str, Any], code: str) -> str:
    from wardbrief.read.schema import UNASSIGNED

    if code == UNASSIGNED:
        return labels.UNASSIGNED
    info = (metrics.get("departments") or {}).get(code) or {}
    return str(info.get("name") or code)


def _marks(demo: bool) -> tuple[str, ...]:
    return (labels.MAIL_DEMO_LINE,) if demo else ()


def _subject(subject: str, demo: bool) -> str:
    return labels.MAIL_DEMO_PREFIX + subject if demo else subject


def _closing(metrics: Mapping[str, Any], fingerprint: str) -> list[Section]:
    """The stale-data warning (a briefing made from a snapshot), then the footer."""
    sections = []
    source = metrics.get("source") or {}
    if source.get("stale"):
        taken = source.get("taken_at")
        sections.append(Section("stale", (Paragraph(labels.STALE_WARNING.format(
            taken_at=fmt.datetime_vn(taken) if taken else "?"), "notice"),)))
    sections.append(Section("footer", (Paragraph(labels.MAIL_FOOTER.format(
        fingerprint=short(fingerprint), ward=fmt.ward_in_text(ward_of(metrics))), "note"),)))
    return sections


def _letter(report: str, subject: str, metrics: Mapping[str, Any],
            sections: Sequence[Section], fingerprint: str | None = None) -> Document:
    demo = bool(labels.demo_mark(metrics))
    closing = _closing(metrics, fingerprint) if fingerprint is not None else []
    return Document(report=report, title=_subject(subject, demo),
                    sections=(*sections, *closing), marks=_marks(demo))


def _one(name: str, *lines: str, style: str = "body") -> Section:
    return Section(name, tuple(Paragraph(line, style) for line in lines if line))


def summary(report: str, metrics: Mapping[str, Any]) -> list[Section]:
    """The report's summary sections, shaped from its metrics as its page shows them
    (none for a report without a document model)."""
    if report not in documents.MODELLED:
        return []
    names = summary_names(report)
    shaped = documents.shape(report, metrics, only=names)
    chosen = [shaped[name] for name in names if name in shaped and shaped[name].blocks]
    return [replace(s, blocks=tuple(b for b in s.blocks if isinstance(b, Paragraph)))
            if s.name in TEXT_ONLY or (s.name in SHORT_ONLY and _rows(s) > MAILED_FIXES)
            else s for s in chosen]


def _rows(section: Section) -> int:
    return sum(len(b.rows) for b in section.blocks if isinstance(b, Table))


def briefing_letter(report: str, metrics: Mapping[str, Any], fingerprint: str) -> Document:
    """A briefing (the weekly, the monthly and longer reports) to the leadership."""
    title = report_title(report, metrics)
    ward = ward_of(metrics)
    intro = [labels.MAIL_BRIEFING_INTRO.format(title=title,
                                               start=fmt.date_vn(metrics.get("period_start")),
                                               end=fmt.date_vn(metrics.get("as_of")))]
    if metrics.get("data_from"):  # the period covered in part (page 1 says so too)
        intro.append(labels.MAIL_DATA_FROM.format(date=fmt.date_vn(metrics["data_from"])))
    sections = [_one("greeting", labels.MAIL_GREETING_LEADERSHIP.format(
                    ward=fmt.ward_in_text(ward))),
                _one("intro", *intro), *summary(report, metrics),
                _one("attached", labels.MAIL_BRIEFING_ATTACHED)]
    subject = labels.MAIL_SUBJECTS["briefing"].format(ward=ward, title=title,
                                                      period=period(metrics))
    return _letter(report, subject, metrics, sections, fingerprint)


def reminder_letter(metrics: Mapping[str, Any], code: str, fingerprint: str) -> Document:
    """A unit's reminder to its head (the office's own to the leadership): its greeting
    is the reminder's `Kính gửi`, its text the reminder's sections (`reminder.MAILED`)."""
    from wardbrief.briefings import reminder

    document = reminder.reminder_document(metrics, code)
    office = reminder.to_leadership(metrics, code)
    sections = [_one("greeting", f"{reminder.addressee(document)},"),
                _one("attached", labels.MAIL_OFFICE_REPORT_ATTACHED if office
                     else labels.MAIL_REMINDER_ATTACHED),
                *(document[n] for n in reminder.MAILED if n in document)]
    subject = labels.MAIL_SUBJECTS["office_report" if office else "department_reminders"].format(
        ward=ward_of(metrics), department=department_name(metrics, code))
    return _letter("department_reminders", subject, metrics, sections, fingerprint)


def data_quality_letter(metrics: Mapping[str, Any], fingerprint: str) -> Document:
    """The data-quality list to the office: its summary sections (`SUMMARY`), then the
    pointer to the whole list."""
    ward = ward_of(metrics)
    sections = [_one("greeting", labels.MAIL_GREETING_OFFICE.format(ward=fmt.ward_in_text(ward))),
                *summary("data_quality", metrics),
                _one("attached", labels.MAIL_DATA_QUALITY_ATTACHED if metrics.get("data_issues")
                     else labels.MAIL_DATA_QUALITY_EMPTY)]
    subject = labels.MAIL_SUBJECTS["data_quality"].format(
        ward=ward, as_of=fmt.date_vn(metrics.get("as_of")))
    return _letter("data_quality", subject, metrics, sections, fingerprint)


def notice_letter(as_of: str, ward: str, lines: Sequence[str], demo: bool) -> Document:
    """The one message to the office saying what went wrong (`lines`: one `- …` each)."""
    sections = [_one("greeting", labels.MAIL_GREETING_OFFICE.format(ward=fmt.ward_in_text(ward))),
                Section("notice", (Paragraph(labels.MAIL_NOTICE_INTRO.format(
                    as_of=fmt.date_vn(as_of))), *(Paragraph(line, "item") for line in lines)))]
    subject = labels.MAIL_SUBJECTS["notice"].format(ward=ward, as_of=fmt.date_vn(as_of))
    return Document(report="notice", title=_subject(subject, demo), sections=tuple(sections),
                    marks=_marks(demo))


RATES = ("on_time_rate", "compliance_rate", "satisfaction")  # figures written as rates


def _figure_label(key: str) -> str:
    group, _, name = key.partition(".")
    if group == "cases":
        return labels.FIGURES_SHORT.get(name, name)
    if group == "tasks":
        return labels.TASK_TOTAL if name == "total" else labels.MAIL_TASK_FIGURE.format(
            bucket=labels.TASK_BUCKETS.get(name, name).lower())
    return labels.MAIL_CHANGE_FIGURES.get(key, key)


def _shown(key: str, value: Any) -> str:
    if value is None:
        return fmt.DASH
    if key.rpartition(".")[2] in RATES:
        return fmt.percent_vn(value)
    return fmt.count_formal(value)  # as the text's counts: `09`


def changes_line(changed: tuple[list[tuple[str, Any, Any]], list[str]] | None) -> str:
    """`Số liệu thay đổi: Tiếp nhận 12 → 13; …` (the figures that read differently), else
    the inputs that changed (`sent_log.changed`); nothing when the log could not tell."""
    if changed is None:
        return ""
    figures, inputs = changed
    differ = [f"{_figure_label(k)} {_shown(k, before)} → {_shown(k, now)}"
              for k, before, now in figures if _shown(k, before) != _shown(k, now)]
    if differ:
        return labels.MAIL_CHANGED_FIGURES.format(changes="; ".join(differ))
    which = [labels.MAIL_CHANGED_INPUT_NAMES.get(name, name) for name in inputs]
    return labels.MAIL_CHANGED_INPUTS.format(inputs=", ".join(which) or fmt.DASH)


def replacement(sent_at: str | None, old: str, new: str, changed: str) -> Section:
    """What a replacement says after its greeting: which message it replaces and what
    changed since (`changed`: `changes_line`)."""
    return _one("replacement", labels.MAIL_REPLACEMENT_LINE.format(
        sent_at=fmt.datetime_vn(sent_at), old=short(old), new=short(new)), changed)


def of_text(report: str, subject: str, text: str) -> Document:
    """A letter of a message given as text (its paragraphs, the first its greeting)."""
    return Document(report=report, title=subject, sections=tuple(
        _one(f"part-{n}", part.strip()) for n, part in enumerate(text.split("\n\n"))
        if part.strip()))


def replaced(letter: Document, section: Section) -> Document:
    """`letter` marked a replacement: `[Thay thế]` first in its subject, `section` after
    its greeting."""
    sections = list(letter.sections)
    sections.insert(1, section)
    return replace(letter, title=labels.MAIL_REPLACEMENT_PREFIX + letter.title,
                   sections=tuple(sections))


# --- the lines of the office's notice (`notice_letter`) --------------------------------------

def what(report: str, part: str = "") -> str:
    """`Phiếu đôn đốc các đơn vị (department_reminders), CA`: a message's report (and the
    department of a reminder) in a notice."""
    return report_label(report) + (f", {part}" if part else "")


def failed_line(report: str, reason: str) -> str:
    """A report this run could not build (`run --send`): the one line of its failure."""
    return labels.MAIL_NOTICE_FAILED.format(report=report_label(report), reason=reason)


def source_line(reason: str) -> str:
    """The source that could not be read, or the reason a workbook was not briefed."""
    return labels.MAIL_NOTICE_SOURCE.format(reason=reason)


def refused_line(reason: str) -> str:
    """The workbook read but not briefed: why; only the data-quality list was made."""
    return labels.MAIL_NOTICE_REFUSED.format(reason=reason.rstrip("."))


def no_pdf_line(report: str) -> str:
    return labels.MAIL_NOTICE_NO_PDF.format(report=report_label(report))


def missing_line(report: str, as_of: str) -> str:
    return labels.MAIL_NOTICE_MISSING.format(report=report_label(report), as_of=fmt.date_vn(as_of))


def no_address_line(metrics: Mapping[str, Any], code: str) -> str:
    return labels.MAIL_NOTICE_NO_ADDRESS.format(name=department_name(metrics, code))


def interrupted_line(report: str, part: str, recipient: str) -> str:
    return labels.MAIL_NOTICE_INTERRUPTED.format(what=what(report, part), recipient=recipient)


def undelivered_line(report: str, part: str, recipient: str, reason: str) -> str:
    return labels.MAIL_NOTICE_UNDELIVERED.format(recipient=recipient, what=what(report, part),
                                                 reason=reason)


def stale_line(metrics: Mapping[str, Any]) -> str:
    """The snapshot's time, in the office's notice of a briefing made from it."""
    taken = (metrics.get("source") or {}).get("taken_at")
    return labels.MAIL_NOTICE_STALE.format(taken_at=fmt.datetime_vn(taken) if taken else "?")
