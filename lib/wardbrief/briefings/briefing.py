"""The briefings' content: HTML fragments built from the metrics dict.

A notebook loads a `Briefing` (`load_briefing(...)`) and displays one fragment per
cell: a section heading with its table, a sentence, a chart. Everything the reader
sees is decided here or in `labels`/`fmt`/`charts`; the notebooks only call.

Rules kept here:
- every figure comes from metrics; nothing is computed but sorting, grouping and
  counting list entries (no rate is ever computed here);
- every cell of every table is escaped (`html.escape`): citizen text (`summary`)
  and staff text (task content, messages) are untrusted; a `<script>` in a summary
  shows as text. Long text is capped again at `TEXT_LIMIT` characters;
- citizen text never goes through Markdown (its `*` masking would turn into
  emphasis): it only goes into escaped HTML;
- the extras of metrics beyond CONTRACT section 4 (`departments`, `settings`,
  `previous_period`, `weekly_series`, `department_ranking`, `due_soon_cases`,
  `tasks.items`, `communications.month`, ...) are read with `.get()`, so a
  metrics dict with only the contract keys still renders.

Where the numbers come from: `load_briefing` computes metrics from the source with
`wardbrief.figures.metrics` (the same call the runner makes, so the same inputs give the
same dict), or, when given `metrics_path`, reads the `metrics.json` the runner has
already written — then the PDF and metrics.json cannot disagree even in principle.
"""

from __future__ import annotations

import base64
import html
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from wardbrief.briefings import fmt, labels
from wardbrief.figures import periods
from wardbrief.figures.rules import RANK_MIN_DENOMINATOR
from wardbrief.paths import resolve_source
from wardbrief.read.names import key
from wardbrief.read.schema import TABS, UNASSIGNED, setting_default

# A notebook given metrics.json imports neither pandas nor matplotlib: the engine
# (`wardbrief.figures.metrics`) is imported only to compute metrics from a source, the
# charts (`wardbrief.briefings.charts`) only when one is drawn.

# The contract's defaults, for a metrics dict without `ward` or `settings`.
DEFAULT_WARD = str(setting_default("ward_name"))
TEXT_LIMIT = 200
DEFAULT_TARGET = float(setting_default("on_time_target")) / 100  # metrics: a fraction
SHEET_ORDER = tuple(tab.name for tab in TABS)  # the workbook's tab order
SEVERITY_ORDER = ("error", "warning", "info")
# How a change against the previous period reads: +1 higher is better, -1 lower is better.
DIRECTION = {"resolved": 1, "resolved_on_time": 1, "resolved_late": -1, "open_overdue": -1,
             "on_time_rate": 1, "compliance_rate": 1}

Row = dict[str, Any]


# --- sources and loading ---------------------------------------------------------------



def load_briefing(
    source: str | Path | None = None,
    as_of: date | str | None = None,
    period_start: date | str | None = None,
    allow_stale: bool = False,
    *,
    report: str = "weekly_briefing",
    ward_name: str | None = None,
    metrics_path: str | Path | None = None,
) -> Briefing:
    """Metrics for one report, as a Briefing.

    With `metrics_path` the runner's metrics.json is read as it is. Otherwise the
    workbook is read from `source` (default: the bundled sample) and metrics computed
    as of `as_of` (default: today) for the report's period (figures.periods.period_for:
    from `period_start` when given, else the monthly and longer reports' period that ends
    on or before `as_of` on the workbook's cut-off day, else the week ending at `as_of`).
    """
    if metrics_path:
        with open(metrics_path, encoding="utf-8") as handle:
            return Briefing(json.load(handle), ward_name=ward_name)
    as_of_date = fmt.as_date(as_of) or date.today()
    from wardbrief.figures import metrics as engine

    workbook = engine.load(resolve_source(source), allow_stale=allow_stale)
    period = periods.period_for(report, as_of_date, workbook.settings.cutoff_day,
                                fmt.as_date(period_start))
    return Briefing(engine.compute_metrics(workbook, period.end, period=period),
                    ward_name=ward_name)


# --- small HTML helpers ----------------------------------------------------------------

def esc(value: object) -> str:
    """Escaped text for HTML; None is empty."""
    return "" if value is None else html.escape(str(value), quote=True)


# Pictographs (emoji) and their joiners: no font of the PDF has them (they would print
# as empty boxes), and they carry nothing a briefing needs.
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u200d\ufe0f\u20e3]+")


def text_cell(value: object) -> str:
    """Untrusted text for a table cell: emoji dropped, one line, capped, escaped."""
    text = _EMOJI.sub("", str(value)) if value is not None else None
    return esc(fmt.cap_text(text, TEXT_LIMIT))


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    css: str = ""  # "num" right-aligns, "text" lets it wrap wide


