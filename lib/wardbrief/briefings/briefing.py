"""The briefings' content: plain data shaped from the metrics dict, shown by the section
templates of `templates/wardbrief/sections/` (wardbrief.briefings.sections).

A notebook loads a `Briefing` (`load_briefing(...)`) and displays one `Section` per
cell (a `_repr_html_` object): a heading with its table, a sentence, a chart. What the
reader sees is decided here (which figures, in which order, which sentence) and in
`labels`/`fmt`/`charts`; the markup is the templates', and so is the escaping.

Rules kept here:
- every figure comes from metrics; nothing is computed but sorting, grouping and
  counting list entries (no rate is ever computed here);
- citizen text (`summary`) and staff text are untrusted: they only reach the page as
  template values (autoescaped), capped at `sections.TEXT_LIMIT` characters in tables,
  and never go through Markdown (its `*` masking would turn into emphasis);
- the extras of metrics beyond CONTRACT section 4 (`departments`, `settings`,
  `previous_period`, `weekly_series`, `department_ranking`, `due_soon_cases`,
  `tasks.items`, `communications.month`, `intake_share`, ...) are read with `.get()`,
  so a metrics dict with only the contract keys still renders.

Where the numbers come from: `load_briefing` computes metrics from the source with
`wardbrief.figures.metrics` (the same call the runner makes), or, when given
`metrics_path`, reads the `metrics.json` the runner has already written — then the PDF
and metrics.json cannot disagree even in principle.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from wardbrief.briefings import fmt, labels
from wardbrief.briefings.sections import Column, Section, show, svg_data_uri
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
DEFAULT_TARGET = float(setting_default("on_time_target")) / 100  # metrics: a fraction
SHEET_ORDER = tuple(tab.name for tab in TABS)  # the workbook's tab order
SEVERITY_ORDER = ("error", "warning", "info")
TOP_CASES = 15  # the most overdue cases listed in a briefing; all of them go to the annex
TOP_TASKS = 5  # the most urgent tasks listed in the weekly briefing; all in tasks.csv
SHORT_TEXT = 56  # characters of a summary or task in the briefing's short lists
NAMED_DEPARTMENTS = 3  # departments named in a sentence before "và N đơn vị khác"
ANNEX_FILE = "phu_luc.pdf"
ACCOUNTABILITY_CSV = "accountability.csv"
OFFICE_CODE = "VP"  # Văn phòng HĐND và UBND: receives the cases without a department
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
            return Briefing(json.load(handle), ward_name=ward_name, report=report)
    as_of_date = fmt.as_date(as_of) or date.today()
    from wardbrief.figures import metrics as engine

    workbook = engine.load(resolve_source(source), allow_stale=allow_stale)
    period = periods.period_for(report, as_of_date, workbook.settings.cutoff_day,
                                fmt.as_date(period_start))
    return Briefing(engine.compute_metrics(workbook, period.end, period=period),
                    ward_name=ward_name, report=report)


# --- small helpers -----------------------------------------------------------------------

def join_vn(parts: Sequence[str]) -> str:
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


def head_title(name: str) -> str:
    """How the head of a unit is addressed: `Trưởng phòng Kinh tế, …` for `Phòng Kinh tế,
    …`, `Chánh Văn phòng …`, `Giám đốc Trung tâm …`, `Trưởng Công an phường`; else
    `Thủ trưởng <name>`."""
    name_key = key(name)
    for prefix, template in labels.HEAD_TITLES:
        if name_key.startswith(prefix + " ") or name_key == prefix:
            rest = name.split(None, len(prefix.split()))[-1] if " " in name else ""
            return template.format(name=name, rest=rest)
    return labels.HEAD_TITLE_DEFAULT.format(name=name)


def _number(value: Any) -> float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _with_satisfaction_rate(totals: Mapping[str, Any], satisfaction: Mapping[str, Any] | None
                            ) -> dict[str, Any]:
    """The case totals plus the engine's satisfaction rate (metrics `satisfaction`)."""
    if not totals:
        return {}
    return {**totals, "satisfaction_rate": (satisfaction or {}).get("rate")}


def chart(svg: bytes | None, caption: str, alt: str) -> dict[str, str] | None:
    return {"src": svg_data_uri(svg), "caption": caption, "alt": alt} if svg else None


# --- the Briefing ----------------------------------------------------------------------

