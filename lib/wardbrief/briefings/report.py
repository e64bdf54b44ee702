"""The BÁO CÁO of a period (the monthly, quarterly, six-month and year reports) as a
document model (`wardbrief.document.model`): named sections shaped once from metrics.

    header        the NĐ 30/2020 letterhead, title and subject; the sample's notice
    cases         I. results — 1. cases: the paragraph of figures, Bảng 1 (the period
                  against the previous period, the same period last year, the year to date)
    departments   2. departments ranked (Bảng 2)
    campaign      3. campaign, and how cases came in
    smart_city    4. smart-city tasks needing attention
    shortcomings  II. the units and cases late or unanswered
    next          III. next steps: the first from the figures (the office's follow in the
                  notebook's Markdown cell after it)
    closing       `Trên đây là báo cáo …/.`
    signature     `Nơi nhận:` and the signature block
    annex         Phụ lục: the named cases unanswered past due (A) and answered late (B)

The notebook shows these sections by name; the Word file and the PDF are renderings of
the same sections in the notebook's order (`document.notebook`). Every figure comes from
metrics (through `Briefing`, which reads them); the words are the glossary's and the
report's (`labels`), numbers and dates written by `fmt`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from wardbrief.briefings import fmt, labels
from wardbrief.briefings.briefing import (
    TOP_TASKS,
    Briefing,
    doc_symbol,
    join_vn,
    place_name,
    signer_role,
)
from wardbrief.briefings.sections import plain_text
from wardbrief.briefings.shaping import number_or_none
from wardbrief.document.model import (
    Document,
    Heading,
    Letterhead,
    Paragraph,
    Section,
    Signature,
    Table,
)
from wardbrief.figures.periods import MONTHS_IN
from wardbrief.figures.rules import RANK_MIN_DENOMINATOR

SECTION_NAMES = ("header", "cases", "departments", "campaign", "smart_city", "shortcomings",
                 "next", "closing", "signature", "annex")
DEPARTMENT_KEYS = ("received", "resolved", "resolved_on_time", "resolved_late", "open_overdue",
                   "on_time_rate", "compliance_rate")


def report_document(metrics: Mapping[str, Any], report: str = "monthly_report",
                    ward_name: str | None = None) -> Document:
    """The document of a monthly or longer report, every section shaped from `metrics`."""
    b = Briefing(metrics, ward_name=ward_name, report=report)
    builders = {"header": header_section, "cases": cases_section,
                "departments": departments_section, "campaign": campaign_section,
                "smart_city": smart_city_section, "shortcomings": shortcomings_section,
                "next": next_section, "closing": closing_section,
                "signature": signature_section, "annex": annex_section}
    sections = tuple(builders[name](b) for name in SECTION_NAMES)
    return Document(report=report, title=" — ".join(report_title(metrics, report)),
                    sections=sections, marks=demo_marks(metrics))


def demo_marks(metrics: Mapping[str, Any]) -> tuple[str, ...]:
    mark = labels.demo_mark(metrics)
    return (mark,) if mark else ()


def period_of(metrics: Mapping[str, Any]) -> dict[str, Any]:
    """metrics `period`, or the month of the as-of date for metrics without one."""
    period = metrics.get("period")
    if period:
        return dict(period)
    as_of = str(metrics.get("as_of") or "")
    return {"kind": "month", "label": as_of[:7], "start": metrics.get("period_start"),
            "end": as_of}


def report_title(metrics: Mapping[str, Any], report: str) -> tuple[str, str]:
    """`BÁO CÁO` and its subject (trích yếu) for the report's period."""
    title = labels.REPORT_TITLES.get(report, labels.REPORT_TITLES["monthly_report"])
    subtitle = labels.REPORT_SUBTITLES.get(report, labels.REPORT_SUBTITLES["monthly_report"])
    return title, subtitle.format(month=fmt.month_vn(metrics.get("as_of")),
                                  period=fmt.period_vn(period_of(metrics)))


def ward_in_text(ward: str) -> str:
    """`phường Đông Hải` — the ward as it reads inside a sentence."""
    words = ward.split()
    return " ".join([words[0].lower()] + words[1:]) if words else ward


