"""Formal documents (Nghị định 30/2020/NĐ-CP) as plain data, shaped once from metrics.

`report_document(metrics, report)` is a BÁO CÁO (the monthly report and the quarterly,
six-month and year reports); `reminder_document(metrics, code)` is one department's
PHIẾU ĐÔN ĐỐC. A `FormalDocument` holds text and tables only — no markup: the Word
writer (`wardbrief.publish.docx`) writes it for signing, and the period reports' pages
show it through `templates/wardbrief/sections/formal.html.j2` (`html(...)`), so the page and
the Word file say the same thing.

Every figure comes from metrics (through `Briefing`, which reads them); the words are
`labels`', the writing of numbers and dates `fmt`'s.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import jinja2

from wardbrief.briefings import fmt, labels
from wardbrief.briefings.briefing import Briefing, doc_symbol, place_name, signer_role
from wardbrief.figures.periods import MONTHS_IN
from wardbrief.figures.rules import RANK_MIN_DENOMINATOR
from wardbrief.paths import TEMPLATE_NAME, TEMPLATES_DIR
from wardbrief.read.schema import UNASSIGNED

SECTIONS_DIR = TEMPLATES_DIR / TEMPLATE_NAME / "sections"
TEXT_LIMIT = 160  # characters of citizen or staff text in a table cell
# Pictographs (no font of the document has them) and the control characters an XML
# document cannot hold (a citizen's text may carry either).
_UNPRINTABLE = re.compile("[\U0001F000-\U0001FAFF\u200d\ufe0f\u20e3"
                          "\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]+")


def plain_text(value: object, limit: int = TEXT_LIMIT) -> str:
    """Untrusted text for a cell of a formal document: pictographs and control characters
    dropped, one line, capped."""
    if value is None:
        return ""
    return fmt.cap_text(_UNPRINTABLE.sub("", str(value)), limit)


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]  # right-aligned columns
    widths: tuple[float, ...]  # relative column widths
    foot: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Block:
    kind: str  # "heading" (I.), "subheading" (1.), "paragraph", "item" (- …), "note",
    #            "caption" (above a table), "table"
    text: str = ""
    table: Table | None = None


@dataclass(frozen=True)
class Header:
    issuer: tuple[str, ...]  # the issuing body, both lines bold
    number: str  # `Số:        /BC-UBND`
    nation: str
    motto: str
    date_line: str  # italic: `Đông Hải, ngày 14 tháng 11 năm 2026`


@dataclass(frozen=True)
class Signature:
    recipients_title: str
    recipients: tuple[str, ...]
    role: tuple[str, ...]  # `TM. ỦY BAN NHÂN DÂN`, `CHỦ TỊCH`
    name: str | None  # None: a line is left for the name


@dataclass
class FormalDocument:
    header: Header
    kind: str  # `BÁO CÁO`, `PHIẾU ĐÔN ĐỐC`
    subject: str  # trích yếu
    sections: list[list[Block]]  # one list per part of the body (one notebook cell each)
    signature: Signature
    addressee: str | None = None  # `Kính gửi: …`
    annex_heading: tuple[str, ...] = ()  # `Phụ lục`, its subject, `(Kèm theo …)`
    annex: list[Block] = field(default_factory=list)
    notes: tuple[str, ...] = ()  # metrics `notices`, under the title (the demo sample, …)
    mark: str | None = None  # DỮ LIỆU MẪU in every page's header (the synthetic sample)

    def blocks(self) -> list[Block]:
        return [block for part in self.sections for block in part]


# --- who signs, and the header ----------------------------------------------------------

def header(b: Briefing, symbol: str) -> Header:
    return Header(
        issuer=(labels.COMMITTEE, b.ward.upper()),
        number=f"{labels.DOC_NUMBER}{' ' * 8}{symbol}",
        nation=labels.NATION,
        motto=labels.MOTTO,
        date_line=fmt.date_line(place_name(b.ward), b.metrics.get("as_of")),
    )


# --- the report -------------------------------------------------------------------------

def period_of(metrics: Mapping[str, Any]) -> dict[str, Any]:
    """metrics `period`, or the month of the as-of date for metrics without one."""
    period = metrics.get("period")
    if period:
        return dict(period)
    as_of = str(metrics.get("as_of") or "")
    return {"kind": "month", "label": as_of[:7], "start": metrics.get("period_start"),
            "end": as_of}


def report_subject(metrics: Mapping[str, Any], report: str) -> str:
    subtitle = labels.REPORT_SUBTITLES.get(report, labels.REPORT_SUBTITLES["monthly_report"])
    return subtitle.format(month=fmt.month_vn(metrics.get("as_of")),
                           period=fmt.period_vn(period_of(metrics)))


def report_document(metrics: Mapping[str, Any], report: str = "monthly_report") -> FormalDocument:
    """The BÁO CÁO of a period: results (cases with their comparisons, departments ranked,
    campaign, tasks), shortcomings, next steps; the named late and unanswered cases in
    the annex."""
    b = Briefing(metrics)
    symbol = doc_symbol(b.settings)
    period = period_of(metrics)
    sections = [
        [Block("heading", labels.MONTHLY_SECTIONS["results"]),
         Block("subheading", labels.MONTHLY_SECTIONS["cases"]),
         Block("paragraph", " ".join(cases_sentences(b)))] + comparison_blocks(b),
        department_blocks(b),
        campaign_blocks(b),
        task_blocks(b),
        shortcoming_blocks(b),
        next_blocks(b, report, period),
    ]
    year = str(metrics.get("as_of") or "")[:4]
    return FormalDocument(
        header=header(b, symbol),
        kind=labels.REPORT_TITLES.get(report, labels.REPORT_TITLES["monthly_report"]),
        subject=report_subject(metrics, report),
        sections=sections,
        signature=Signature(labels.RECIPIENTS_TITLE, tuple(labels.RECIPIENTS),
                            signer_role(b.settings), _signer_name(b.settings)),
        annex_heading=(labels.ANNEX_TITLE, labels.ANNEX_SUBJECT,
                       labels.ANNEX_ATTACHED.format(symbol=symbol, year=year,
                                                    ward=_ward_in_text(b.ward))),
        annex=annex_blocks(b),
        notes=tuple(b.notice_lines()),
        mark=labels.demo_mark(metrics),
    )


def _signer_name(settings: Mapping[str, Any]) -> str | None:
    name = settings.get("signer_name")
    return str(name).strip() if name and str(name).strip() else None


def _ward_in_text(ward: str) -> str:
    words = ward.split()
    return " ".join([words[0].lower()] + words[1:]) if words else ward


def cases_sentences(b: Briefing) -> list[str]:
    """The paragraph on cases: the period's figures (Briefing.figure_sentences), then
    the comparisons (kỳ trước, cùng kỳ năm trước, lũy kế)."""
    t = b.totals
    out = b.figure_sentences()
    compared = b.metrics.get("comparisons") or {}
    for name, template in (("previous_period", labels.MONTHLY_PREVIOUS_SENTENCE),
                           ("same_period_last_year", labels.SAME_PERIOD_SENTENCE)):
        other = _totals(compared, name) or (b.previous_totals if name == "previous_period"
                                            else {})
        if other.get("received") or other.get("resolved"):  # a period with cases to compare
            out.append(template.format(
                received_change=fmt.change_words(t.get("received"), other.get("received")),
                rate_change=fmt.change_words(t.get("on_time_rate"), other.get("on_time_rate"),
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


def _totals(compared: Mapping[str, Any], name: str) -> dict[str, Any]:
    return dict(((compared.get(name) or {}).get("cases") or {}).get("totals") or {})


def _figure(name: str, value: Any) -> str:
    return fmt.percent_vn(value) if name.endswith("_rate") else fmt.int_vn(value)


def comparison_blocks(b: Briefing) -> list[Block]:
    """The table of the period against the previous period, the same period last year and
    the year to date (metrics `comparisons`); nothing for metrics without them."""
    compared = b.metrics.get("comparisons") or {}
    names = [n for n in ("previous_period", "same_period_last_year", "year_to_date")
             if n in compared]
    if not names:
        return []
    c = labels.COMPARISON_COLUMNS
    rows = tuple(
        (labels.FIGURES[f], _figure(f, b.totals.get(f)),
         *(_figure(f, _totals(compared, n).get(f)) for n in names))
        for f in labels.COMPARISON_FIGURES)
    spans = {n: fmt.period_vn(compared[n]["period"]) if compared[n]["period"]["kind"]
             in MONTHS_IN else labels.PERIOD_NAMES["dates"].format(
                 start=fmt.date_vn(compared[n]["period"]["start"]),
                 end=fmt.date_vn(compared[n]["period"]["end"])) for n in names}
    note = labels.COMPARISON_PERIODS_NOTE.format(
        previous=spans.get("previous_period", fmt.DASH),
        last_year=spans.get("same_period_last_year", fmt.DASH),
        ytd=spans.get("year_to_date", fmt.DASH))
    table = Table(header=(c["figure"], c["current"], *(c[n] for n in names)), rows=rows,
                  numeric=(False,) + (True,) * (1 + len(names)),
                  widths=(3.2,) + (1.6,) * (1 + len(names)))
    return [Block("caption", labels.COMPARISON_TITLE), Block("table", table=table),
            Block("note", note)]


DEPARTMENT_KEYS = ("received", "resolved", "resolved_on_time", "resolved_late", "open_overdue",
                   "compliance_rate")


def department_blocks(b: Briefing) -> list[Block]:
    c = labels.DEPARTMENT_COLUMNS
    # Briefing.department_rows gives raw figures (the templates write them): written here
    rows = tuple((fmt.int_vn(r["rank"]) if isinstance(r["rank"], int) else r["rank"], r["name"],
                  *(_figure(k, r[k]) for k in DEPARTMENT_KEYS))
                 for r in b.department_rows())
    t = b.totals
    foot = ("", labels.TOTAL, *(_figure(k, t.get(k)) for k in DEPARTMENT_KEYS))
    table = Table(header=(c["rank"], c["name"], *(c[k] for k in DEPARTMENT_KEYS)), rows=rows,
                  numeric=(False, False) + (True,) * len(DEPARTMENT_KEYS),
                  widths=(1.2, 4.0) + (1.15,) * (len(DEPARTMENT_KEYS) - 1) + (1.4,), foot=foot)
    blocks = [Block("subheading", labels.MONTHLY_SECTIONS["departments"]),
              Block("paragraph", labels.MONTHLY_DEPARTMENTS_INTRO), Block("table", table=table),
              Block("note", labels.RANKING_NOTE.format(minimum=RANK_MIN_DENOMINATOR))]
    ranked = [r for r in b.ranking() if r.get("rank") is not None]
    if ranked:
        def names(rank: int) -> str:
            return _join([f"{r.get('name') or b.department_name(r['department'])} "
                          f"({fmt.percent_vn(r['compliance_rate'])})"
                          for r in ranked if r["rank"] == rank])
        text = labels.MONTHLY_BEST_SENTENCE.format(names=names(ranked[0]["rank"]))
        if ranked[-1]["rank"] != ranked[0]["rank"]:
            text += " " + labels.MONTHLY_WORST_SENTENCE.format(names=names(ranked[-1]["rank"]))
        blocks.append(Block("paragraph", text))
    return blocks


def _join(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " và " + parts[-1]


def campaign_blocks(b: Briefing) -> list[Block]:
    comms = b.metrics.get("communications") or {}
    by_channel = comms.get("by_channel", {})
    parts = _join([f"{labels.CHANNELS[ch]} {fmt.count_formal(n)}"
                   for ch, n in by_channel.items() if n and ch in labels.CHANNELS])
    text = labels.MONTHLY_CAMPAIGN_PARAGRAPH.format(
        total=fmt.count_formal(comms.get("total", 0)), parts=parts or fmt.DASH)
    month = comms.get("month") or {}
    if month.get("targets"):
        done = _join([f"{labels.CHANNELS.get(ch, ch)} "
                      f"{fmt.count_formal(month['by_channel'].get(ch, 0))}/{fmt.count_formal(t)}"
                      for ch, t in month["targets"].items() if t])
        if done:
            text += " " + labels.MONTHLY_CAMPAIGN_TARGETS.format(
                month=fmt.month_vn(b.metrics.get("as_of")), parts=done)
    return [Block("subheading", labels.MONTHLY_SECTIONS["campaign"]), Block("paragraph", text)]


def task_blocks(b: Briefing) -> list[Block]:
    t = b.task_totals()
    blocks = [Block("subheading", labels.MONTHLY_SECTIONS["smart_city"]),
              Block("paragraph", labels.MONTHLY_TASKS_PARAGRAPH.format(
                  **{k: fmt.count_formal(t.get(k, 0)) for k in (
                      "total", "done_on_time", "done_late", "in_progress", "overdue", "blocked",
                      "due_soon")}))]
    items = b.attention_tasks(labels.SMART_CITY_GROUP_KEYS)
    if items:
        c = labels.TASKS_TABLE_COLUMNS
        rows = tuple((plain_text(i.get("task_id")), plain_text(i.get("content")),
                      b.department_name(i["lead"]) if i.get("lead") else fmt.DASH,
                      fmt.date_vn(i.get("due")) if i.get("due") else labels.NO_DEADLINE,
                      b.task_state(i)) for i in items)
        blocks += [Block("paragraph", labels.MONTHLY_SMART_CITY_INTRO),
                   Block("table", table=Table(tuple(c.values()), rows,
                                              (False,) * 5, (1.9, 4.4, 2.3, 1.6, 2.2)))]
    return blocks


def shortcoming_blocks(b: Briefing) -> list[Block]:
    lines = b.shortcoming_lines()
    blocks = [Block("heading", labels.MONTHLY_SECTIONS["shortcomings"])]
    if lines:
        blocks.append(Block("paragraph", labels.MONTHLY_SHORTCOMINGS_INTRO))
        blocks += [Block("item", f"- {line}") for line in lines]
    else:
        blocks.append(Block("paragraph", labels.MONTHLY_SHORTCOMINGS_NONE))
    t = b.task_totals()
    if t.get("overdue") or t.get("blocked"):
        blocks.append(Block("item", "- " + labels.MONTHLY_SHORTCOMING_TASKS.format(
            count=fmt.count_formal(t.get("overdue", 0)),
            blocked=fmt.count_formal(t.get("blocked", 0)))))
    below = b.channels_below_target()
    if below:
        blocks.append(Block("item", "- " + labels.MONTHLY_SHORTCOMING_CAMPAIGN.format(
            parts="; ".join(below))))
    return blocks


def next_blocks(b: Briefing, report: str, period: Mapping[str, Any]) -> list[Block]:
    values = {"overdue": fmt.count_formal(b.totals.get("open_overdue", 0)),
              "due_soon": fmt.count_formal(b.totals.get("open_due_soon", 0)),
              "target": fmt.percent_vn(b.target)}
    blocks = [Block("heading", labels.MONTHLY_SECTIONS["next"])]
    blocks += [Block("paragraph", f"{i}. {text.format(**values)}")
               for i, text in enumerate(labels.MONTHLY_NEXT_STEPS, start=1)]
    ward = _ward_in_text(b.ward)
    if report == "monthly_report":
        closing = labels.MONTHLY_CLOSING.format(month=fmt.month_vn(b.metrics.get("as_of")),
                                                ward=ward)
    else:
        closing = labels.PERIOD_CLOSING.format(period=fmt.period_vn(dict(period)), ward=ward)
    return blocks + [Block("paragraph", closing)]


def annex_blocks(b: Briefing) -> list[Block]:
    """The named cases: unanswered past due (A), answered late (B), most days late first."""
    c = labels.ANNEX_COLUMNS
    blocks = []
    for title, name, responded in (
            (labels.ANNEX_OPEN.format(as_of=fmt.date_vn(b.metrics.get("as_of"))),
             "overdue_cases", False),
            (labels.ANNEX_LATE, "late_cases", True)):
        cases = list(b.cases.get(name) or [])
        blocks.append(Block("subheading", title))
        if not cases:
            blocks.append(Block("paragraph", labels.ANNEX_NONE))
            continue
        keys = ["number", "case_id", "department_name", "received", "due"] + (
            ["responded"] if responded else []) + ["working_days_late"]
        rows = tuple(tuple(_annex_cell(b, k, n, case) for k in keys)
                     for n, case in enumerate(cases, start=1))
        widths = {"number": 0.9, "case_id": 2.6, "department_name": 2.2, "received": 1.75,
                  "due": 1.75, "responded": 1.75, "working_days_late": 1.3}
        blocks.append(Block("table", table=Table(
            tuple(c[k] for k in keys), rows,
            tuple(k in ("number", "working_days_late") for k in keys),
            tuple(widths[k] for k in keys))))
    return blocks


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


# --- a department's reminder ------------------------------------------------------------

def reminder_document(metrics: Mapping[str, Any], code: str) -> FormalDocument:
    """PHIẾU ĐÔN ĐỐC to one department's head: its cases unanswered past due and due soon."""
    b = Briefing(metrics)
    figures = b.by_department.get(code, {})
    intro = labels.REMINDER_INTRO.format(
        as_of=fmt.date_vn(metrics.get("as_of")),
        parts=_join([template.format(count=fmt.count_formal(figures.get(key)))
                     for template, key in ((labels.REMINDER_INTRO_OVERDUE, "open_overdue"),
                                           (labels.REMINDER_INTRO_DUE_SOON, "open_due_soon"))
                     if figures.get(key)]))
    overdue = [c for c in b.cases.get("overdue_cases", []) if c["department"] == code]
    due_soon = [c for c in b.due_soon_cases() if c["department"] == code]
    body = [Block("paragraph", intro),
            Block("subheading", labels.REMINDER_OVERDUE_TITLE),
            *_reminder_table(overdue, "working_days_late"),
            Block("subheading", labels.REMINDER_DUE_SOON_TITLE),
            *_reminder_table(due_soon, "working_days_left"),
            Block("paragraph", labels.REMINDER_ASK)]
    return FormalDocument(
        header=header(b, labels.DOC_SYMBOL_REMINDER),
        kind=labels.REPORT_TITLES["department_reminders"],
        subject=labels.REPORT_SUBTITLES["department_reminders"],
        addressee=b.addressee(code),  # the PDF reminder's own line
        sections=[body],
        signature=Signature(labels.RECIPIENTS_TITLE, tuple(labels.REMINDER_RECIPIENTS),
                            tuple(labels.REMINDER_SIGNER), None),
        notes=tuple(b.notice_lines()),
        mark=labels.demo_mark(metrics),
    )


