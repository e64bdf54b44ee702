"""The weekly briefing's section builders (BÁO CÁO GIAO BAN TUẦN): page 1 (what the
Chairman must know and act on), the headline figures against the previous period and the
target, the departments ranked, the 12-week trend, the accountability list and its annex
(`phu_luc.pdf`), tasks, the campaign beside how cases came in.

A mixin of `briefing.Briefing` (it reads the metrics through the Briefing's own
methods); each builder returns a named section of the document model
(`wardbrief.document.model.Section`); `weekly_document.weekly_document` puts them in order.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from wardbrief.briefings import fmt, labels
from wardbrief.briefings.sections import Column, show, table_block
from wardbrief.briefings.shaping import (
    ACCOUNTABILITY_CSV,
    ANNEX_FILE,
    DIRECTION,
    NAMED_DEPARTMENTS,
    SHORT_TEXT,
    TOP_CASES,
    TOP_TASKS,
    Row,
    join_vn,
)
from wardbrief.document.model import (
    Block,
    Figure,
    Group,
    Heading,
    Items,
    Letterhead,
    Paragraph,
    Section,
    Title,
)
from wardbrief.figures.rules import RANK_MIN_DENOMINATOR
from wardbrief.read.schema import UNASSIGNED, setting_default


class WeeklySections:
    """The weekly briefing's sections (a part of `Briefing`)."""
    def _absent_section(self, name: str, tab: str, title: str) -> Section | None:
        absent = self.tab_absent(tab)
        return Section(name, (Heading(title), Paragraph(absent))) if absent else None

    def weekly_header(self) -> Section:
        """`header`: the letterhead (no number: the briefing is not a numbered document),
        title and subject, the period and the one compared with, the sample's notice, the
        pointer to the data errors."""
        lines = [self.period_line()]
        if self.previous.get("period_start"):
            lines.append(labels.PREVIOUS_PERIOD_LINE.format(
                name=self.previous_name(),
                start=fmt.date_vn(self.previous.get("period_start")),
                end=fmt.date_vn(self.previous.get("as_of"))))
        kind, subject = self.title("weekly_briefing")
        h = self.header_data(None)
        head = Letterhead(issuer=(h["committee"], h["ward_upper"]), number="",
                          nation=h["nation"], motto=h["motto"], date_line=h["date_line"],
                          title=kind, subject=(subject,))
        return Section("header", (head, *(Paragraph(line, "period") for line in lines),
                                  *(Paragraph(line, "notice") for line in self.notice_lines()),
                                  *(Paragraph(line, "note") for line in self.notes())))

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
        """`key_points`, page 1's box: the verdict, the two rates and the overdue cases,
        then what the Chairman is asked to act on."""
        overdue = int(self.totals.get("open_overdue") or 0)
        lines = [self.rate_sentence("compliance_rate"), self.rate_sentence("on_time_rate"),
                 labels.OVERDUE_SENTENCE.format(count=fmt.count_formal(overdue),
                                                holders=self.overdue_holders())
                 if overdue else labels.OVERDUE_NONE]
        actions = self.actions()
        blocks: list[Block] = [Heading(labels.KEY_POINTS_TITLE), Paragraph(self.verdict(), "verdict"),
                               Items(tuple(lines), css="wb-list")]
        if actions:
            blocks += [Paragraph(labels.ACTIONS_TITLE, "label"),
                       Items(tuple(actions), ordered=True, css="wb-actions")]
        return Section("key_points", tuple(blocks), css="wb-key-points")

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
        """`headline`: the period's figures against the previous period and the target."""
        return Section("headline", (
            Heading(labels.WEEKLY_SECTIONS["headline"]),
            Paragraph(self.headline_sentence(), "lead"),
            table_block(self.headline_columns(), self.headline_rows(), "wb-headline")))

    def department_columns(self) -> list[Column]:
        c = labels.DEPARTMENT_COLUMNS
        columns = [Column("rank", c["rank"], "int", "rank"), Column("name", c["name"], "text", "text")]
        columns += [Column(k, c[k], "int", "num") for k in self.DEPARTMENT_FIGURES]
        if self.has_speed():
            columns.append(Column("avg_working_days", c["avg_working_days"], "days", "num"))
        return columns + [Column(k, c[k], "rate", "num") for k in ("on_time_rate", "compliance_rate")]

    def departments_section(self) -> Section:
        """`departments`: every department ranked, the total once at the end."""
        css = "wb-departments" + (" wb-with-speed" if self.has_speed() else "")
        return Section("departments", (
            Heading(labels.WEEKLY_SECTIONS["departments"]),
            table_block(self.department_columns(), self.department_rows(), css,
                        self.department_total()),
            Paragraph(self.ranking_note(), "note")))

    def compliance_chart(self, number: int = 2) -> Section:
        """`compliance`: Biểu đồ 2, each department's compliance against the target
        (no blocks when no department has a rate)."""
        rows = [r for r in self.ranking() if r["department"] != UNASSIGNED
                and r.get("compliance_rate") is not None]
        if not rows:
            return Section("compliance", (), css="wb-chart")
        from wardbrief.briefings import charts

        svg = charts.compliance_svg(
            [r.get("name") or self.department_name(r["department"]) for r in rows],
            [r["compliance_rate"] for r in rows], [r.get("rank") is not None for r in rows],
            self.target, RANK_MIN_DENOMINATOR)
        caption = labels.CHART_COMPLIANCE_CAPTION.format(n=number, target=fmt.percent_vn(self.target))
        return Section("compliance", (Figure(svg, caption, labels.CHART_COMPLIANCE_TITLE),),
                       css="wb-chart")

    def trend_section(self, number: int = 1) -> Section:
        """`trend`: Biểu đồ 1, the last 12 weeks (no blocks without a series)."""
        series = self.metrics.get("weekly_series") or []
        if not series:
            return Section("trend", (), css="wb-chart")
        from wardbrief.briefings import charts

        svg = charts.weekly_trend_svg(
            [w["week_start"] for w in series], [w.get("received", 0) for w in series],
            [w.get("resolved", 0) for w in series], [w.get("resolved_on_time", 0) for w in series],
            [w.get("open_backlog", 0) for w in series])
        return Section("trend", (Heading(labels.WEEKLY_SECTIONS["trend"], 2),
                                 Figure(svg, labels.CHART_TREND_CAPTION.format(n=number),
                                        labels.CHART_TREND_TITLE)), css="wb-chart")

    def most_overdue(self, limit: int = TOP_CASES) -> list[Row]:
        """The `limit` cases a reader must see first: unanswered before answered late,
        most working days late first."""
        return sorted(self._accountable(), key=lambda c: (
            not c["_open"], -(c.get("working_days_late") or 0), c["case_id"]))[:limit]

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

    def accountability_count_columns(self) -> list[Column]:
        c = labels.ACCOUNTABILITY_COUNT_COLUMNS
        return [Column("name", c["name"], "text", "text"), Column("head", c["head"], "text", "text"),
                Column("unanswered", c["unanswered"], "int", "num"),
                Column("late", c["late"], "int", "num"), Column("longest", c["longest"], "int", "num")]

    def accountability_intro(self, lead_in: bool = True) -> str:
        """How many cases are late or unanswered; with `lead_in`, the words introducing
        the counts by unit that follow it in the briefing (the annex lists lines)."""
        unanswered, late = (len(self.cases.get(k, [])) for k in ("overdue_cases", "late_cases"))
        if not unanswered + late:
            return labels.ACCOUNTABILITY_EMPTY
        text = labels.ACCOUNTABILITY_INTRO.format(
            total=fmt.count_formal(unanswered + late), unanswered=fmt.count_formal(unanswered),
            late=fmt.count_formal(late))
        return labels.ACCOUNTABILITY_BY_UNIT.format(intro=text) if lead_in else text

    def annex_note(self, shown: int) -> str:
        total = len(self._accountable())
        if not total:
            return ""
        if total <= shown:
            return labels.ANNEX_NOTE_ALL.format(annex=ANNEX_FILE, csv=ACCOUNTABILITY_CSV)
        return labels.ANNEX_NOTE.format(shown=fmt.count_formal(shown), total=fmt.count_formal(total),
                                        annex=ANNEX_FILE, csv=ACCOUNTABILITY_CSV)

    def accountability_section(self) -> Section:
        """`accountability`: the counts by department (kept with the heading), then the
        most overdue cases and where the rest are."""
        top = [dict(self.accountability_row(c), summary=fmt.cap_text(c.get("summary"), SHORT_TEXT))
               for c in self.most_overdue()]
        counts = self.accountable_by_department()
        kept: list[Block] = [Heading(labels.WEEKLY_SECTIONS["accountability"]),
                             Paragraph(self.accountability_intro(), "lead")]
        blocks: list[Block] = []
        if counts:
            kept.append(table_block(self.accountability_count_columns(), counts,
                                    "wb-accountable-counts"))
            # the head is in the counts above: the list gives the text its width
            columns = [c for c in self.accountability_columns() if c.key != "head"]
            blocks += [Heading(labels.TOP_CASES_TITLE.format(count=fmt.count_formal(len(top))), 2),
                       table_block(columns, top, "wb-top-cases")]
        note = self.annex_note(len(top))
        if note:
            blocks.append(Paragraph(note, "note"))
        return Section("accountability", (Group(tuple(kept), "keep-together"), *blocks),
                       css="wb-accountability-section")

    def annex_section(self, report: str | None = None) -> Section:
        """`annex`, the full accountability list, for `phu_luc.pdf` beside the report: per
        department (most such cases first) its head and counts once, then its cases
        unanswered past due and those answered late, each case on one line (id, due
        date, answer, days late, the summary as far as the line goes). Lines, not a
        table: a seven-column table, or lines wrapping the whole summary, take several
        times the pages and the layout time for the thousands of cases of a large ward;
        the whole summary is in the CSV."""
        report = report or self.report
        kind, _subject = self.title(report)
        blocks: list[Block] = [
            Title(labels.ANNEX_PDF_TITLE, (labels.ACCOUNTABILITY_TITLE,),
                  labels.ANNEX_PDF_ATTACHED.format(
                      report=kind.capitalize() if kind.isupper() else kind,
                      start=fmt.date_vn(self.metrics.get("period_start")),
                      end=fmt.date_vn(self.metrics.get("as_of")))),
            Paragraph(self.accountability_intro(lead_in=False)),
            Paragraph(labels.ANNEX_SHORTENED.format(csv=ACCOUNTABILITY_CSV))]
        for number, group in enumerate(self.annex_groups(), start=1):
            blocks += [Heading(f"{number}. {group['name']}", 2, css="wb-annex-unit"),
                       Paragraph(group["line"], "unit")]
            for part in group["parts"]:
                blocks.append(Paragraph(part["title"], "part"))
                blocks += [Paragraph(labels.ANNEX_CASE.format(
                    case_id=c["case_id"], facts=c["facts"], summary=show(c["summary"])), "line")
                    for c in part["cases"]]
        return Section("annex", tuple(blocks), annex=True)

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

    def task_rows(self) -> list[Row]:
        by_department = (self.metrics.get("tasks") or {}).get("by_department", {})
        return [{"name": self.department_name(code), **{k: f.get(k) for k in ("total",) + self.TASK_KEYS}}
                for code, f in by_department.items() if code != UNASSIGNED or f.get("total")]

    def task_columns(self) -> list[Column]:
        return [Column("name", labels.DEPARTMENT_COLUMNS["name"], "text", "text"),
                Column("total", labels.TASK_TOTAL, "int", "num")] + [
            Column(k, labels.TASK_BUCKETS[k], "int", "num") for k in self.TASK_KEYS]

    def tasks_section(self) -> Section:
        """`tasks`: tasks by department (the total once), then the most urgent ones."""
        absent = self._absent_section("tasks", "NhiemVu", labels.WEEKLY_SECTIONS["tasks"])
        if absent:
            return absent
        t = self.task_totals()
        blocks: list[Block] = [
            Heading(labels.WEEKLY_SECTIONS["tasks"]),
            table_block(self.task_columns(), self.task_rows(), "wb-tasks",
                        {"name": labels.TOTAL, **{k: t.get(k) for k in ("total",) + self.TASK_KEYS}})]
        if (self.metrics.get("tasks") or {}).get("items") is not None:
            items = self.attention_tasks()
            shown = items[:TOP_TASKS]
            blocks.append(Heading(labels.TASK_ATTENTION_TITLE, 2))
            if shown:
                blocks.append(table_block(self.attention_columns(), [
                    dict(r, content=fmt.cap_text(r["content"], SHORT_TEXT))
                    for r in self.attention_rows(shown)], "wb-task-items"))
                if len(items) > len(shown):
                    blocks.append(Paragraph(labels.TASKS_MORE.format(
                        count=fmt.count_formal(len(items) - len(shown))), "note"))
            else:
                blocks.append(Paragraph(labels.TASK_ATTENTION_EMPTY))
        return Section("tasks", tuple(blocks))

    def communication_rows(self) -> list[Row]:
        comms = self.metrics.get("communications") or {}
        period = comms.get("by_channel", {})
        month = comms.get("month") or {}
        month_counts, targets = month.get("by_channel", {}), month.get("targets", {})
        # the month is judged once it is over; before, a channel short of its target is
        # "còn 03" to go, not "Chưa đạt" on part of a month
        end = fmt.as_date(month.get("end"))
        over = end is None or (end + timedelta(days=1)).day == 1
        rows = []
        for channel, name in labels.CHANNELS.items():
            target = targets.get(channel)
            done = month_counts.get(channel)
            status = ""
            if target and (done or 0) >= target:
                status = labels.TARGET_MET
            elif target:
                status = labels.TARGET_MISSED if over else labels.TARGET_TO_GO.format(
                    count=fmt.count_formal(target - (done or 0)))
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

    def intake_rows(self) -> list[Row]:
        now = self.intake()
        before = (self.previous.get("cases") or {}).get("intake") or {}
        return [{"channel": name, "now": now.get(k, 0), "before": before.get(k) if before else fmt.DASH}
                for k, name in labels.INTAKE_CHANNELS.items() if now.get(k) or before.get(k)]

    def intake_chart(self, number: int) -> Figure | None:
        series = [w for w in self.metrics.get("weekly_series") or [] if "digital_share" in w]
        if not series:
            return None
        from wardbrief.briefings import charts

        svg = charts.intake_svg([w["week_start"] for w in series],
                                [w.get("received_digital", 0) for w in series],
                                [w.get("received", 0) for w in series])
        return Figure(svg, labels.CHART_INTAKE_CAPTION.format(n=number), labels.CHART_INTAKE_TITLE)

    def campaign_section(self, chart_number: int = 3) -> Section:
        """`campaign`: the posts against the month's targets, beside how cases came in
        (the share by the app and 1022, Biểu đồ 3)."""
        absent = self._absent_section("campaign", "TruyenThong", labels.WEEKLY_SECTIONS["campaign"])
        if absent:
            return absent
        comms = self.metrics.get("communications") or {}
        posts = table_block(self.communication_columns(), self.communication_rows(), "wb-comms",
                            {"channel": labels.TOTAL, "period": comms.get("total"),
                             "month": (comms.get("month") or {}).get("total")})
        heading = Heading(labels.WEEKLY_SECTIONS["campaign"])
        if not self.intake():
            return Section("campaign", (heading, posts))
        # the posts beside what they are for: the share of cases arriving by the app and 1022
        side: list[Block] = [posts, Heading(labels.INTAKE_TITLE, 2)]
        if self.intake_sentence():
            side.append(Paragraph(self.intake_sentence()))
        rows = self.intake_rows()
        figure = self.intake_chart(chart_number) if rows else None
        if rows:
            side.append(table_block(
                [Column("channel", labels.INTAKE_COLUMNS["channel"], "text", "text"),
                 Column("now", labels.THIS_PERIOD, "int", "num"),
                 Column("before", self.previous_name().capitalize(), "int", "num")],
                rows, "wb-intake-table"))
        return Section("campaign", (heading, Group(tuple(side), beside=(figure,) if figure
                                                   else ())))

    def frame(self, name: str) -> Any:
        """A table of the briefing as a pandas DataFrame: `departments`, `accountability`,
        `tasks`, `headline`, `issues`."""
        import pandas as pd

        rows = {"departments": self.department_rows, "accountability": self.accountability_rows,
                "tasks": lambda: self.attention_rows(self.attention_tasks()),
                "headline": self.headline_rows, "issues": lambda: self.issue_rows(self.issues())}[name]()
        return pd.DataFrame(rows).drop(columns=["_class"], errors="ignore")