def table_html(columns: Sequence[Column], rows: Iterable[Mapping[str, Any]], *,
               css: str = "", foot: Mapping[str, Any] | None = None) -> str:
    """A table whose every header and cell is escaped. Row values are text already
    written by fmt; a row may carry `_class` for its <tr>; `foot` is the total row."""
    head = "".join(f'<th class="{c.css}">{esc(c.label)}</th>' for c in columns)

    def row_html(row: Mapping[str, Any]) -> str:
        cls = f' class="{esc(row["_class"])}"' if row.get("_class") else ""
        cells = "".join(f'<td class="{c.css}">{text_cell(row.get(c.key))}</td>' for c in columns)
        return f"<tr{cls}>{cells}</tr>"

    # The total row is the last body row, not a <tfoot>: a footer repeats on every page.
    rows = [*rows, {**foot, "_class": "wb-total"}] if foot else rows
    body = "".join(row_html(row) for row in rows)
    return (f'<table class="wb-table {esc(css)}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def heading(text: str, level: int = 2) -> str:
    return f'<h{level} class="wb-h{level}">{esc(text)}</h{level}>'


def paragraph(text: str, css: str = "") -> str:
    cls = f' class="{esc(css)}"' if css else ""
    return f"<p{cls}>{esc(text)}</p>"


def section(*parts: str, css: str = "") -> str:
    """Parts kept together: a heading is never left alone at the foot of a page."""
    return f'<section class="wb-section {esc(css)}">{"".join(parts)}</section>'


def figure_html(png: bytes, caption: str, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return (f'<figure class="wb-figure"><img src="data:image/png;base64,{data}" '
            f'alt="{esc(alt)}"/><figcaption>{esc(caption)}</figcaption></figure>')


def _int(value: object) -> str:
    return fmt.int_vn(value) if isinstance(value, int | float) else fmt.DASH


def _join(parts: Sequence[str]) -> str:
    """`a, b và c`."""
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " và " + parts[-1]


def place_name(ward: str) -> str:
    """`Đông Hải` from `Phường Đông Hải` (the place of the date line)."""
    words = ward.split()
    for prefix in (["phuong"], ["xa"], ["thi", "tran"]):
        if [key(w) for w in words[: len(prefix)]] == prefix and len(words) > len(prefix):
            return " ".join(words[len(prefix):])
    return ward


# --- the Briefing ----------------------------------------------------------------------

def _with_satisfaction_rate(totals: Mapping[str, Any], satisfaction: Mapping[str, Any] | None
                            ) -> dict[str, Any]:
    """The case totals plus the engine's satisfaction rate (metrics `satisfaction`)."""
    if not totals:
        return {}
    return {**totals, "satisfaction_rate": (satisfaction or {}).get("rate")}


class Briefing:
    """The metrics of one run, and every fragment the four reports show."""

    def __init__(self, metrics: Mapping[str, Any], ward_name: str | None = None) -> None:
        self.metrics = metrics
        self.ward = ward_name or metrics.get("ward") or DEFAULT_WARD
        self.cases = metrics.get("cases", {})
        self.totals = _with_satisfaction_rate(self.cases.get("totals", {}),
                                              metrics.get("satisfaction"))
        self.by_department = self.cases.get("by_department", {})
        self.settings = metrics.get("settings", {})
        self.target = self.settings.get("on_time_target", DEFAULT_TARGET)
        self.previous = metrics.get("previous_period") or {}
        self.previous_totals = _with_satisfaction_rate(
            (self.previous.get("cases") or {}).get("totals") or {},
            self.previous.get("satisfaction"))

    # --- who is who

    def department_name(self, code: str) -> str:
        if code == UNASSIGNED:
            return labels.UNASSIGNED
        info = self.metrics.get("departments", {}).get(code) or {}
        return str(info.get("name") or code).strip()

    def department_head(self, code: str) -> str:
        info = self.metrics.get("departments", {}).get(code) or {}
        return str(info.get("head") or fmt.DASH).strip()

    def department_codes(self) -> list[str]:
        """Departments in the order of DonVi, `_unassigned` last."""
        codes = list(self.by_department) or list(self.metrics.get("departments", {}))
        return [c for c in codes if c != UNASSIGNED] + ([UNASSIGNED] if UNASSIGNED in codes else [])

    # --- headers

    def period_line(self) -> str:
        return labels.PERIOD_LINE.format(start=fmt.date_vn(self.metrics.get("period_start")),
                                         end=fmt.date_vn(self.metrics.get("as_of")))

    def notices(self) -> str:
        """The pointer to the data errors, when there are any. (A stale snapshot is
        announced by the runner's banner above the page: wardbrief.publish.runner.stale_banner.)"""
        parts = [self.notice_lines()]
        counts = self.issue_counts()
        if counts["error"] or counts["warning"]:
            parts.append(paragraph(labels.DATA_ISSUES_NOTE.format(
                errors=fmt.int_vn(counts["error"]), warnings=fmt.int_vn(counts["warning"])),
                "wb-note"))
        return "".join(parts)

    def notice_lines(self) -> str:
        """metrics `notices` (the demo sample, month-first dates), one line each: shown on
        every briefing made from the workbook."""
        return "".join(paragraph(line, "wb-note wb-notice")
                       for line in self.metrics.get("notices") or [])

    def formal_header(self, doc_symbol: str | None = labels.DOC_SYMBOL_REPORT) -> str:
        """The two-column header of an administrative document (Nghị định 30/2020/NĐ-CP):
        issuing body left, national title and motto right; number and date line below."""
        number = (f'{esc(labels.DOC_NUMBER)}<span class="wb-blank"></span>{esc(doc_symbol)}'
                  if doc_symbol else "")
        date_line = fmt.date_line(place_name(self.ward), self.metrics.get("as_of"))
        return (
            '<table class="wb-formal-header"><tr>'
            '<td class="wb-issuer">'
            f'<div class="wb-issuer-parent">{esc(labels.COMMITTEE)}</div>'
            f'<div class="wb-issuer-name">{esc(self.ward.upper())}</div>'
            '<div class="wb-rule"></div></td>'
            '<td class="wb-nation">'
            f'<div class="wb-nation-name">{esc(labels.NATION)}</div>'
            f'<div class="wb-motto"><span>{esc(labels.MOTTO)}</span></div></td>'
            "</tr><tr>"
            f'<td class="wb-docnum">{number}</td>'
            f'<td class="wb-dateline">{esc(date_line)}</td>'
            "</tr></table>"
        )

    def title_block(self, report: str) -> str:
        subtitle = labels.REPORT_SUBTITLES[report].format(
            month=fmt.month_vn(self.metrics.get("as_of")))
        return (f'<div class="wb-title"><div class="wb-title-kind">'
                f"{esc(labels.REPORT_TITLES[report])}</div>"
                f'<div class="wb-title-subject">{esc(subtitle)}</div>'
                '<div class="wb-rule"></div></div>')

    def weekly_header(self) -> str:
        lines = [self.period_line()]
        if self.previous.get("period_start"):
            lines.append(labels.PREVIOUS_PERIOD_LINE.format(
                start=fmt.date_vn(self.previous.get("period_start")),
                end=fmt.date_vn(self.previous.get("as_of"))))
        return (self.formal_header(doc_symbol=None) + self.title_block("weekly_briefing")
                + "".join(paragraph(line, "wb-period") for line in lines) + self.notices())

    # --- headline figures

    def headline_sentence(self) -> str:
        """The formal summary sentence of GLOSSARY ("Trong kỳ báo cáo (từ ngày …) …")."""
        t = self.totals
        return labels.MONTHLY_CASES_PARAGRAPH.format(
            start=fmt.date_vn(self.metrics.get("period_start")),
            end=fmt.date_vn(self.metrics.get("as_of")),
            received=fmt.count_formal(t.get("received")),
            resolved=fmt.count_formal(t.get("resolved")),
            on_time=fmt.count_formal(t.get("resolved_on_time")),
            on_time_rate=fmt.percent_vn(t.get("on_time_rate")),
            late=fmt.count_formal(t.get("resolved_late")),
            open=fmt.count_formal(t.get("open")),
            overdue=fmt.count_formal(t.get("open_overdue")),
        )

    def target_met(self) -> bool | None:
        rate = self.totals.get("on_time_rate")
        return None if rate is None or self.target is None else rate >= self.target

    def target_sentence(self) -> str:
        met = self.target_met()
        verdict = fmt.DASH if met is None else labels.TARGET_MET if met else labels.TARGET_MISSED
        return labels.WEEKLY_TARGET_SENTENCE.format(
            rate=fmt.percent_vn(self.totals.get("on_time_rate")),
            target=fmt.percent_vn(self.target), verdict=verdict.lower())

    def satisfaction_text(self, figures: Mapping[str, Any]) -> str:
        """`27/33` (satisfied of rated), with the rate when metrics carry one."""
        rated, satisfied = figures.get("rated"), figures.get("satisfied")
        if not rated:
            return fmt.DASH
        text = f"{fmt.int_vn(satisfied)}/{fmt.int_vn(rated)}"
        rate = figures.get("satisfaction_rate")
        return f"{fmt.percent_vn(rate)} ({text})" if rate is not None else text

    def _change_class(self, name: str, now: Any, before: Any) -> str:
        sign = DIRECTION.get(name, 0)
        if not sign or now is None or before is None or now == before:
            return ""
        return "wb-better" if (now > before) == (sign > 0) else "wb-worse"

    def headline_rows(self) -> list[Row]:
        rows: list[Row] = []
        counts = ("received", "returned", "resolved", "resolved_on_time", "resolved_late",
                  "open", "open_overdue", "open_due_soon")
        for name in counts + ("on_time_rate", "compliance_rate"):
            rate = name.endswith("_rate")
            now, before = self.totals.get(name), self.previous_totals.get(name)
            write = fmt.percent_vn if rate else _int
            target = ""
            if name == "on_time_rate" and self.target is not None:
                met = self.target_met()
                verdict = "" if met is None else labels.TARGET_MET if met else labels.TARGET_MISSED
                target = f"{fmt.percent_vn(self.target)} — {verdict}" if verdict else \
                    fmt.percent_vn(self.target)
            rows.append({
                "label": labels.FIGURES[name],
                "now": write(now),
                "before": write(before) if self.previous_totals else fmt.DASH,
                "change": fmt.change_vn(now, before, rate=rate) if self.previous_totals else fmt.DASH,
                "target": target,
                "_class": self._change_class(name, now, before),
            })
        rows.append({
            "label": labels.FIGURES["satisfaction"],
            "now": self.satisfaction_text(self.totals),
            "before": self.satisfaction_text(self.previous_totals) if self.previous_totals
            else fmt.DASH,
            "change": "", "target": "",
        })
        return rows

    def headline_table(self) -> str:
        columns = [Column("label", labels.FIGURE, "text"), Column("now", labels.THIS_PERIOD, "num"),
                   Column("before", labels.PREVIOUS_PERIOD, "num"),
                   Column("change", labels.CHANGE, "num change"), Column("target", labels.TARGET, "num")]
        return table_html(columns, self.headline_rows(), css="wb-headline")

    def headline_section(self) -> str:
        return section(heading(labels.WEEKLY_SECTIONS["headline"]),
                       paragraph(self.headline_sentence()), self.headline_table(),
                       paragraph(self.target_sentence(), "wb-verdict"))

    # --- departments

    def ranking(self) -> list[Row]:
        """Departments as the engine ranks them (`department_ranking`: ranked ones by rank,
        then those with too few cases to rank), `_unassigned` last when it has cases.
        Metrics without a ranking list every department, unranked, in DonVi order."""
        given = self.metrics.get("department_ranking")
        if given is None:
            given = [{"department": code, "name": self.department_name(code), "rank": None,
                      "compliance_rate": self.by_department.get(code, {}).get("compliance_rate")}
                     for code in self.department_codes() if code != UNASSIGNED]
        rows = [dict(r) for r in given]
        if self._has_cases(UNASSIGNED) and UNASSIGNED not in {r["department"] for r in rows}:
            rows.append({"department": UNASSIGNED, "name": labels.UNASSIGNED, "rank": None,
                         "compliance_rate": self.by_department[UNASSIGNED].get("compliance_rate")})
        return sorted(rows, key=lambda r: r.get("rank") is None)  # stable: engine order kept

    def _has_cases(self, code: str) -> bool:
        figures = self.by_department.get(code, {})
        return any(figures.get(k) for k in ("received", "resolved", "open", "returned"))

    def department_rows(self) -> list[Row]:
        rows = []
        for entry in self.ranking():
            code = entry["department"]
            figures = self.by_department.get(code, {})
            rank = entry.get("rank")
            rows.append({
                "rank": _int(rank) if rank is not None else labels.NOT_RANKED,
                "name": entry.get("name") or self.department_name(code),
                **{k: _int(figures.get(k)) for k in ("received", "resolved", "resolved_on_time",
                                                     "resolved_late", "open", "open_overdue")},
                "on_time_rate": fmt.percent_vn(figures.get("on_time_rate")),
                "compliance_rate": fmt.percent_vn(figures.get("compliance_rate")),
                "_class": "wb-unranked" if rank is None else "",
            })
        return rows

    def department_table(self) -> str:
        c = labels.DEPARTMENT_COLUMNS
        columns = [Column("rank", c["rank"], "rank"), Column("name", c["name"], "text")] + [
            Column(k, c[k], "num") for k in ("received", "resolved", "resolved_on_time",
                                            "resolved_late", "open", "open_overdue",
                                            "on_time_rate", "compliance_rate")]
        t = self.totals
        foot = {"rank": "", "name": labels.TOTAL,
                **{k: _int(t.get(k)) for k in ("received", "resolved", "resolved_on_time",
                                               "resolved_late", "open", "open_overdue")},
                "on_time_rate": fmt.percent_vn(t.get("on_time_rate")),
                "compliance_rate": fmt.percent_vn(t.get("compliance_rate"))}
        return table_html(columns, self.department_rows(), css="wb-departments", foot=foot)

    def ranking_note(self) -> str:
        return paragraph(labels.RANKING_NOTE.format(minimum=RANK_MIN_DENOMINATOR), "wb-note")

    def departments_section(self, title: str = labels.WEEKLY_SECTIONS["departments"]) -> str:
        return section(heading(title), self.department_table(), self.ranking_note())

    def compliance_chart(self, number: int) -> str:
        rows = [r for r in self.ranking() if r["department"] != UNASSIGNED
                and r.get("compliance_rate") is not None]
        if not rows:
            return ""
        from wardbrief.briefings import charts

        png = charts.compliance_png(
            [r.get("name") or self.department_name(r["department"]) for r in rows],
            [r["compliance_rate"] for r in rows], [r.get("rank") is not None for r in rows],
            self.target)
        caption = labels.CHART_COMPLIANCE_CAPTION.format(
            n=number, target=fmt.percent_vn(self.target))
        return figure_html(png, caption, labels.CHART_COMPLIANCE_TITLE)

    def trend_chart(self, number: int) -> str:
        series = self.metrics.get("weekly_series") or []
        if not series:
            return ""
        from wardbrief.briefings import charts

        png = charts.weekly_trend_png(
            [w["week_start"] for w in series], [w.get("received", 0) for w in series],
            [w.get("resolved", 0) for w in series], [w.get("resolved_on_time", 0) for w in series],
            [w.get("open_backlog", 0) for w in series])
        return figure_html(png, labels.CHART_TREND_CAPTION.format(n=number),
                           labels.CHART_TREND_TITLE)

    def trend_section(self, number: int = 1) -> str:
        chart = self.trend_chart(number)
        return section(heading(labels.WEEKLY_SECTIONS["trend"], 3), chart) if chart else ""

    # --- accountability: cases unanswered past due, or answered late

    def accountability_cases(self) -> list[Row]:
        """Open overdue and late-answered cases, grouped by department (the department
        with most such cases first), unanswered before late, most days late first."""
        entries = [dict(c, responded=None, _open=True) for c in self.cases.get("overdue_cases", [])]
        entries += [dict(c, _open=False) for c in self.cases.get("late_cases", [])]
        per_department = Counter(entry["department"] for entry in entries)
        order = {code: i for i, code in enumerate(self.department_codes())}
        return sorted(entries, key=lambda c: (
            -per_department[c["department"]], order.get(c["department"], len(order)),
            c["department"], not c["_open"], -(c.get("working_days_late") or 0), c["case_id"]))

    def accountability_rows(self) -> list[Row]:
        return [{
            "case_id": c["case_id"],
            "department_name": c.get("department_name") or self.department_name(c["department"]),
            "head": c.get("head") or self.department_head(c["department"]),
            "due": fmt.date_vn(c.get("due")),
            "responded": fmt.date_vn(c["responded"]) if c.get("responded")
            else labels.NOT_ANSWERED,
            "working_days_late": _int(c.get("working_days_late")),
            "summary": c.get("summary") or "",
            "_class": "wb-open" if c["_open"] else "wb-late",
        } for c in self.accountability_cases()]

    def accountability_table(self) -> str:
        rows = self.accountability_rows()
        if not rows:
            return paragraph(labels.ACCOUNTABILITY_EMPTY)
        c = labels.ACCOUNTABILITY_COLUMNS
        columns = [Column("case_id", c["case_id"], "id"),
                   Column("department_name", c["department_name"], "text"),
                   Column("head", c["head"], "text"), Column("due", c["due"], "date"),
                   Column("responded", c["responded"], "date"),
                   Column("working_days_late", c["working_days_late"], "num"),
                   Column("summary", c["summary"], "text wide")]
        return table_html(columns, rows, css="wb-accountability")

    def accountable_by_department(self) -> dict[str, tuple[list[str], list[str]]]:
        """code -> (ids unanswered past due, ids answered late), in the list's order."""
        grouped: dict[str, tuple[list[str], list[str]]] = {}
        for case in self.accountability_cases():
            pair = grouped.setdefault(case["department"], ([], []))
            pair[0 if case["_open"] else 1].append(case["case_id"])
        return grouped

    @staticmethod
    def _accountable_parts(unanswered: list[str], late: list[str], with_ids: bool) -> list[str]:
        """`07 phản ánh chưa trả lời đã quá hạn` [`(PA-…, …)`], the same for late answers."""
        return [template.format(count=fmt.count_formal(len(ids)))
                + (labels.MONTHLY_CASE_IDS.format(ids=", ".join(ids)) if with_ids else "")
                for template, ids in ((labels.ACCOUNTABILITY_UNANSWERED, unanswered),
                                      (labels.ACCOUNTABILITY_LATE, late)) if ids]

    def accountability_by_department(self) -> list[str]:
        """One line per department with such cases: name, head, how many of each kind."""
        lines = []
        for code, (unanswered, late) in self.accountable_by_department().items():
            head = self.department_head(code)
            lines.append(labels.ACCOUNTABILITY_DEPARTMENT_LINE.format(
                name=self.department_name(code),
                parts=", ".join(self._accountable_parts(unanswered, late, with_ids=False)),
                head=labels.HEAD_NOTE.format(head=head) if head != fmt.DASH else ""))
        return lines

    def accountability_section(self) -> str:
        lines = "".join(f"<li>{esc(line)}</li>" for line in self.accountability_by_department())
        summary = f'<ul class="wb-list">{lines}</ul>' if lines else ""
        return section(heading(labels.WEEKLY_SECTIONS["accountability"]), summary,
                       self.accountability_table(), css="wb-accountability-section")

    # --- tasks

    def task_totals(self) -> Mapping[str, Any]:
        return (self.metrics.get("tasks") or {}).get("totals", {})

    def task_table(self) -> str:
        buckets = labels.TASK_BUCKETS
        keys = ("done_on_time", "done_late", "in_progress", "overdue", "blocked", "due_soon")
        columns = [Column("name", labels.DEPARTMENT_COLUMNS["name"], "text"),
                   Column("total", labels.TASK_TOTAL, "num")] + [
            Column(k, buckets[k], "num") for k in keys]
        by_department = (self.metrics.get("tasks") or {}).get("by_department", {})
        rows = [{"name": self.department_name(code),
                 **{k: _int(figures.get(k)) for k in ("total",) + keys}}
                for code, figures in by_department.items()
                if code != UNASSIGNED or figures.get("total")]
        t = self.task_totals()
        foot = {"name": labels.TOTAL, **{k: _int(t.get(k)) for k in ("total",) + keys}}
        return table_html(columns, rows, css="wb-tasks", foot=foot)

    def attention_tasks(self, groups: Sequence[str] | None = None) -> list[Row]:
        """Tasks overdue, blocked or due soon (from `tasks.items`), optionally only those
        whose group key contains one of `groups`."""
        items = (self.metrics.get("tasks") or {}).get("items") or []
        chosen = [i for i in items if i.get("bucket") == "overdue" or i.get("blocked")
                  or i.get("due_soon")]
        if groups is not None:
            chosen = [i for i in chosen if any(g in key(i.get("group")) for g in groups)]
        rank = {"overdue": 0}
        return sorted(chosen, key=lambda i: (rank.get(i.get("bucket"), 1), not i.get("blocked"),
                                             i.get("due") or "9999", i.get("task_id", "")))

    def task_state(self, item: Mapping[str, Any]) -> str:
        states = [labels.TASK_BUCKETS.get(item.get("bucket"), "")]
        states += [labels.TASK_BUCKETS[flag] for flag in ("blocked", "due_soon") if item.get(flag)]
        return "; ".join(s for s in states if s)

    def attention_table(self, groups: Sequence[str] | None = None) -> str:
        items = self.attention_tasks(groups)
        if not items:
            return paragraph(labels.TASK_ATTENTION_EMPTY)
        c = labels.TASK_COLUMNS
        columns = [Column("task_id", c["task_id"], "id"), Column("content", c["content"], "text wide"),
                   Column("lead", c["lead"], "text"), Column("due", c["due"], "date"),
                   Column("progress", c["progress"], "num"), Column("bucket", c["bucket"], "text")]
        rows = [{"task_id": i.get("task_id"), "content": i.get("content"),
                 "lead": self.department_name(i["lead"]) if i.get("lead") else fmt.DASH,
                 "due": fmt.date_vn(i.get("due")) if i.get("due") else labels.NO_DEADLINE,
                 "progress": fmt.percent_vn(i["progress"] / 100, 0)
                 if isinstance(i.get("progress"), int | float) else fmt.DASH,
                 "bucket": self.task_state(i)} for i in items]
        return table_html(columns, rows, css="wb-task-items")

    def tab_absent(self, tab: str) -> str | None:
        """One sentence for a section whose tab the workbook lacks (metrics tabs_present),
        else None (the section shows its table)."""
        present = self.metrics.get("tabs_present") or {}
        if present.get(tab, True):
            return None
        return paragraph(labels.TAB_ABSENT.format(tab=tab, what=labels.TAB_ABSENT_WHAT.get(tab, "")))

    def tasks_section(self) -> str:
        absent = self.tab_absent("NhiemVu")
        if absent:
            return section(heading(labels.WEEKLY_SECTIONS["tasks"]), absent)
        has_items = (self.metrics.get("tasks") or {}).get("items") is not None
        attention = (heading(labels.TASK_ATTENTION_TITLE, 3) + self.attention_table()
                     if has_items else "")
        return section(heading(labels.WEEKLY_SECTIONS["tasks"]), self.task_table()) + attention

    # --- communications

    def communication_rows(self) -> list[Row]:
        comms = self.metrics.get("communications") or {}
        period = comms.get("by_channel", {})
        month = comms.get("month") or {}
        month_counts, targets = month.get("by_channel", {}), month.get("targets", {})
        rows = []
        for channel, name in labels.CHANNELS.items():
            target = targets.get(channel)
            done = month_counts.get(channel)
            status = ""
            if target:
                status = labels.TARGET_MET if (done or 0) >= target else labels.TARGET_MISSED
            if not (period.get(channel) or done or target):
                continue
            rows.append({"channel": name, "period": _int(period.get(channel, 0)),
                         "month": _int(done) if month else fmt.DASH,
                         "target": _int(target) if target else fmt.DASH, "status": status,
                         "_class": "wb-worse" if status == labels.TARGET_MISSED else ""})
        return rows

    def communication_table(self) -> str:
        c = labels.COMMUNICATION_COLUMNS
        comms = self.metrics.get("communications") or {}
        month = (comms.get("month") or {}).get("month")
        columns = [Column("channel", c["channel"], "text"), Column("period", c["period"], "num"),
                   Column("month", c["month"].format(month=fmt.month_vn(month + "-01")
                                                     if month else fmt.DASH), "num"),
                   Column("target", c["target"], "num"), Column("status", c["status"], "num status")]
        foot = {"channel": labels.TOTAL, "period": _int(comms.get("total")),
                "month": _int((comms.get("month") or {}).get("total"))}
        return table_html(columns, self.communication_rows(), css="wb-comms", foot=foot)

    def campaign_section(self) -> str:
        absent = self.tab_absent("TruyenThong")
        if absent:
            return section(heading(labels.WEEKLY_SECTIONS["campaign"]), absent)
        return section(heading(labels.WEEKLY_SECTIONS["campaign"]), self.communication_table())

    # --- monthly report (formal)

    def monthly_cases_section(self) -> str:
        t = self.totals
        sentences = [self.headline_sentence()]
        if t.get("returned"):
            sentences.append(labels.MONTHLY_RETURNED_SENTENCE.format(
                returned=fmt.count_formal(t["returned"])))
        met = self.target_met()
        if met is not None:
            sentences.append(labels.MONTHLY_TARGET_SENTENCE.format(
                target=fmt.percent_vn(self.target),
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
        if self.previous_totals:
            sentences.append(labels.MONTHLY_PREVIOUS_SENTENCE.format(
                received_change=fmt.change_words(t.get("received"),
                                                 self.previous_totals.get("received")),
                rate_change=fmt.change_words(t.get("on_time_rate"),
                                             self.previous_totals.get("on_time_rate"), rate=True)))
        return section(heading(labels.MONTHLY_SECTIONS["results"]),
                       heading(labels.MONTHLY_SECTIONS["cases"], 3),
                       paragraph(" ".join(sentences)))

    def monthly_departments_section(self) -> str:
        ranked = [r for r in self.ranking() if r.get("rank") is not None]
        sentences = []
        if ranked:
            best = [r for r in ranked if r["rank"] == ranked[0]["rank"]]
            worst = [r for r in ranked if r["rank"] == ranked[-1]["rank"]]
            sentences.append(labels.MONTHLY_BEST_SENTENCE.format(names=_join(
                [f"{r.get('name') or self.department_name(r['department'])} "
                 f"({fmt.percent_vn(r['compliance_rate'])})" for r in best])))
            if len(ranked) > 1 and worst[0]["rank"] != best[0]["rank"]:
                sentences.append(labels.MONTHLY_WORST_SENTENCE.format(names=_join(
                    [f"{r.get('name') or self.department_name(r['department'])} "
                     f"({fmt.percent_vn(r['compliance_rate'])})" for r in worst])))
        return section(heading(labels.MONTHLY_SECTIONS["departments"], 3),
                       paragraph(labels.MONTHLY_DEPARTMENTS_INTRO), self.department_table(),
                       self.ranking_note(), paragraph(" ".join(sentences)))

    def _channel_parts(self) -> str:
        by_channel = (self.metrics.get("communications") or {}).get("by_channel", {})
        return _join([f"{labels.CHANNELS[c]} {fmt.count_formal(n)}"
                      for c, n in by_channel.items() if n and c in labels.CHANNELS])

    def channels_below_target(self) -> list[str]:
        month = (self.metrics.get("communications") or {}).get("month") or {}
        done, targets = month.get("by_channel", {}), month.get("targets", {})
        return [labels.MONTHLY_CAMPAIGN_BELOW.format(
            channel=labels.CHANNELS.get(c, c), done=fmt.count_formal(done.get(c, 0)),
            target=fmt.count_formal(t)) for c, t in targets.items() if t and done.get(c, 0) < t]

    def monthly_campaign_section(self) -> str:
        absent = self.tab_absent("TruyenThong")
        if absent:
            return section(heading(labels.MONTHLY_SECTIONS["campaign"], 3), absent)
        comms = self.metrics.get("communications") or {}
        text = labels.MONTHLY_CAMPAIGN_PARAGRAPH.format(
            total=fmt.count_formal(comms.get("total", 0)), parts=self._channel_parts() or fmt.DASH)
        month = comms.get("month") or {}
        if month.get("targets"):
            parts = [f"{labels.CHANNELS.get(c, c)} {fmt.count_formal(month['by_channel'].get(c, 0))}"
                     f"/{fmt.count_formal(t)}" for c, t in month["targets"].items() if t]
            text += " " + labels.MONTHLY_CAMPAIGN_TARGETS.format(
                month=fmt.month_vn(self.metrics.get("as_of")), parts=_join(parts))
        return section(heading(labels.MONTHLY_SECTIONS["campaign"], 3), paragraph(text))

    def monthly_smart_city_section(self) -> str:
        absent = self.tab_absent("NhiemVu")
        if absent:
            return section(heading(labels.MONTHLY_SECTIONS["smart_city"], 3), absent)
        t = self.task_totals()
        text = labels.MONTHLY_TASKS_PARAGRAPH.format(
            **{k: fmt.count_formal(t.get(k, 0)) for k in (
                "total", "done_on_time", "done_late", "in_progress", "overdue", "blocked",
                "due_soon")})
        parts = [heading(labels.MONTHLY_SECTIONS["smart_city"], 3), paragraph(text)]
        if self.attention_tasks(labels.SMART_CITY_GROUP_KEYS):
            parts += [paragraph(labels.MONTHLY_SMART_CITY_INTRO),
                      self.attention_table(labels.SMART_CITY_GROUP_KEYS)]
        return section(*parts)

    def shortcoming_lines(self) -> list[str]:
        """Per department: the cases unanswered past due and answered late, by id."""
        return [labels.MONTHLY_SHORTCOMING_LINE.format(
            name=self.department_name(code),
            parts="; ".join(self._accountable_parts(unanswered, late, with_ids=True)))
            for code, (unanswered, late) in self.accountable_by_department().items()]

    def monthly_shortcomings_section(self) -> str:
        lines = self.shortcoming_lines()
        parts = [heading(labels.MONTHLY_SECTIONS["shortcomings"])]
        if lines:
            parts.append(paragraph(labels.MONTHLY_SHORTCOMINGS_INTRO))
            parts.append("".join(paragraph(f"- {line}", "wb-dash") for line in lines))
        else:
            parts.append(paragraph(labels.MONTHLY_SHORTCOMINGS_NONE))
        t = self.task_totals()
        if t.get("overdue") or t.get("blocked"):
            parts.append(paragraph("- " + labels.MONTHLY_SHORTCOMING_TASKS.format(
                count=fmt.count_formal(t.get("overdue", 0)),
                blocked=fmt.count_formal(t.get("blocked", 0))), "wb-dash"))
        below = self.channels_below_target()
        if below:
            parts.append(paragraph("- " + labels.MONTHLY_SHORTCOMING_CAMPAIGN.format(
                parts="; ".join(below)), "wb-dash"))
        return section(*parts)

    def monthly_next_section(self) -> str:
        values = {"overdue": fmt.count_formal(self.totals.get("open_overdue", 0)),
                  "due_soon": fmt.count_formal(self.totals.get("open_due_soon", 0)),
                  "target": fmt.percent_vn(self.target)}
        items = [paragraph(f"{i}. {text.format(**values)}")
                 for i, text in enumerate(labels.MONTHLY_NEXT_STEPS, start=1)]
        closing = labels.MONTHLY_CLOSING.format(month=fmt.month_vn(self.metrics.get("as_of")),
                                                ward=self._ward_in_text())
        return section(heading(labels.MONTHLY_SECTIONS["next"]), *items, paragraph(closing))

    def _ward_in_text(self) -> str:
        """`phường Đông Hải` — the ward as it reads inside a sentence."""
        words = self.ward.split()
        return " ".join([words[0].lower()] + words[1:]) if words else self.ward

    def signature_block(self, signer: Sequence[str] | None = None,
                        recipients: Sequence[str] = labels.RECIPIENTS) -> str:
        """`Nơi nhận:` left, the signature block right (space to sign, a name placeholder).
        Without `signer`, the committee's signer of CauHinh (`signer_role`) and their name."""
        name = labels.SIGNATURE_NAME_PLACEHOLDER
        if signer is None:
            signer = signer_role(self.settings)
            name = str(self.settings.get("signer_name") or "").strip() or name
        recipients_html = "".join(f"<div>{esc(r)}</div>" for r in recipients)
        role = "".join(f"<div>{esc(line)}</div>" for line in signer)
        return (
            '<table class="wb-signature"><tr>'
            f'<td class="wb-recipients"><div class="wb-recipients-title">'
            f"{esc(labels.RECIPIENTS_TITLE)}</div>{recipients_html}</td>"
            f'<td class="wb-signer"><div class="wb-signer-role">{role}</div>'
            '<div class="wb-signer-space"></div>'
            f'<div class="wb-signer-name">{esc(name)}</div></td>'
            "</tr></table>"
        )

    def monthly_header(self) -> str:
        return self.formal_header(doc_symbol(self.settings)) + self.title_block("monthly_report") \
            + self.notices()

    # --- department reminders

    def due_soon_cases(self) -> list[Row]:
        return list(self.cases.get("due_soon_cases") or [])

    def reminder_departments(self) -> list[str]:
        """Codes of the departments with open cases overdue or due soon, DonVi order
        (`_unassigned` has no head to remind and is left out)."""
        return [code for code in self.department_codes() if code != UNASSIGNED
                and (self.by_department.get(code, {}).get("open_overdue")
                     or self.by_department.get(code, {}).get("open_due_soon"))]

    def _reminder_table(self, cases: list[Row], days_key: str, listed: bool) -> str:
        if not cases:
            return paragraph(labels.REMINDER_NONE if listed else labels.REMINDER_LIST_MISSING)
        c = labels.REMINDER_COLUMNS
        columns = [Column("case_id", c["case_id"], "id"), Column("received", c["received"], "date"),
                   Column("due", c["due"], "date"), Column(days_key, c[days_key], "num"),
                   Column("summary", c["summary"], "text wide")]
        rows = [{"case_id": x["case_id"], "received": fmt.date_vn(x.get("received")),
                 "due": fmt.date_vn(x.get("due")), days_key: _int(x.get(days_key)),
                 "summary": x.get("summary") or ""} for x in cases]
        return table_html(columns, rows, css="wb-reminder-cases")

    def reminder(self, code: str) -> str:
        """The reminder to one department's head: its overdue and due-soon cases, the ask."""
        figures = self.by_department.get(code, {})
        overdue = [c for c in self.cases.get("overdue_cases", []) if c["department"] == code]
        due_soon = [c for c in self.due_soon_cases() if c["department"] == code]
        soon_listed = "due_soon_cases" in self.cases
        name, head = self.department_name(code), self.department_head(code)
        intro = labels.REMINDER_INTRO.format(
            as_of=fmt.date_vn(self.metrics.get("as_of")),
            parts=_join([template.format(count=fmt.count_formal(figures.get(name)))
                         for template, name in ((labels.REMINDER_INTRO_OVERDUE, "open_overdue"),
                                                (labels.REMINDER_INTRO_DUE_SOON, "open_due_soon"))
                         if figures.get(name)]))
        return (
            f'<article class="wb-reminder" id="{html.escape(reminder_anchor(code))}">'
            + self.formal_header(labels.DOC_SYMBOL_REMINDER) + self.title_block("department_reminders")
            + self.notice_lines()
            + paragraph(labels.REMINDER_TO.format(
                name=name, head=labels.REMINDER_HEAD.format(head=head) if head != fmt.DASH
                else ""), "wb-addressee")
            + paragraph(intro)
            + section(heading(labels.REMINDER_OVERDUE_TITLE, 3),
                      self._reminder_table(overdue, "working_days_late", True))
            + section(heading(labels.REMINDER_DUE_SOON_TITLE, 3),
                      self._reminder_table(due_soon, "working_days_left", soon_listed))
            + paragraph(labels.REMINDER_ASK)
            + self.signature_block(labels.REMINDER_SIGNER, labels.REMINDER_RECIPIENTS)
            + "</article>"
        )

    def reminders(self) -> str:
        codes = self.reminder_departments()
        if not codes:
            return paragraph(labels.REMINDER_NONE_AT_ALL)
        return "".join(self.reminder(code) for code in codes)

    # --- data quality

    def issues(self) -> list[Row]:
        """Data issues errors first, then warnings, then info; within each by sheet (in
        the workbook's tab order) and row."""
        sheet_rank = {s: i for i, s in enumerate(SHEET_ORDER)}
        sev_rank = {s: i for i, s in enumerate(SEVERITY_ORDER)}
        return sorted(self.metrics.get("data_issues") or [], key=lambda i: (
            sev_rank.get(i.get("severity"), 9), sheet_rank.get(i.get("sheet"), 99),
            str(i.get("sheet")), i.get("row") or 0, str(i.get("column") or "")))

    def issue_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(SEVERITY_ORDER, 0)
        for issue in self.metrics.get("data_issues") or []:
            counts[issue.get("severity", "info")] = counts.get(issue.get("severity", "info"), 0) + 1
        return counts

    def issues_summary(self) -> str:
        counts = self.issue_counts()
        total = sum(counts.values())
        if not total:
            return labels.ISSUES_NONE
        parts = [f"{fmt.int_vn(n)} {labels.SEVERITY_SHORT[s]}" for s, n in counts.items() if n]
        return labels.ISSUES_SUMMARY.format(total=fmt.int_vn(total), parts=_join(parts))

    def data_quality_header(self) -> str:
        issuer = f"{labels.COMMITTEE} {self.ward.upper()}"
        return (paragraph(issuer, "wb-issuer-line") + self.title_block("data_quality")
                + paragraph(labels.AS_OF_LINE.format(as_of=fmt.date_vn(self.metrics.get("as_of"))),
                            "wb-period")
                + self.refusal() + self.notice_lines()
                + paragraph(labels.DATA_QUALITY_INTRO) + paragraph(self.issues_summary(),
                                                                   "wb-summary"))

    def refusal(self) -> str:
        """When the workbook is not briefed (metrics briefable false): why, and what to fix
        first — the blocking issues, in the sheet's words."""
        if self.metrics.get("briefable", True):
            return ""
        lines = "".join(
            f"<li>{text_cell(self.issue_place(i))}: {text_cell(i.get('message'))}</li>"
            for i in self.metrics.get("blocking_issues") or [])
        return (f'<div class="wardbrief-refused" role="alert">{esc(labels.NOT_BRIEFED_NOTE)}'
                f'<ul class="wb-list">{lines}</ul></div>')

    @staticmethod
    def issue_place(issue: Mapping[str, Any]) -> str:
        """`PhanAnh!C239`, `Phản ánh, dòng 1`, or the tab alone: as the sheet has them."""
        tab = issue.get("sheet_title") or issue.get("sheet") or ""
        if issue.get("cell"):
            return f"{tab}!{issue['cell']}"
        if issue.get("row"):
            return f"{tab}, {labels.ISSUE_COLUMNS['row'].lower()} {issue['row']}"
        return str(tab)

    def rows_table(self) -> str:
        c = labels.ROWS_COLUMNS
        columns = [Column("sheet", c["sheet"], "text")] + [
            Column(k, c[k], "num") for k in ("total", "valid", "rejected")]
        rows = [{"sheet": sheet, **{k: _int(v.get(k)) for k in ("total", "valid", "rejected")},
                 "_class": "wb-worse" if v.get("rejected") else ""}
                for sheet, v in (self.metrics.get("rows") or {}).items()]
        return section(heading(labels.ROWS_TITLE, 3), table_html(columns, rows, css="wb-rows"))

    def _issue_link(self, link: object) -> str:
        url = str(link or "")
        if not url.startswith(("https://", "http://")):
            return ""
        return f'<a href="{esc(url)}">{esc(labels.OPEN_CELL)}</a>'

    def issues_table(self, issues: Sequence[Mapping[str, Any]]) -> str:
        with_links = any(i.get("link") for i in issues)
        c = labels.ISSUE_COLUMNS
        head = "".join(f'<th class="{css}">{esc(label)}</th>' for label, css in (
            (c["row"], "num"), (c["cell"], "text"), (c["column"], "text"),
            (c["message"], "text wide"))) + (
            f'<th>{esc(c["link"])}</th>' if with_links else "")
        body = "".join(
            f'<tr class="wb-{esc(i.get("severity"))}">'
            f'<td class="num">{esc(fmt.int_vn(i["row"]) if i.get("row") else labels.ISSUES_WHOLE_TAB)}</td>'
            f'<td class="text">{text_cell(i.get("cell") or fmt.DASH)}</td>'
            f'<td class="text">{text_cell(i.get("header") or i.get("column") or fmt.DASH)}</td>'
            f'<td class="text wide">{text_cell(i.get("message"))}</td>'
            + (f"<td>{self._issue_link(i.get('link'))}</td>" if with_links else "")
            + "</tr>" for i in issues)
        return (f'<table class="wb-table wb-issues"><thead><tr>{head}</tr></thead>'
                f"<tbody>{body}</tbody></table>")

    def issues_sections(self) -> str:
        """One section per severity, inside it one table per sheet."""
        issues = self.issues()
        out = []  # no issue: the summary line of the header says so
        for severity in SEVERITY_ORDER:
            of_severity = [i for i in issues if i.get("severity") == severity]
            if not of_severity:
                continue
            sheets = list(dict.fromkeys(i.get("sheet") for i in of_severity))
            titles = {i.get("sheet"): i.get("sheet_title") or i.get("sheet") for i in of_severity}
            blocks = [section(heading(labels.ISSUES_SHEET.format(sheet=titles[sheet]), 3),
                              self.issues_table([i for i in of_severity
                                                 if i.get("sheet") == sheet]))
                      for sheet in sheets]
            title = f"{labels.SEVERITIES[severity]} — {fmt.int_vn(len(of_severity))}"
            out.append(f'<div class="wb-severity wb-{severity}-group">{heading(title)}'
                       + "".join(blocks) + "</div>")
        return "".join(out)


# --- who signs (CauHinh) -----------------------------------------------------------------

def signer_role(settings: Mapping[str, Any]) -> tuple[str, str]:
    """`TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH` for the Chairman; `KT. CHỦ TỊCH / PHÓ CHỦ TỊCH` for a
    Vice-Chairman signing for the Chairman (CauHinh `Chức vụ người ký`; NĐ 30/2020)."""
    title = str(settings.get("signer_title") or labels.CHAIRMAN).strip().upper()
    if title.startswith("PHÓ " + labels.CHAIRMAN):
        return labels.SIGN_FOR_CHAIRMAN, title
    return labels.SIGN_FOR_COMMITTEE, title


def doc_symbol(settings: Mapping[str, Any]) -> str:
    """The report's symbol after its number (CauHinh `Ký hiệu`), `/BC-UBND` by default."""
    symbol = str(settings.get("doc_symbol") or labels.DOC_SYMBOL_REPORT).strip()
    return symbol if symbol.startswith("/") else "/" + symbol


# --- for the runner: one reminder file per department ----------------------------------

def reminder_departments(metrics: Mapping[str, Any]) -> list[str]:
    """Codes of the departments that get a reminder (open cases overdue or due soon)."""
    return Briefing(metrics).reminder_departments()


def reminder_anchor(code: str) -> str:
    """The id of a department's reminder in the page (the runner cuts its PDF there)."""
    return "reminder-" + re.sub(r"\s", "_", code)


def reminder_html(metrics: Mapping[str, Any], code: str) -> str:
    """The reminder fragment for one department (wrap it in the report's page)."""
    return Briefing(metrics).reminder(code)
