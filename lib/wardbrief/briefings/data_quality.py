"""The data-quality list's section builders (DANH SÁCH LỖI DỮ LIỆU): the data issues in
the sheet's own words, errors first, each with its tab, row and cell; the counts of rows
per tab; the reason a workbook is not briefed. A mixin of `briefing.Briefing`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from wardbrief.briefings import fmt, labels
from wardbrief.briefings.sections import Column, Section
from wardbrief.briefings.shaping import (
    SEVERITY_ORDER,
    SHEET_ORDER,
    Row,
    join_vn,
)


class DataQualitySections:
    """The data-quality list's sections (a part of `Briefing`)."""

    def issues(self) -> list[Row]:
        """Data issues errors first, then warnings, then info; within each by sheet (in
        the workbook's tab order) and row."""
        sheet_rank = {s: i for i, s in enumerate(SHEET_ORDER)}
        sev_rank = {s: i for i, s in enumerate(SEVERITY_ORDER)}
        return sorted(self.metrics.get("data_issues") or [], key=lambda i: (
            sev_rank.get(i.get("severity"), 9), sheet_rank.get(i.get("sheet"), 99),
            str(i.get("sheet")), i.get("row") or 0, str(i.get("column") or "")))

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