class Briefing:
    """The metrics of one run, shaped into the sections the four reports show."""

    def __init__(self, metrics: Mapping[str, Any], ward_name: str | None = None,
                 report: str = "weekly_briefing") -> None:
        self.metrics = metrics
        self.report = report
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

    def department_head(self, code: str) -> str | None:
        """The head's name, None when DonVi leaves it blank."""
        info = self.metrics.get("departments", {}).get(code) or {}
        head = info.get("head")
        if not isinstance(head, str):  # None, or the NaN of metrics before the fix
            return None
        return str(head).strip() or None

    def responsible_head(self, code: str) -> str:
        """Who answers for a department's cases in a table: its head; `Chưa cập nhật` when
        DonVi leaves the head blank; the office for cases without a department."""
        if code == UNASSIGNED:
            return labels.OFFICE_NAME
        return self.department_head(code) or labels.NO_HEAD

    def department_codes(self) -> list[str]:
        """Departments in the order of DonVi, `_unassigned` last."""
        codes = list(self.by_department) or list(self.metrics.get("departments", {}))
        return [c for c in codes if c != UNASSIGNED] + ([UNASSIGNED] if UNASSIGNED in codes else [])

    def office_code(self) -> str | None:
        """The Văn phòng HĐND và UBND (code VP, else the unit named `Văn phòng …`)."""
        departments = self.metrics.get("departments", {})
        if OFFICE_CODE in departments:
            return OFFICE_CODE
        return next((c for c, info in departments.items() if c != UNASSIGNED
                     and key((info or {}).get("name")).startswith("van phong")), None)

    # --- periods

    def period_range(self) -> str:
        return fmt.day_month_range(self.metrics.get("period_start"), self.metrics.get("as_of"))

    def previous_name(self) -> str:
        """`tuần trước` (a 7-day period), `tháng trước` (whole months), else `kỳ trước`."""
        start, end = (fmt.as_date(self.previous.get(k)) for k in ("period_start", "as_of"))
        days = self.metrics.get("period_days")
        if days == 7:
            return labels.PREVIOUS_WEEK
        if start and end and start.day == 1 and (end + timedelta(days=1)).day == 1:
            return labels.PREVIOUS_MONTH
        return labels.PREVIOUS_OTHER

    def compared_with(self) -> str:
        """`so với tuần trước, từ 14/11 đến 20/11/2026`."""
        if not self.previous.get("period_start"):
            return ""
        return labels.COMPARED_WITH.format(
            name=self.previous_name(),
            range=fmt.day_month_range(self.previous.get("period_start"),
                                      self.previous.get("as_of")))

    def is_custom_period(self) -> bool:
        """A weekly briefing over another period than the last 7 days (`--period-start`)."""
        return self.report == "weekly_briefing" and self.metrics.get("period_days", 7) != 7

    # --- headers

    def header_data(self, doc_symbol: str | None) -> Row:
        return {"committee": labels.COMMITTEE, "ward_upper": self.ward.upper(),
                "nation": labels.NATION, "motto": labels.MOTTO, "doc_number": labels.DOC_NUMBER,
                "doc_symbol": doc_symbol,
                "date_line": fmt.date_line(place_name(self.ward), self.metrics.get("as_of"))}

    def title(self, report: str) -> tuple[str, str]:
        subtitle = labels.REPORT_SUBTITLES[report].format(
            month=fmt.month_vn(self.metrics.get("as_of")))
        kind = labels.REPORT_TITLES[report]
        if report == "weekly_briefing" and self.is_custom_period():
            kind = labels.CUSTOM_PERIOD_TITLE.format(range=self.period_range().upper())
        return kind, subtitle

    def period_line(self) -> str:
        return labels.PERIOD_LINE.format(start=fmt.date_vn(self.metrics.get("period_start")),
                                         end=fmt.date_vn(self.metrics.get("as_of")))

    def notice_lines(self) -> list[str]:
        """metrics `notices` (the demo sample, month-first dates), one line each: shown on
        every briefing made from the workbook."""
        return [str(line) for line in self.metrics.get("notices") or []]

    def notes(self) -> list[str]:
        """The pointer to the data errors, when there are any. (A stale snapshot is
        announced by the runner's banner above the page: wardbrief.publish.runner.stale_banner.)"""
        counts = self.issue_counts()
        if not (counts["error"] or counts["warning"]):
            return []
        return [labels.DATA_ISSUES_NOTE.format(errors=fmt.int_vn(counts["error"]),
                                               warnings=fmt.int_vn(counts["warning"]))]

    def tab_absent(self, tab: str) -> str | None:
        """One sentence for a section whose tab the workbook lacks (metrics tabs_present),
        else None (the section shows its table)."""
        present = self.metrics.get("tabs_present") or {}
        if present.get(tab, True):
            return None
        return labels.TAB_ABSENT.format(tab=tab, what=labels.TAB_ABSENT_WHAT.get(tab, ""))

    def _absent_section(self, tab: str, title: str, level: int) -> Section | None:
        absent = self.tab_absent(tab)
        return Section("prose.html.j2", {"titles": [(title, level)], "paragraphs": [absent]}) \
            if absent else None

    def weekly_header(self) -> Section:
        lines = [self.period_line()]
        if self.previous.get("period_start"):
            lines.append(labels.PREVIOUS_PERIOD_LINE.format(
                name=self.previous_name(),
                start=fmt.date_vn(self.previous.get("period_start")),
                end=fmt.date_vn(self.previous.get("as_of"))))
        kind, subject = self.title("weekly_briefing")
        return Section("header.html.j2", {"header": self.header_data(None), "kind": kind,
                                          "subject": subject, "lines": lines,
                                          "notices": self.notice_lines(), "notes": self.notes()})

    # --- page 1: what the chairman must know and act on

    def target_met(self) -> bool | None:
        rate = self.totals.get("on_time_rate")
        return None if rate is None or self.target is None else rate >= self.target

    def overdue_by_department(self) -> list[tuple[str, int]]:
        """(code, open overdue) of the departments holding overdue cases, most first
        (DonVi order between equals)."""
        held = [(code, int(self.by_department.get(code, {}).get("open_overdue") or 0))
                for code in self.department_codes()]
        return sorted([h for h in held if h[1]], key=lambda h: -h[1])

    def overdue_holders(self) -> str:
        """`Phòng A (07), Phòng B (01) và 2 đơn vị khác (03)`."""
        held = self.overdue_by_department()
        named = [labels.NAME_COUNT.format(name=self.department_name(c), count=fmt.count_formal(n))
                 for c, n in held[:NAMED_DEPARTMENTS]]
        rest = held[NAMED_DEPARTMENTS:]
        if rest:
            named.append(labels.OTHER_UNITS.format(units=fmt.count_formal(len(rest)),
                                                   count=fmt.count_formal(sum(n for _, n in rest))))
        return join_vn(named)

    def rate_sentence(self, name: str) -> str:
        """`Tỷ lệ tuân thủ thời hạn 59,1% (chỉ tiêu 95,0%), giảm 10,0 điểm phần trăm so với
        tuần trước, từ 14/11 đến 20/11/2026 (69,1%).` — or why there is no rate."""
        rate = self.totals.get(name)
        if rate is None:
            return labels.RATE_NONE[name]
        text = labels.RATE_SENTENCE.format(label=labels.RATE_LABELS[name], rate=fmt.percent_vn(rate),
                                           target=fmt.percent_vn(self.target))
        before = self.previous_totals.get(name)
        if before is not None and self.compared_with():
            text += labels.RATE_CHANGE.format(change=fmt.change_words(rate, before, rate=True),
                                              compared=self.compared_with(),
                                              before=fmt.percent_vn(before))
        return text + "."

    def verdict(self) -> str:
        """One sentence that cannot mislead: the on-time rate alone does not pass a week
        that leaves cases overdue or compliance below the target."""
        t = self.totals
        on_time, compliance = t.get("on_time_rate"), t.get("compliance_rate")
        overdue = int(t.get("open_overdue") or 0)
        target = fmt.percent_vn(self.target)
        if on_time is None and compliance is None:
            return labels.VERDICT_NO_DATA
        if compliance is not None and compliance >= self.target and not overdue:
            return labels.VERDICT_MET.format(target=target)
        if on_time is not None and on_time >= self.target:
            return labels.VERDICT_MET_BUT_OVERDUE.format(
                rate=fmt.percent_vn(on_time), overdue=fmt.count_formal(overdue),
                compliance=fmt.percent_vn(compliance), target=target)
        text = labels.VERDICT_MISSED.format(target=target, rate=fmt.percent_vn(on_time)
                                            if on_time is not None else fmt.DASH)
        if overdue:
            text += labels.VERDICT_MISSED_OVERDUE.format(overdue=fmt.count_formal(overdue))
        return text + "."

    def actions(self) -> list[str]:
        """The one or two facts a chairman must act on, most pressing first."""
        out = []
        held = self.overdue_by_department()
        if held:
            code, count = held[0]
            oldest = next((c for c in self.cases.get("overdue_cases", [])
                           if c.get("department") == code), None)
            days = (labels.ACTION_OLDEST.format(days=fmt.count_formal(oldest["working_days_late"]),
                                                case_id=oldest["case_id"])
                    if oldest and oldest.get("working_days_late") else "")
            who = (labels.ACTION_OFFICE_UNASSIGNED if code == UNASSIGNED
                   else self.department_name(code))
            out.append(labels.ACTION_OVERDUE.format(who=who, count=fmt.count_formal(count),
                                                    oldest=days))
        now, before = self.totals.get("compliance_rate"), self.previous_totals.get("compliance_rate")
        points = fmt.points_vn(now, before)
        ranked = [r for r in self.ranking() if r.get("rank") is not None
                  and r.get("compliance_rate") is not None]
        if points is not None and points < 0 and self.compared_with():
            lowest = ranked[-1] if ranked else None
            out.append(labels.ACTION_COMPLIANCE_FELL.format(
                change=fmt.change_words(now, before, rate=True), compared=self.compared_with(),
                lowest=labels.ACTION_LOWEST.format(name=lowest["name"] or lowest["department"],
                                                   rate=fmt.percent_vn(lowest["compliance_rate"]))
                if lowest else ""))
        tasks = self.task_totals()
        if len(out) < 2 and tasks.get("overdue"):
            out.append(labels.ACTION_TASKS.format(count=fmt.count_formal(tasks["overdue"])))
        if len(out) < 2 and self.totals.get("open_due_soon"):
            out.append(labels.ACTION_DUE_SOON.format(
                count=fmt.count_formal(self.totals["open_due_soon"]),
                days=self.settings.get("due_soon_days", setting_default("due_soon_days"))))
        return out[:2]

    def key_points(self) -> Section:
        overdue = int(self.totals.get("open_overdue") or 0)
        lines = [self.rate_sentence("compliance_rate"), self.rate_sentence("on_time_rate"),
                 labels.OVERDUE_SENTENCE.format(count=fmt.count_formal(overdue),
                                                holders=self.overdue_holders())
                 if overdue else labels.OVERDUE_NONE]
        return Section("key_points.html.j2", {
            "title": labels.KEY_POINTS_TITLE, "verdict": self.verdict(), "lines": lines,
            "actions_title": labels.ACTIONS_TITLE, "actions": self.actions()})

    # --- headline figures

    def headline_sentence(self) -> str:
        """The formal summary sentence of GLOSSARY ("Trong kỳ báo cáo (từ ngày …) …")."""
        t = self.totals
        if not any(t.get(k) for k in ("received", "resolved", "open")):
            return labels.CASES_NONE_PARAGRAPH.format(
                start=fmt.date_vn(self.metrics.get("period_start")),
                end=fmt.date_vn(self.metrics.get("as_of")))
        values = {k: fmt.count_formal(t.get(k) or 0) for k in (
            "received", "resolved", "resolved_on_time", "resolved_late", "open", "open_overdue")}
        rate = t.get("on_time_rate")
        return labels.MONTHLY_CASES_PARAGRAPH.format(
            start=fmt.date_vn(self.metrics.get("period_start")),
            end=fmt.date_vn(self.metrics.get("as_of")),
            received=values["received"], resolved=values["resolved"],
            on_time=values["resolved_on_time"],
            on_time_rate=labels.ON_TIME_RATE_PART.format(rate=fmt.percent_vn(rate))
            if rate is not None else "",
            late=values["resolved_late"], open=values["open"], overdue=values["open_overdue"],
            channels=self.intake_phrase())

    def intake_phrase(self) -> str:
        """How the period's cases came in (metrics `cases.intake`): ` qua Hệ thống 1022 và
        ứng dụng Smart Hải Phòng` when both and nothing else, ` qua Hệ thống 1022` when
        that alone, else each channel counted (` (10 qua ứng dụng Smart Hải Phòng, 05 trực
        tiếp tại trụ sở)`); nothing for metrics without intake counts."""
        counts = {k: int(v or 0) for k, v in self.intake().items() if v}
        if not counts:
            return ""
        if set(counts) == {"smart_app", "system_1022"}:
            return labels.INTAKE_DIGITAL_ONLY
        if len(counts) == 1:
            return " " + labels.INTAKE_BY.get(next(iter(counts)), "")
        return labels.INTAKE_COUNTED.format(parts=", ".join(
            f"{fmt.count_formal(n)} {labels.INTAKE_BY[k]}" for k, n in counts.items()
            if k in labels.INTAKE_BY))

    def satisfaction_text(self, figures: Mapping[str, Any]) -> str:
        """`81,8% (27/33)` (satisfied of rated), `—` when nothing was rated."""
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
        has_previous = bool(self.previous_totals)
        for name in counts + ("on_time_rate", "compliance_rate"):
            rate = name.endswith("_rate")
            now, before = self.totals.get(name), self.previous_totals.get(name)
            write = fmt.percent_vn if rate else fmt.int_vn
            target = ""
            if rate and self.target is not None:
                met = None if now is None else now >= self.target
                verdict = "" if met is None else labels.TARGET_MET if met else labels.TARGET_MISSED
                target = f"{fmt.percent_vn(self.target)} — {verdict}" if verdict else \
                    fmt.percent_vn(self.target)
            rows.append({
                "label": labels.FIGURES[name],
                "now": write(now),
                "before": write(before) if has_previous else fmt.DASH,
                "change": fmt.change_vn(now, before, rate=rate) if has_previous else fmt.DASH,
                "target": target,
                "_class": self._change_class(name, now, before),
            })
        rows.append({"label": labels.FIGURES["satisfaction"],
                     "now": self.satisfaction_text(self.totals),
                     "before": self.satisfaction_text(self.previous_totals) if has_previous
                     else fmt.DASH, "change": "", "target": ""})
        return rows

    def headline_columns(self) -> list[Column]:
        name = self.previous_name().capitalize()
        return [Column("label", labels.FIGURE, "text", "text"),
                Column("now", labels.THIS_PERIOD, "text", "num"),
                Column("before", name, "text", "num"),
                Column("change", labels.CHANGE.format(name=self.previous_name()), "text",
                       "num change"),
                Column("target", labels.TARGET, "text", "num")]

    def headline_section(self) -> Section:
        return Section("headline.html.j2", {
            "title": labels.WEEKLY_SECTIONS["headline"], "sentence": self.headline_sentence(),
            "columns": self.headline_columns(), "rows": self.headline_rows()})

    # --- departments

    def ranking(self) -> list[Row]:
        """Departments as the engine ranks them (`department_ranking`: ranked ones by rank,
        then those with too few cases to rank), `_unassigned` last when it has cases.
        Metrics without a ranking list every department, unranked, by compliance rate."""
        given = self.metrics.get("department_ranking")
        if given is None:
            given = [{"department": code, "name": self.department_name(code), "rank": None,
                      "compliance_rate": self.by_department.get(code, {}).get("compliance_rate")}
                     for code in self.department_codes() if code != UNASSIGNED]
            given = sorted(given, key=lambda r: -(r["compliance_rate"] or -1))
        rows = [dict(r) for r in given]
        if self._has_cases(UNASSIGNED) and UNASSIGNED not in {r["department"] for r in rows}:
            rows.append({"department": UNASSIGNED, "name": labels.UNASSIGNED, "rank": None,
                         "compliance_rate": self.by_department[UNASSIGNED].get("compliance_rate")})
        return sorted(rows, key=lambda r: r.get("rank") is None)  # stable: engine order kept

    def _has_cases(self, code: str) -> bool:
        figures = self.by_department.get(code, {})
        return any(figures.get(k) for k in ("received", "resolved", "open", "returned"))

    def has_speed(self) -> bool:
        return "avg_working_days" in self.totals

    DEPARTMENT_FIGURES = ("received", "resolved", "resolved_on_time", "resolved_late", "open",
                          "open_overdue")

    def department_rows(self) -> list[Row]:
        rows = []
        for entry in self.ranking():
            code = entry["department"]
            figures = self.by_department.get(code, {})
            rank = entry.get("rank")
            rows.append({
                "rank": rank if rank is not None else labels.NOT_RANKED,
                "name": entry.get("name") or self.department_name(code),
                **{k: figures.get(k) for k in self.DEPARTMENT_FIGURES},
                "avg_working_days": figures.get("avg_working_days"),
                "on_time_rate": figures.get("on_time_rate"),
                "compliance_rate": figures.get("compliance_rate"),
                "_class": "wb-unranked" if rank is None else "",
            })
        return rows

    def department_columns(self) -> list[Column]:
        c = labels.DEPARTMENT_COLUMNS
        columns = [Column("rank", c["rank"], "int", "rank"), Column("name", c["name"], "text", "text")]
        columns += [Column(k, c[k], "int", "num") for k in self.DEPARTMENT_FIGURES]
        if self.has_speed():
            columns.append(Column("avg_working_days", c["avg_working_days"], "days", "num"))
        return columns + [Column(k, c[k], "rate", "num") for k in ("on_time_rate", "compliance_rate")]

    def department_total(self) -> Row:
        t = self.totals
        return {"rank": "", "name": labels.TOTAL, **{k: t.get(k) for k in self.DEPARTMENT_FIGURES},
                "avg_working_days": t.get("avg_working_days"),
                "on_time_rate": t.get("on_time_rate"), "compliance_rate": t.get("compliance_rate")}

    def ranking_note(self) -> str:
        note = labels.RANKING_NOTE.format(minimum=RANK_MIN_DENOMINATOR)
        return note + (" " + labels.SPEED_NOTE if self.has_speed() else "")

    def departments_section(self, title: str = labels.WEEKLY_SECTIONS["departments"]) -> Section:
        return Section("departments.html.j2", {
            "title": title, "intro": "", "columns": self.department_columns(),
            "rows": self.department_rows(), "foot": self.department_total(),
            "note": self.ranking_note(), "css": "wb-departments" + (
                " wb-with-speed" if self.has_speed() else "")})

    def compliance_chart(self, number: int) -> Section:
        rows = [r for r in self.ranking() if r["department"] != UNASSIGNED
                and r.get("compliance_rate") is not None]
        from wardbrief.briefings import charts

        svg = charts.compliance_svg(
            [r.get("name") or self.department_name(r["department"]) for r in rows],
            [r["compliance_rate"] for r in rows], [r.get("rank") is not None for r in rows],
            self.target, RANK_MIN_DENOMINATOR) if rows else None
        caption = labels.CHART_COMPLIANCE_CAPTION.format(n=number, target=fmt.percent_vn(self.target))
        return Section("chart.html.j2", {"title": "", "chart": chart(
            svg, caption, labels.CHART_COMPLIANCE_TITLE)})

    def trend_section(self, number: int = 1) -> Section:
        series = self.metrics.get("weekly_series") or []
        from wardbrief.briefings import charts

        svg = charts.weekly_trend_svg(
            [w["week_start"] for w in series], [w.get("received", 0) for w in series],
            [w.get("resolved", 0) for w in series], [w.get("resolved_on_time", 0) for w in series],
            [w.get("open_backlog", 0) for w in series]) if series else None
        return Section("chart.html.j2", {"title": labels.WEEKLY_SECTIONS["trend"] if svg else "",
                                         "chart": chart(svg, labels.CHART_TREND_CAPTION.format(n=number),
                                                        labels.CHART_TREND_TITLE)})

    # --- accountability: cases unanswered past due, or answered late

    def accountability_cases(self) -> list[Row]:
        """Open overdue and late-answered cases, grouped by department (the department
        with most such cases first), unanswered before late, most days late first."""
        entries = self._accountable()
        per_department: dict[str, int] = {}
        for entry in entries:
            per_department[entry["department"]] = per_department.get(entry["department"], 0) + 1
        order = {code: i for i, code in enumerate(self.department_codes())}
        return sorted(entries, key=lambda c: (
            -per_department[c["department"]], order.get(c["department"], len(order)),
            c["department"], not c["_open"], -(c.get("working_days_late") or 0), c["case_id"]))

    def _accountable(self) -> list[Row]:
        entries = [dict(c, responded=None, _open=True) for c in self.cases.get("overdue_cases", [])]
        return entries + [dict(c, _open=False) for c in self.cases.get("late_cases", [])]

    def most_overdue(self, limit: int = TOP_CASES) -> list[Row]:
        """The `limit` cases a reader must see first: unanswered before answered late,
        most working days late first."""
        return sorted(self._accountable(), key=lambda c: (
            not c["_open"], -(c.get("working_days_late") or 0), c["case_id"]))[:limit]

    def accountability_row(self, c: Mapping[str, Any]) -> Row:
        head = c.get("head") if isinstance(c.get("head"), str) and c.get("head").strip() \
            else self.department_head(c["department"])
        return {
            "case_id": c["case_id"],
            "department_name": c.get("department_name") if c["department"] != UNASSIGNED
            and c.get("department_name") else self.department_name(c["department"]),
            "head": head or self.responsible_head(c["department"]),
            "due": c.get("due"),
            "responded": c.get("responded") or labels.NOT_ANSWERED,
            "working_days_late": c.get("working_days_late"),
            "summary": c.get("summary") or "",
            "_class": "wb-open" if c["_open"] else "wb-late",
        }

    def accountability_rows(self) -> list[Row]:
        return [self.accountability_row(c) for c in self.accountability_cases()]

    def accountability_columns(self) -> list[Column]:
        c = labels.ACCOUNTABILITY_COLUMNS
        return [Column("case_id", c["case_id"], "text", "id"),
                Column("department_name", c["department_name"], "text", "text"),
                Column("head", c["head"], "text", "text"), Column("due", c["due"], "date", "date"),
                Column("responded", c["responded"], "date", "date"),
                Column("working_days_late", c["working_days_late"], "int", "num"),
                Column("summary", c["summary"], "text", "text wide")]

    def accountable_by_department(self) -> list[Row]:
        """Per department holding such cases, most first: its counts (from metrics) and its
        longest delay (from the lists)."""
        counted: dict[str, Row] = {}
        for case in self._accountable():
            code = case["department"]
            row = counted.setdefault(code, {
                "code": code, "name": self.department_name(code),
                "head": self.responsible_head(code),
                "unanswered": 0, "late": 0, "total": 0, "longest": 0})
            row["unanswered" if case["_open"] else "late"] += 1
            row["total"] += 1
            row["longest"] = max(row["longest"], case.get("working_days_late") or 0)
        rows = list(counted.values())
        order = {code: i for i, code in enumerate(self.department_codes())}
        return sorted(rows, key=lambda r: (-r["unanswered"], -r["total"], order.get(r["code"], 99)))

    def accountability_count_columns(self) -> list[Column]:
        c = labels.ACCOUNTABILITY_COUNT_COLUMNS
        return [Column("name", c["name"], "text", "text"), Column("head", c["head"], "text", "text"),
                Column("unanswered", c["unanswered"], "int", "num"),
                Column("late", c["late"], "int", "num"), Column("longest", c["longest"], "int", "num")]

    def accountability_intro(self) -> str:
        unanswered, late = (len(self.cases.get(k, [])) for k in ("overdue_cases", "late_cases"))
        if not unanswered + late:
            return labels.ACCOUNTABILITY_EMPTY
        return labels.ACCOUNTABILITY_INTRO.format(
            total=fmt.count_formal(unanswered + late), unanswered=fmt.count_formal(unanswered),
            late=fmt.count_formal(late))

    def annex_note(self, shown: int) -> str:
        total = len(self._accountable())
        if not total:
            return ""
        if total <= shown:
            return labels.ANNEX_NOTE_ALL.format(annex=ANNEX_FILE, csv=ACCOUNTABILITY_CSV)
        return labels.ANNEX_NOTE.format(shown=fmt.count_formal(shown), total=fmt.count_formal(total),
                                        annex=ANNEX_FILE, csv=ACCOUNTABILITY_CSV)

    def accountability_section(self) -> Section:
        top = [dict(self.accountability_row(c), summary=fmt.cap_text(c.get("summary"), SHORT_TEXT))
               for c in self.most_overdue()]
        return Section("accountability.html.j2", {
            "title": labels.WEEKLY_SECTIONS["accountability"], "intro": self.accountability_intro(),
            "count_columns": self.accountability_count_columns(),
            "counts": self.accountable_by_department(),
            "top_title": labels.TOP_CASES_TITLE.format(count=fmt.count_formal(len(top))),
            # the head is in the counts above: the list gives the text its width
            "columns": [c for c in self.accountability_columns() if c.key != "head"],
            "rows": top, "note": self.annex_note(len(top))})

    def annex_section(self, report: str | None = None) -> Section:
        """The full accountability list, for `phu_luc.pdf` beside the report: per
        department (most such cases first) its head and counts once, then its cases
        unanswered past due and those answered late, each case on one line (id, due
        date, answer, days late, the summary as far as the line goes). Lines, not a
        table: a city's 3,000 cases are about 60 pages, laid out in two seconds (a
        seven-column table of them took 200 pages and 20 s; lines wrapping the whole
        summary, 120 pages and 4 s); the whole summary is in the CSV."""
        report = report or self.report
        kind, _subject = self.title(report)
        return Section("annex.html.j2", {
            "title": labels.ANNEX_PDF_TITLE, "subject": labels.ACCOUNTABILITY_TITLE,
            "attached": labels.ANNEX_PDF_ATTACHED.format(
                report=kind.capitalize() if kind.isupper() else kind,
                start=fmt.date_vn(self.metrics.get("period_start")),
                end=fmt.date_vn(self.metrics.get("as_of"))),
            "intro": self.accountability_intro(),
            "shortened": labels.ANNEX_SHORTENED.format(csv=ACCOUNTABILITY_CSV),
            "groups": self.annex_groups()})

    def annex_groups(self) -> list[Row]:
        """The annex's departments in the order of accountability_cases, each with its
        head, its counts and its cases (accountability_row, plus the case's answer in
        words) in `parts`: those unanswered past due, then those answered late, each
        part with its title."""
        groups: list[Row] = []
        for case in self.accountability_cases():
            row = self.accountability_row(case)
            if not groups or groups[-1]["code"] != case["department"]:
                groups.append({"code": case["department"], "name": row["department_name"],
                               "head": row["head"], "unanswered": 0, "late": 0, "cases": [],
                               "open_cases": [], "late_cases": []})
            group = groups[-1]
            group["unanswered" if case["_open"] else "late"] += 1
            facts = [labels.ANNEX_DUE.format(date=show(case.get("due"), "date"))]
            if not case["_open"]:
                facts.append(labels.ANNEX_ANSWERED.format(date=show(case.get("responded"), "date")))
            if case.get("working_days_late"):
                facts.append(labels.ANNEX_DAYS_LATE.format(
                    days=show(case["working_days_late"], "int")))
            elif case.get("working_days_late") == 0:  # past its day, not yet a working day late
                facts.append(labels.ANNEX_LATE_UNDER_A_DAY)
            row["facts"] = ", ".join(facts)
            group["cases"].append(row)
            group["open_cases" if case["_open"] else "late_cases"].append(row)
        for group in groups:
            unanswered, late = group["unanswered"], group["late"]
            if unanswered and late:
                counts = labels.ANNEX_UNIT_BOTH.format(total=fmt.int_vn(unanswered + late),
                                                       unanswered=fmt.int_vn(unanswered),
                                                       late=fmt.int_vn(late))
            elif unanswered:
                counts = labels.ACCOUNTABILITY_UNANSWERED.format(count=fmt.int_vn(unanswered))
            else:
                counts = labels.ACCOUNTABILITY_LATE.format(count=fmt.int_vn(late))
            group["line"] = labels.ANNEX_UNIT_LINE.format(head=group["head"], counts=counts)
            group["parts"] = [
                {"title": title.format(count=fmt.int_vn(len(cases))), "cases": cases}
                for title, cases in ((labels.ANNEX_PART_OPEN, group.pop("open_cases")),
                                     (labels.ANNEX_PART_LATE, group.pop("late_cases")))
                if cases]
        return groups

    def has_accountable(self) -> bool:
        return bool(self._accountable())

    # --- tasks

    def task_totals(self) -> Mapping[str, Any]:
        return (self.metrics.get("tasks") or {}).get("totals", {})

    TASK_KEYS = ("done_on_time", "done_late", "in_progress", "overdue", "blocked", "due_soon")

    def task_rows(self) -> list[Row]:
        by_department = (self.metrics.get("tasks") or {}).get("by_department", {})
        return [{"name": self.department_name(code), **{k: f.get(k) for k in ("total",) + self.TASK_KEYS}}
                for code, f in by_department.items() if code != UNASSIGNED or f.get("total")]

    def task_columns(self) -> list[Column]:
        return [Column("name", labels.DEPARTMENT_COLUMNS["name"], "text", "text"),
                Column("total", labels.TASK_TOTAL, "int", "num")] + [
            Column(k, labels.TASK_BUCKETS[k], "int", "num") for k in self.TASK_KEYS]

    def attention_tasks(self, groups: Sequence[str] | None = None,
                        lead: str | None = None) -> list[Row]:
        """Tasks overdue, blocked or due soon (from `tasks.items`), optionally only those
        whose group key contains one of `groups`, or those `lead` leads."""
        items = (self.metrics.get("tasks") or {}).get("items") or []
        chosen = [i for i in items if i.get("bucket") == "overdue" or i.get("blocked")
                  or i.get("due_soon")]
        if groups is not None:
            chosen = [i for i in chosen if any(g in key(i.get("group")) for g in groups)]
        if lead is not None:
            chosen = [i for i in chosen if i.get("lead") == lead]
        rank = {"overdue": 0}
        return sorted(chosen, key=lambda i: (rank.get(i.get("bucket"), 1), not i.get("blocked"),
                                             i.get("due") or "9999", i.get("task_id", "")))

    def task_state(self, item: Mapping[str, Any]) -> str:
        """`Quá hạn; vướng mắc`: the task's bucket, then its flags."""
        short = labels.TASK_STATE_SHORT
        states = [short.get(item.get("bucket"), "")]
        states += [short[flag] for flag in ("blocked", "due_soon") if item.get(flag)]
        return "; ".join(s for s in states if s)

    def attention_rows(self, items: Sequence[Mapping[str, Any]]) -> list[Row]:
        return [{"task_id": i.get("task_id"), "content": i.get("content"),
                 "lead": self.department_name(i["lead"]) if i.get("lead") else fmt.DASH,
                 "due": i.get("due") or labels.NO_DEADLINE,
                 "progress": fmt.percent_vn(i["progress"] / 100, 0)
                 if _number(i.get("progress")) is not None else fmt.DASH,
                 "bucket": self.task_state(i)} for i in items]

    def attention_columns(self, with_lead: bool = True) -> list[Column]:
        c = labels.TASK_COLUMNS
        return [Column("task_id", c["task_id"], "text", "id"),
                Column("content", c["content"], "text", "text wide")] + (
            [Column("lead", c["lead"], "text", "text")] if with_lead else []) + [
            Column("due", c["due"], "date", "date"), Column("progress", c["progress"], "text", "num"),
            Column("bucket", c["bucket"], "text", "text")]

    def tasks_section(self) -> Section:
        absent = self._absent_section("NhiemVu", labels.WEEKLY_SECTIONS["tasks"], 2)
        if absent:
            return absent
        has_items = (self.metrics.get("tasks") or {}).get("items") is not None
        items = self.attention_tasks() if has_items else []
        shown = items[:TOP_TASKS]
        more = (labels.TASKS_MORE.format(count=fmt.count_formal(len(items) - len(shown)))
                if len(items) > len(shown) else "")
        t = self.task_totals()
        return Section("tasks.html.j2", {
            "title": labels.WEEKLY_SECTIONS["tasks"], "columns": self.task_columns(),
            "rows": self.task_rows(),
            "foot": {"name": labels.TOTAL, **{k: t.get(k) for k in ("total",) + self.TASK_KEYS}},
            "attention_title": labels.TASK_ATTENTION_TITLE if has_items else "",
            "attention_columns": self.attention_columns(),
            "attention": [dict(r, content=fmt.cap_text(r["content"], SHORT_TEXT))
                          for r in self.attention_rows(shown)],
            "attention_empty": labels.TASK_ATTENTION_EMPTY, "more": more})

    # --- communications and intake

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
            rows.append({"channel": name, "period": period.get(channel, 0),
                         "month": done if month else fmt.DASH,
                         "target": target or fmt.DASH, "status": status,
                         "_class": "wb-worse" if status == labels.TARGET_MISSED else ""})
        return rows

    def communication_columns(self) -> list[Column]:
        c = labels.COMMUNICATION_COLUMNS
        month = ((self.metrics.get("communications") or {}).get("month") or {}).get("month")
        return [Column("channel", c["channel"], "text", "text"),
                Column("period", c["period"], "int", "num"),
                Column("month", c["month"].format(month=fmt.month_vn(month + "-01") if month
                                                  else fmt.DASH), "int", "num"),
                Column("target", c["target"], "int", "num"),
                Column("status", c["status"], "text", "num status")]

    def intake(self) -> Mapping[str, int]:
        return self.cases.get("intake") or {}

    def intake_rows(self) -> list[Row]:
        now = self.intake()
        before = (self.previous.get("cases") or {}).get("intake") or {}
        return [{"channel": name, "now": now.get(k, 0), "before": before.get(k) if before else fmt.DASH}
                for k, name in labels.INTAKE_CHANNELS.items() if now.get(k) or before.get(k)]

    def intake_sentence(self) -> str:
        """`82,6% phản ánh … qua ứng dụng Smart Hải Phòng và Hệ thống 1022 (…), giảm 7,0
        điểm phần trăm so với tuần trước, …`."""
        share = self.metrics.get("intake_share") or {}
        now, before = share.get("period"), share.get("previous")
        if now is None:
            return labels.INTAKE_NONE if self.intake() else ""
        counts = self.intake()
        text = labels.INTAKE_SENTENCE.format(
            share=fmt.percent_vn(now), smart=fmt.count_formal(counts.get("smart_app", 0)),
            system=fmt.count_formal(counts.get("system_1022", 0)))
        if before is not None and self.compared_with():
            text += labels.RATE_CHANGE.format(change=fmt.change_words(now, before, rate=True),
                                              compared=self.compared_with(),
                                              before=fmt.percent_vn(before))
        return text + "."

    def intake_chart(self, number: int) -> dict[str, str] | None:
        series = [w for w in self.metrics.get("weekly_series") or [] if "digital_share" in w]
        if not series:
            return None
        from wardbrief.briefings import charts

        svg = charts.intake_svg([w["week_start"] for w in series],
                                [w.get("received_digital", 0) for w in series],
                                [w.get("received", 0) for w in series])
        return chart(svg, labels.CHART_INTAKE_CAPTION.format(n=number), labels.CHART_INTAKE_TITLE)

    def campaign_section(self, chart_number: int = 3) -> Section:
        absent = self._absent_section("TruyenThong", labels.WEEKLY_SECTIONS["campaign"], 2)
        if absent:
            return absent
        comms = self.metrics.get("communications") or {}
        return Section("campaign.html.j2", {
            "title": labels.WEEKLY_SECTIONS["campaign"], "columns": self.communication_columns(),
            "rows": self.communication_rows(),
            "foot": {"channel": labels.TOTAL, "period": comms.get("total"),
                     "month": (comms.get("month") or {}).get("total")},
            "intake_title": labels.INTAKE_TITLE if self.intake() else "",
            "intake_shown": bool(self.intake_rows()),
            "intake_sentence": self.intake_sentence(),
            "intake_columns": [Column("channel", labels.INTAKE_COLUMNS["channel"], "text", "text"),
                               Column("now", labels.THIS_PERIOD, "int", "num"),
                               Column("before", self.previous_name().capitalize(), "int", "num")],
            "intake_rows": self.intake_rows(), "intake_chart": self.intake_chart(chart_number)})

    # --- monthly report (formal)

    def figure_sentences(self) -> list[str]:
        """The formal paragraph's figures of the period: received and answered, returned,
        the target, compliance, satisfaction, speed (monthly and longer reports, Word)."""
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
        if _number(t.get("avg_working_days")) is not None:
            sentences.append(labels.MONTHLY_SPEED_SENTENCE.format(
                days=fmt.number_vn(t["avg_working_days"])))
        return sentences

    def ranked_names(self, rows: Sequence[Mapping[str, Any]]) -> str:
        return join_vn([labels.NAME_RATE.format(
            name=r.get("name") or self.department_name(r["department"]),
            rate=fmt.percent_vn(r["compliance_rate"])) for r in rows])

    def channels_below_target(self) -> list[str]:
        month = (self.metrics.get("communications") or {}).get("month") or {}
        done, targets = month.get("by_channel", {}), month.get("targets", {})
        return [labels.MONTHLY_CAMPAIGN_BELOW.format(
            channel=labels.CHANNELS.get(c, c), done=fmt.count_formal(done.get(c, 0)),
            target=fmt.count_formal(t)) for c, t in targets.items() if t and done.get(c, 0) < t]

    def shortcoming_lines(self) -> list[str]:
        """Per department: how many cases it left unanswered past due or answered late."""
        lines = []
        for row in self.accountable_by_department():
            parts = [template.format(count=fmt.count_formal(n)) for template, n in (
                (labels.ACCOUNTABILITY_UNANSWERED, row["unanswered"]),
                (labels.ACCOUNTABILITY_LATE, row["late"])) if n]
            lines.append(labels.MONTHLY_SHORTCOMING_LINE.format(
                name=row["name"], parts=", ".join(parts),
                longest=labels.MONTHLY_LONGEST.format(days=fmt.count_formal(row["longest"]))
                if row["longest"] else ""))
        return lines

    def next_steps(self) -> list[str]:
        """The first priority of the next period, from the figures; the office writes the
        others in the notebook's Markdown cell below it."""
        overdue, due_soon = (self.totals.get(k) or 0 for k in ("open_overdue", "open_due_soon"))
        first = labels.NEXT_STEP_CASES.format(
            overdue=labels.NEXT_STEP_OVERDUE.format(count=fmt.count_formal(overdue)) if overdue else "",
            due_soon=labels.NEXT_STEP_DUE_SOON.format(count=fmt.count_formal(due_soon))
            if due_soon else "", target=fmt.percent_vn(self.target))
        return [first]

    def signature_data(self, signer: Sequence[str] | None = None,
                       recipients: Sequence[str] = labels.RECIPIENTS) -> Row:
        """`Nơi nhận:` and the signature block; without `signer`, the committee's signer of
        CauHinh (`signer_role`) and their name."""
        name = labels.SIGNATURE_NAME_PLACEHOLDER
        if signer is None:
            signer = signer_role(self.settings)
            name = str(self.settings.get("signer_name") or "").strip() or name
        return {"recipients_title": labels.RECIPIENTS_TITLE, "recipients": list(recipients),
                "role": list(signer), "name_placeholder": name}

    # --- department reminders

    def due_soon_cases(self) -> list[Row]:
        return list(self.cases.get("due_soon_cases") or [])

    def reminder_departments(self) -> list[str]:
        """Codes of the departments with open cases overdue or due soon, or overdue or
        due-soon tasks they lead, DonVi order; `_unassigned` last when cases without a
        department are overdue or due soon (its reminder goes to the office)."""
        return [code for code in self.department_codes() if self._needs_reminder(code)]

    def _needs_reminder(self, code: str) -> bool:
        figures = self.by_department.get(code, {})
        if figures.get("open_overdue") or figures.get("open_due_soon"):
            return True
        return code != UNASSIGNED and bool(self.reminder_tasks(code))

    def reminder_tasks(self, code: str) -> list[Row]:
        """The tasks `code` leads that are overdue or due soon (its reminder lists them)."""
        return [i for i in self.attention_tasks(lead=code)
                if i.get("bucket") == "overdue" or i.get("due_soon")]

    def addressee(self, code: str) -> str:
        """`Kính gửi: Đồng chí Trần Văn Hưng, Trưởng phòng Kinh tế, Hạ tầng và Đô thị`;
        without a head, `Kính gửi: Trưởng phòng …`; cases without a department go to the
        office."""
        unit = self.office_code() if code == UNASSIGNED else code
        name = self.department_name(unit) if unit else labels.OFFICE_NAME
        title = head_title(name)
        head = self.department_head(unit) if unit else None
        if head:
            return labels.REMINDER_ADDRESSEE.format(head=head, title=title)
        return labels.REMINDER_TO_NO_HEAD.format(title=title[:1].upper() + title[1:])

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
        return labels.ISSUES_SUMMARY.format(total=fmt.int_vn(total), parts=join_vn(parts))

    def data_quality_header(self) -> Section:
        kind, subject = self.title("data_quality")
        return Section("data_quality_header.html.j2", {
            "issuer": f"{labels.COMMITTEE} {self.ward.upper()}", "kind": kind, "subject": subject,
            "as_of": labels.AS_OF_LINE.format(as_of=fmt.date_vn(self.metrics.get("as_of"))),
            "intro": labels.DATA_QUALITY_INTRO, "summary": self.issues_summary(),
            "refused": self.refusal(), "notes": self.notice_lines()})

    def refusal(self) -> Row | None:
        """When the workbook is not briefed (metrics briefable false): why, and what to fix
        first — the blocking issues, in the sheet's words; None when it is briefed."""
        if self.metrics.get("briefable", True):
            return None
        return {"note": labels.NOT_BRIEFED_NOTE,
                "lines": [f"{self.issue_place(i)}: {i.get('message') or ''}"
                          for i in self.metrics.get("blocking_issues") or []]}

    @staticmethod
    def issue_place(issue: Mapping[str, Any]) -> str:
        """`PhanAnh!C239`, `Phản ánh, dòng 1`, or the tab alone: as the sheet has them."""
        tab = issue.get("sheet_title") or issue.get("sheet") or ""
        if issue.get("cell"):
            return f"{tab}!{issue['cell']}"
        if issue.get("row"):
            return f"{tab}, {labels.ISSUE_COLUMNS['row'].lower()} {issue['row']}"
        return str(tab)

    def rows_table(self) -> Section:
        c = labels.ROWS_COLUMNS
        columns = [Column("sheet", c["sheet"], "text", "text")] + [
            Column(k, c[k], "int", "num") for k in ("total", "valid", "rejected")]
        titles = self.metrics.get("tab_titles") or {}
        rows = [{"sheet": titles.get(sheet) or sheet,
                 **{k: v.get(k) for k in ("total", "valid", "rejected")},
                 "_class": "wb-worse" if v.get("rejected") else ""}
                for sheet, v in (self.metrics.get("rows") or {}).items()]
        return Section("table.html.j2", {"title": labels.ROWS_TITLE, "level": 3,
                                         "columns": columns, "rows": rows, "css": "wb-rows"})

    def issue_rows(self, issues: Sequence[Mapping[str, Any]]) -> list[Row]:
        return [{"row": i["row"] if i.get("row") else labels.ISSUES_WHOLE_TAB,
                 "cell": i.get("cell") or fmt.DASH,
                 "column": i.get("header") or i.get("column") or fmt.DASH,
                 "message": i.get("message"),
                 "link": str(i.get("link") or "") if str(i.get("link") or "").startswith(
                     ("https://", "http://")) else "",
                 "severity": i.get("severity")} for i in issues]

    def issues_sections(self) -> Section:
        """One group per severity, inside it one table per sheet."""
        issues = self.issues()
        groups = []
        for severity in SEVERITY_ORDER:
            of_severity = [i for i in issues if i.get("severity") == severity]
            if not of_severity:
                continue
            sheets = list(dict.fromkeys(i.get("sheet") for i in of_severity))
            titles = {i.get("sheet"): i.get("sheet_title") or i.get("sheet") for i in of_severity}
            groups.append({
                "severity": severity,
                "title": f"{labels.SEVERITIES[severity]} — {fmt.int_vn(len(of_severity))}",
                "sheets": [{"title": labels.ISSUES_SHEET.format(sheet=titles[sheet]),
                            "rows": self.issue_rows([i for i in of_severity if i.get("sheet") == sheet])}
                           for sheet in sheets]})
        return Section("issues.html.j2", {"groups": groups, "columns": labels.ISSUE_COLUMNS,
                                          "open_cell": labels.OPEN_CELL})

    # --- for exploration in a notebook (cells tagged remove-cell)

    def frame(self, name: str) -> Any:
        """A table of the briefing as a pandas DataFrame: `departments`, `accountability`,
        `tasks`, `headline`, `issues`."""
        import pandas as pd

        rows = {"departments": self.department_rows, "accountability": self.accountability_rows,
                "tasks": lambda: self.attention_rows(self.attention_tasks()),
                "headline": self.headline_rows, "issues": lambda: self.issue_rows(self.issues())}[name]()
        return pd.DataFrame(rows).drop(columns=["_class"], errors="ignore")


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


# --- for the runner: one reminder file per department, the annex --------------------------

def reminder_departments(metrics: Mapping[str, Any]) -> list[str]:
    """Codes of the departments that get a reminder."""
    return Briefing(metrics).reminder_departments()


def annex_html(metrics: Mapping[str, Any], report: str) -> str | None:
    """The annex of a report (every accountable case), None when there is none."""
    b = Briefing(metrics, report=report)
    return b.annex_section().html() if b.has_accountable() else None