def letterhead(b: Briefing, symbol: str, title: str, subject: Sequence[str],
               addressee: str | None = None) -> Letterhead:
    return Letterhead(
        issuer=(labels.COMMITTEE, b.ward.upper()),
        number=f"{labels.DOC_NUMBER}{' ' * 8}{symbol}" if symbol else "",
        nation=labels.NATION, motto=labels.MOTTO,
        date_line=fmt.date_line(place_name(b.ward), b.metrics.get("as_of")),
        title=title, subject=tuple(subject), addressee=addressee)


def header_section(b: Briefing) -> Section:
    title, subject = report_title(b.metrics, b.report)
    notices = [Paragraph(line, "notice") for line in b.notice_lines()]
    notes = [Paragraph(line, "note") for line in b.notes()]
    return Section("header", (letterhead(b, doc_symbol(b.settings), title, [subject]),
                              *notices, *notes))


# --- the formal paragraphs' sentences -----------------------------------------------------
def figure_sentences(b: Briefing) -> list[str]:
    """The formal paragraph's figures of the period: received and answered, returned,
    the target, compliance, satisfaction, speed (monthly and longer reports, Word)."""
    t = b.totals
    sentences = [b.headline_sentence()]
    if t.get("returned"):
        sentences.append(labels.MONTHLY_RETURNED_SENTENCE.format(
            returned=fmt.count_formal(t["returned"])))
    met = b.target_met()
    if met is not None:
        sentences.append(labels.MONTHLY_TARGET_SENTENCE.format(
            target=fmt.percent_vn(b.target),
            verdict=labels.MONTHLY_TARGET_VERDICT["met" if met else "missed"]))
    if t.get("compliance_rate") is not None:
        sentences.append(labels.MONTHLY_COMPLIANCE_SENTENCE.format(
            compliance_rate=fmt.percent_vn(t["compliance_rate"])))
    if t.get("rated"):
        sentences.append(labels.MONTHLY_SATISFACTION_SENTENCE.format(
            rated=fmt.count_formal(t["rated"]), satisfied=fmt.count_formal(t.get("satisfied")),
            rate=labels.MONTHLY_SATISFACTION_RATE.format(
                rate=fmt.percent_vn(t["satisfaction_rate"]))
            if t.get("satisfaction_rate") is not None else ""))
    if number_or_none(t.get("avg_working_days")) is not None:
        sentences.append(labels.MONTHLY_SPEED_SENTENCE.format(
            days=fmt.number_vn(t["avg_working_days"])))
    return sentences

def ranked_names(b: Briefing, rows: Sequence[Mapping[str, Any]]) -> str:
    return join_vn([labels.NAME_RATE.format(
        name=r.get("name") or b.department_name(r["department"]),
        rate=fmt.percent_vn(r["compliance_rate"])) for r in rows])

def channels_below_target(b: Briefing) -> list[str]:
    """The channels short of their target: the period's posts against the targets over
    the period's days; the month's (as-of month) for metrics written before those."""
    comms = b.metrics.get("communications") or {}
    if comms.get("period_targets"):
        done, targets = comms.get("by_channel") or {}, comms["period_targets"]["targets"]
        return [labels.PERIOD_CAMPAIGN_BELOW.format(
            channel=labels.CHANNELS.get(c, c), done=fmt.count_formal(done.get(c, 0)),
            target=fmt.count_formal(t)) for c, t in targets.items() if t and done.get(c, 0) < t]
    month = comms.get("month") or {}
    done, targets = month.get("by_channel", {}), month.get("targets", {})
    return [labels.MONTHLY_CAMPAIGN_BELOW.format(
        channel=labels.CHANNELS.get(c, c), done=fmt.count_formal(done.get(c, 0)),
        target=fmt.count_formal(t)) for c, t in targets.items() if t and done.get(c, 0) < t]

def shortcoming_lines(b: Briefing) -> list[str]:
    """Per department: how many cases it left unanswered past due or answered late."""
    lines = []
    for row in b.accountable_by_department():
        parts = [template.format(count=fmt.count_formal(n)) for template, n in (
            (labels.ACCOUNTABILITY_UNANSWERED, row["unanswered"]),
            (labels.ACCOUNTABILITY_LATE, row["late"])) if n]
        lines.append(labels.MONTHLY_SHORTCOMING_LINE.format(
            name=row["name"], parts=", ".join(parts),
            longest=labels.MONTHLY_LONGEST.format(days=fmt.count_formal(row["longest"]))
            if row["longest"] else ""))
    return lines