def _reminder_table(cases: list[Mapping[str, Any]], days_key: str) -> list[Block]:
    if not cases:
        return [Block("paragraph", labels.REMINDER_NONE)]
    c = labels.REMINDER_COLUMNS
    rows = tuple((str(x["case_id"]), fmt.date_vn(x.get("received")), fmt.date_vn(x.get("due")),
                  fmt.int_vn(x.get(days_key)), plain_text(x.get("summary")))
                 for x in cases)
    return [Block("table", table=Table(
        (c["case_id"], c["received"], c["due"], c[days_key], c["summary"]), rows,
        (False, False, False, True, False), (2.6, 1.6, 1.6, 1.5, 4.8)))]


def reminder_codes(metrics: Mapping[str, Any]) -> list[str]:
    """The departments that get a reminder (open cases overdue or due soon), DonVi order."""
    return [code for code in Briefing(metrics).reminder_departments() if code != UNASSIGNED]


# --- on the page ------------------------------------------------------------------------

@dataclass(frozen=True)
class Fragment:
    """A part of a formal document as HTML, shown by a notebook cell."""

    html: str

    def _repr_html_(self) -> str:
        return self.html


@functools.cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(SECTIONS_DIR)),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    return env.get_template("formal.html.j2")


def html(doc: FormalDocument, part: str | int) -> Fragment:
    """`header`, `signature`, `annex`, or the index of one of the body's sections."""
    items = doc.sections[part] if isinstance(part, int) else []
    return Fragment(_template().render(doc=doc, part=part if isinstance(part, str) else "body",
                                       items=items,
                                       placeholder=labels.SIGNATURE_NAME_PLACEHOLDER))

