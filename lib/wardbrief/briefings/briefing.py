"""The briefings' content: plain data shaped from the metrics dict, made into each
report's document model (`wardbrief.document.model`) by its section builders.

`Briefing` reads the metrics (who is who, periods, headers, rankings, the accountable
cases, tasks, intake) and is the notebooks' one object; each report's section builders
live with the report: `weekly` (a mixin: the weekly briefing's model sections, put in
order by `documents.weekly_document`), `data_quality` (a mixin: the data-quality list's
model sections, in order by `documents.data_quality_document`), `report` (the monthly and longer reports as a document model),
`reminder` (a department's reminder as a document model); `shaping` holds what they share.

A notebook loads a `Briefing` (`load_briefing(...)`), shapes its report's document and
displays one named section per cell (`doc["key_points"]`): a heading with its table, a
sentence, a chart. What the reader sees is decided here (which figures, in which order,
which sentence) and in `labels`/`fmt`/`charts`; the markup is the templates', and so is
the escaping.

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
from wardbrief.briefings.data_quality import DataQualitySections
from wardbrief.briefings.sections import Column
from wardbrief.briefings.shaping import (  # noqa: F401 (the report builders' names, here too)
    ANNEX_FILE,
    DEFAULT_TARGET,
    DEFAULT_WARD,
    OFFICE_CODE,
    SEVERITY_ORDER,
    SHORT_TEXT,
    TOP_CASES,
    TOP_TASKS,
    Row,
    doc_symbol,
    head_title,
    join_vn,
    number_or_none,
    place_name,
    signer_role,
    with_satisfaction_rate,
)
from wardbrief.briefings.weekly import WeeklySections
from wardbrief.figures import periods
from wardbrief.figures.rules import RANK_MIN_DENOMINATOR
from wardbrief.paths import resolve_source
from wardbrief.read.names import key
from wardbrief.read.schema import UNASSIGNED

# A notebook given metrics.json imports neither pandas nor matplotlib: the engine
# (`wardbrief.figures.metrics`) is imported only to compute metrics from a source, the
# charts (`wardbrief.briefings.charts`) only when one is drawn.

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


# --- the Briefing ----------------------------------------------------------------------

class Briefing(WeeklySections, DataQualitySections):
    """The metrics of one run, shaped into the sections the four reports show."""

    def __init__(self, metrics: Mapping[str, Any], ward_name: str | None = None,
                 report: str = "weekly_briefing") -> None:
        self.metrics = metrics
        self.report = report
        self.ward = ward_name or metrics.get("ward") or DEFAULT_WARD
        self.cases = metrics.get("cases", {})
        self.totals = with_satisfaction_rate(self.cases.get("totals", {}),
                                              metrics.get("satisfaction"))
        self.by_department = self.cases.get("by_department", {})
        self.settings = metrics.get("settings", {})
        self.target = self.settings.get("on_time_target", DEFAULT_TARGET)
        self.previous = metrics.get("previous_period") or {}
        self.previous_totals = with_satisfaction_rate(
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

    def header_data(self, symbol: str | None) -> Row:
        return {"committee": labels.COMMITTEE, "ward_upper": self.ward.upper(),
                "nation": labels.NATION, "motto": labels.MOTTO, "doc_number": labels.DOC_NUMBER,
                "doc_symbol": symbol,
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
        announced by the runner's banner above the page: wardbrief.briefings.marks.stale_banner.)"""
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

    # --- page 1: what the chairman must know and act on

    def target_met(self) -> bool | None:
        rate = self.totals.get("on_time_rate")
        return None if rate is None or self.target is None else rate >= self.target

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

    def department_total(self) -> Row:
        t = self.totals
        return {"rank": "", "name": labels.TOTAL, **{k: t.get(k) for k in self.DEPARTMENT_FIGURES},
                "avg_working_days": t.get("avg_working_days"),
                "on_time_rate": t.get("on_time_rate"), "compliance_rate": t.get("compliance_rate")}

    def ranking_note(self) -> str:
        note = labels.RANKING_NOTE.format(minimum=RANK_MIN_DENOMINATOR)
        return note + (" " + labels.SPEED_NOTE if self.has_speed() else "")

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

    def has_accountable(self) -> bool:
        return bool(self._accountable())

    # --- tasks

    def task_totals(self) -> Mapping[str, Any]:
        return (self.metrics.get("tasks") or {}).get("totals", {})

    TASK_KEYS = ("done_on_time", "done_late", "in_progress", "overdue", "blocked", "due_soon")

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
                 if number_or_none(i.get("progress")) is not None else fmt.DASH,
                 "bucket": self.task_state(i)} for i in items]

    def attention_columns(self, with_lead: bool = True) -> list[Column]:
        c = labels.TASK_COLUMNS
        return [Column("task_id", c["task_id"], "text", "id"),
                Column("content", c["content"], "text", "text wide")] + (
            [Column("lead", c["lead"], "text", "text")] if with_lead else []) + [
            Column("due", c["due"], "date", "date"), Column("progress", c["progress"], "text", "num"),
            Column("bucket", c["bucket"], "text", "text")]

    def intake(self) -> Mapping[str, int]:
        return self.cases.get("intake") or {}

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

    def issue_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(SEVERITY_ORDER, 0)
        for issue in self.metrics.get("data_issues") or []:
            counts[issue.get("severity", "info")] = counts.get(issue.get("severity", "info"), 0) + 1
        return counts


# --- for the runner: one reminder file per department, the annex --------------------------

def reminder_departments(metrics: Mapping[str, Any]) -> list[str]:
    """Codes of the departments that get a reminder."""
    return Briefing(metrics).reminder_departments()