def next_steps(b: Briefing) -> list[str]:
    """The first priority of the next period, from the figures; the office writes the
    others in the notebook's Markdown cell below it."""
    overdue, due_soon = (b.totals.get(k) or 0 for k in ("open_overdue", "open_due_soon"))
    first = labels.NEXT_STEP_CASES.format(
        overdue=labels.NEXT_STEP_OVERDUE.format(count=fmt.count_formal(overdue)) if overdue else "",
        due_soon=labels.NEXT_STEP_DUE_SOON.format(count=fmt.count_formal(due_soon))
        if due_soon else "", target=fmt.percent_vn(b.target))
    return [first]


# --- I. results ---------------------------------------------------------------------------

def _totals(compared: Mapping[str, Any], name: str) -> dict[str, Any]:
    return dict(((compared.get(name) or {}).get("cases") or {}).get("totals") or {})


def _has_cases(totals: Mapping[str, Any]) -> bool:
    return bool(totals.get("received") or totals.get("resolved") or totals.get("open"))


def _figure(name: str, value: Any) -> str:
    return fmt.percent_vn(value) if name.endswith("_rate") else fmt.int_vn(value)


def cases_sentences(b: Briefing) -> list[str]:
    """The period's figures (figure_sentences), then the comparisons: the
    previous period (named), the same period last year, the year to date."""
    t = b.totals
    out = figure_sentences(b)
    # a previous period without cases (before the sheet's first) is not compared with:
    # Bảng 1's note says it has no figures (no "tăng 110" against nothing)
    if b.compared_with() and _has_cases(b.previous_totals or {}):
        parts = [labels.MONTHLY_PREVIOUS_RECEIVED.format(change=fmt.change_words(
            t.get("received"), b.previous_totals.get("received")))]
        if t.get("on_time_rate") is not None and b.previous_totals.get("on_time_rate") is not None:
            parts.append(labels.MONTHLY_PREVIOUS_RATE.format(change=fmt.change_words(
                t["on_time_rate"], b.previous_totals["on_time_rate"], rate=True)))
        out.append(labels.MONTHLY_COMPARED_SENTENCE.format(
            compared=b.compared_with().capitalize(), parts="; ".join(parts)))
    compared = b.metrics.get("comparisons") or {}
    last_year = _totals(compared, "same_period_last_year")
    if _has_cases(last_year):
        out.append(labels.SAME_PERIOD_SENTENCE.format(
            received_change=fmt.change_words(t.get("received"), last_year.get("received")),
            rate_change=fmt.change_words(t.get("on_time_rate"), last_year.get("on_time_rate"),
                                         rate=True)))
    ytd = _totals(compared, "year_to_date")
    if ytd:
        span = compared["year_to_date"]["period"]
        out.append(labels.YEAR_TO_DATE_SENTENCE.format(
            start=fmt.date_vn(span["start"]), end=fmt.date_vn(span["end"]),
            received=fmt.count_formal(ytd.get("received")),
            resolved=fmt.count_formal(ytd.get("resolved")),
            on_time=fmt.count_formal(ytd.get("resolved_on_time")),
            on_time_rate=fmt.percent_vn(ytd.get("on_time_rate"))))
    return out


def _span(period: Mapping[str, Any]) -> str:
    if period["kind"] in MONTHS_IN:
        return fmt.period_vn(dict(period))
    return labels.PERIOD_NAMES["dates"].format(start=fmt.date_vn(period["start"]),
                                               end=fmt.date_vn(period["end"]))


def comparison_blocks(b: Briefing) -> list[Any]:
    """Bảng 1: the period against the previous period, the same period last year and the
    year to date (metrics `comparisons`); a period without cases is left out and said so."""
    compared = b.metrics.get("comparisons") or {}
    names = [n for n in ("previous_period", "same_period_last_year", "year_to_date")
             if n in compared and _has_cases(_totals(compared, n))]
    if not names:
        return []
    c = labels.COMPARISON_COLUMNS
    rows = tuple(
        (labels.FIGURES[f], _figure(f, b.totals.get(f)),
         *(_figure(f, _totals(compared, n).get(f)) for n in names))
        for f in labels.COMPARISON_FIGURES)
    spans = {n: _span(compared[n]["period"]) if n in names else labels.NO_FIGURES
             for n in ("previous_period", "same_period_last_year", "year_to_date")
             if n in compared}
    note = labels.COMPARISON_PERIODS_NOTE.format(
        previous=spans.get("previous_period", fmt.DASH),
        last_year=spans.get("same_period_last_year", fmt.DASH),
        ytd=spans.get("year_to_date", fmt.DASH))
    table = Table(header=(c["figure"], c["current"], *(c[n] for n in names)), rows=rows,
                  numeric=(False,) + (True,) * (1 + len(names)),
                  widths=(3.2,) + (1.6,) * (1 + len(names)), css="wb-comparison")
    return [Paragraph(labels.COMPARISON_TITLE, "caption"), table, Paragraph(note, "note")]


def cases_section(b: Briefing) -> Section:
    return Section("cases", (Heading(labels.MONTHLY_SECTIONS["results"], 1),
                             Heading(labels.MONTHLY_SECTIONS["cases"], 2),
                             Paragraph(" ".join(cases_sentences(b))),
                             *comparison_blocks(b)))


def departments_section(b: Briefing) -> Section:
    c = labels.DEPARTMENT_COLUMNS
    rows = tuple((fmt.int_vn(r["rank"]) if isinstance(r["rank"], int) else r["rank"], r["name"],
                  *(_figure(k, r[k]) for k in DEPARTMENT_KEYS))
                 for r in b.department_rows())
    t = b.totals
    foot = ("", labels.TOTAL, *(_figure(k, t.get(k)) for k in DEPARTMENT_KEYS))
    table = Table(header=(c["rank"], c["name"], *(c[k] for k in DEPARTMENT_KEYS)), rows=rows,
                  numeric=(False, False) + (True,) * len(DEPARTMENT_KEYS),
                  widths=(1.3, 3.6) + (1.15,) * (len(DEPARTMENT_KEYS) - 2) + (1.3, 1.3),
                  foot=foot, css="wb-departments")
    blocks: list[Any] = [Heading(labels.MONTHLY_SECTIONS["departments"], 2),
                         Paragraph(labels.MONTHLY_DEPARTMENTS_INTRO, "lead"),
                         Paragraph(labels.DEPARTMENTS_TABLE_TITLE.format(
                             n=2 if comparison_blocks(b) else 1), "caption"), table,
                         Paragraph(labels.RANKING_NOTE.format(minimum=RANK_MIN_DENOMINATOR),
                                   "note")]
    ranked = [r for r in b.ranking() if r.get("rank") is not None]
    if ranked:
        best = [r for r in ranked if r["rank"] == ranked[0]["rank"]]
        worst = [r for r in ranked if r["rank"] == ranked[-1]["rank"]]
        text = labels.MONTHLY_BEST_SENTENCE.format(names=ranked_names(b, best))
        if worst[0]["rank"] != best[0]["rank"]:
            text += " " + labels.MONTHLY_WORST_SENTENCE.format(names=ranked_names(b, worst))
        blocks.append(Paragraph(text))
    return Section("departments", tuple(blocks))


def campaign_section(b: Briefing) -> Section:
    title = Heading(labels.MONTHLY_SECTIONS["campaign"], 2)
    absent = b.tab_absent("TruyenThong")
    if absent:
        return Section("campaign", (title, Paragraph(absent)))
    comms = b.metrics.get("communications") or {}
    parts = join_vn([f"{labels.CHANNELS[ch]} {fmt.count_formal(n)}"
                     for ch, n in (comms.get("by_channel") or {}).items()
                     if n and ch in labels.CHANNELS])
    text = (labels.MONTHLY_CAMPAIGN_PARAGRAPH.format(total=fmt.count_formal(comms["total"]),
                                                     parts=parts)
            if comms.get("total") and parts else labels.MONTHLY_CAMPAIGN_NONE)
    month = comms.get("month") or {}
    if (comms.get("period_targets") or {}).get("targets"):
        text += " " + period_targets_sentence(comms)
    elif month.get("targets") and any(month["targets"].values()):
        done = [f"{labels.CHANNELS.get(ch, ch)} "
                f"{fmt.count_formal(month['by_channel'].get(ch, 0))}/{fmt.count_formal(t)}"
                for ch, t in month["targets"].items() if t]
        text += " " + labels.MONTHLY_CAMPAIGN_TARGETS.format(
            month=fmt.month_vn(b.metrics.get("as_of")), parts=join_vn(done))
    blocks: list[Any] = [title, Paragraph(text)]
    if b.intake_sentence():
        blocks.append(Paragraph(b.intake_sentence()))
    return Section("campaign", tuple(blocks))


def period_targets_sentence(comms: Mapping[str, Any]) -> str:
    """`So với chỉ tiêu của kỳ (chỉ tiêu tháng tính theo số ngày của từng tháng trong kỳ:
    tháng 10/2026 17/31 ngày, tháng 11/2026 14/30 ngày): Mạng xã hội 09/08, …`: the
    period's posts against the targets over its own days, and how those were counted."""
    targets = comms["period_targets"]
    months = join_vn([labels.PERIOD_CAMPAIGN_MONTH.format(
        month=fmt.month_vn(f"{m['month']}-01"), days=m["days"], of=m["of"])
        for m in targets["months"]])
    done = comms.get("by_channel") or {}
    return labels.PERIOD_CAMPAIGN_TARGETS.format(
        how=labels.PERIOD_CAMPAIGN_HOW.format(months=months),
        parts=join_vn([f"{labels.CHANNELS.get(ch, ch)} {fmt.count_formal(done.get(ch, 0))}/"
                       f"{fmt.count_formal(t)}" for ch, t in targets["targets"].items()]))


def smart_city_section(b: Briefing) -> Section:
    title = Heading(labels.MONTHLY_SECTIONS["smart_city"], 2)
    absent = b.tab_absent("NhiemVu")
    if absent:
        return Section("smart_city", (title, Paragraph(absent)))
    t = b.task_totals()
    text = labels.MONTHLY_TASKS_PARAGRAPH.format(
        **{k: fmt.count_formal(t.get(k, 0)) for k in (
            "total", "done_on_time", "done_late", "in_progress", "overdue", "blocked",
            "due_soon")}) if t.get("total") else labels.MONTHLY_TASKS_NONE
    blocks: list[Any] = [title, Paragraph(text)]
    items = b.attention_tasks(labels.SMART_CITY_GROUP_KEYS)[:TOP_TASKS]
    if items:
        c = labels.TASKS_TABLE_COLUMNS
        rows = tuple((plain_text(i.get("task_id")), plain_text(i.get("content")),
                      b.department_name(i["lead"]) if i.get("lead") else fmt.DASH,
                      fmt.date_vn(i.get("due")) if i.get("due") else labels.NO_DEADLINE,
                      b.task_state(i)) for i in items)
        blocks += [Paragraph(labels.MONTHLY_SMART_CITY_INTRO, "lead"),
                   Table(tuple(c.values()), rows, (False,) * 5, (2.0, 4.6, 2.4, 1.8, 2.0),
                         css="wb-tasks", nowrap=(True, False, False, True, False))]
    return Section("smart_city", tuple(blocks))


# --- II. shortcomings, III. next steps ------------------------------------------------------

def shortcomings_section(b: Briefing) -> Section:
    lines = shortcoming_lines(b)
    blocks: list[Any] = [Heading(labels.MONTHLY_SECTIONS["shortcomings"], 1),
                         Paragraph(labels.MONTHLY_SHORTCOMINGS_INTRO, "lead") if lines
                         else Paragraph(labels.MONTHLY_SHORTCOMINGS_NONE)]
    blocks += [Paragraph(f"- {line}", "item") for line in lines]
    t = b.task_totals()
    tasks = join_vn([template.format(count=fmt.count_formal(t[key])) for key, template in (
        ("overdue", labels.MONTHLY_SHORTCOMING_TASKS_OVERDUE),
        ("blocked", labels.MONTHLY_SHORTCOMING_TASKS_BLOCKED)) if t.get(key)])
    if tasks:
        blocks.append(Paragraph("- " + labels.MONTHLY_SHORTCOMING_TASKS.format(parts=tasks),
                                "item"))
    below = channels_below_target(b)
    if below:
        blocks.append(Paragraph("- " + labels.MONTHLY_SHORTCOMING_CAMPAIGN.format(
            parts="; ".join(below)), "item"))
    if lines:
        blocks.append(Paragraph(labels.ANNEX_IN_DOCUMENT))
    return Section("shortcomings", tuple(blocks))


def next_section(b: Briefing) -> Section:
    return Section("next", (Heading(labels.MONTHLY_SECTIONS["next"], 1),
                            *(Paragraph(f"{i}. {text}")
                              for i, text in enumerate(next_steps(b), start=1))))


def closing_section(b: Briefing) -> Section:
    ward = ward_in_text(b.ward)
    if b.report == "monthly_report":
        text = labels.MONTHLY_CLOSING.format(month=fmt.month_vn(b.metrics.get("as_of")),
                                             ward=ward)
    else:
        text = labels.PERIOD_CLOSING.format(period=fmt.period_vn(period_of(b.metrics)), ward=ward)
    return Section("closing", (Paragraph(text),))


def signature_section(b: Briefing) -> Section:
    name = str(b.settings.get("signer_name") or "").strip() or None
    return Section("signature", (Signature(labels.RECIPIENTS_TITLE, tuple(labels.RECIPIENTS),
                                           tuple(signer_role(b.settings)), name,
                                           labels.SIGNATURE_NAME_PLACEHOLDER),))


# --- the annex ------------------------------------------------------------------------------

ANNEX_WIDTHS = {"number": 0.9, "case_id": 2.6, "department_name": 2.4, "received": 1.8,
                "due": 1.8, "responded": 1.8, "working_days_late": 1.3}


def annex_section(b: Briefing) -> Section:
    """Phụ lục: the named cases unanswered past due (A), then those answered late (B),
    most working days late first (metrics `overdue_cases`, `late_cases`)."""
    year = str(b.metrics.get("as_of") or "")[:4]
    blocks: list[Any] = [
        Paragraph(labels.ANNEX_TITLE, "centred"), Paragraph(labels.ANNEX_SUBJECT, "centred"),
        Paragraph(labels.ANNEX_ATTACHED.format(symbol=doc_symbol(b.settings), year=year,
                                               ward=ward_in_text(b.ward)), "italic")]
    c = labels.ANNEX_COLUMNS
    for title, name, responded in (
            (labels.ANNEX_OPEN.format(as_of=fmt.date_vn(b.metrics.get("as_of"))),
             "overdue_cases", False),
            (labels.ANNEX_LATE, "late_cases", True)):
        cases = list(b.cases.get(name) or [])
        blocks.append(Heading(title, 2))
        if not cases:
            blocks.append(Paragraph(labels.ANNEX_NONE))
            continue
        keys = ["number", "case_id", "department_name", "received", "due"] + (
            ["responded"] if responded else []) + ["working_days_late"]
        rows = tuple(tuple(_annex_cell(b, k, n, case) for k in keys)
                     for n, case in enumerate(cases, start=1))
        blocks.append(Table(tuple(c[k] for k in keys), rows,
                            tuple(k in ("number", "working_days_late") for k in keys),
                            tuple(ANNEX_WIDTHS[k] for k in keys), css="wb-annex-table",
                            nowrap=tuple(k in ("case_id", "received", "due", "responded")
                                         for k in keys)))
    return Section("annex", tuple(blocks), annex=True)


def _annex_cell(b: Briefing, key: str, number: int, case: Mapping[str, Any]) -> str:
    if key == "number":
        return str(number)
    if key == "department_name":
        return str(case.get("department_name") or b.department_name(case["department"]))
    if key in ("received", "due", "responded"):
        return fmt.date_vn(case.get(key))
    if key == "working_days_late":
        return fmt.int_vn(case.get(key))
    return plain_text(case.get(key))
