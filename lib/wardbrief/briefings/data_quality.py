"""The data-quality list's section builders (DANH SÁCH LỖI DỮ LIỆU): the data issues in
the sheet's own words, errors first, each with its tab, row, cell and column; the counts
of rows per tab; the reason a workbook is not briefed. A mixin of `briefing.Briefing`;
each builder returns a named section of the document model
(`wardbrief.document.model.Section`), `documents.data_quality_document` puts them in
order.

The issues' messages are the sheet's cells quoted (masked as they entered metrics.json:
`read.privacy`) and staff's headers: untrusted text, written as table cells
(`sections.text_cell`) and escaped by the template engine. A cell's link (a Google
Sheet's) is kept only when it is an http(s) URL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from wardbrief.briefings import fmt, labels
from wardbrief.briefings.sections import Column, table_block
from wardbrief.briefings.shaping import (
    SEVERITY_ORDER,
    SHEET_ORDER,
    Row,
    join_vn,
)
from wardbrief.document.model import Block, Group, Heading, Items, Paragraph, Section, Title

# The section of the list each severity of issue is in.
SEVERITY_SECTIONS = {"error": "errors", "warning": "warnings", "info": "info"}
ISSUE_TABLE = ("row", "cell", "column", "message")  # a sheet's table of issues, by column
LINKED_COLUMN = ISSUE_TABLE.index("cell")  # the cell's name opens the cell (Google Sheets)


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
        """`header`: the committee, the list's title, the as-of date, the notices every
        briefing of the workbook shows, what the list tells (when it lists anything)."""
        kind, subject = self.title("data_quality")
        return Section("header", (
            Paragraph(f"{labels.COMMITTEE} {self.ward.upper()}", "issuer"),
            Title(kind, (subject,)),
            Paragraph(labels.AS_OF_LINE.format(as_of=fmt.date_vn(self.metrics.get("as_of"))),
                      "period"),
            *(Paragraph(line, "notice") for line in self.notice_lines()),
            *((Paragraph(labels.DATA_QUALITY_INTRO),) if self.metrics.get("data_issues")
              else ())))

    def refusal(self) -> Row | None:
        """When the workbook is not briefed (metrics briefable false): why, and what to fix
        first — the blocking issues, in the sheet's words; None when it is briefed."""
        if self.metrics.get("briefable", True):
            return None
        return {"note": labels.NOT_BRIEFED_NOTE,
                "lines": [f"{self.issue_place(i)}: {i.get('message') or ''}"
                          for i in self.metrics.get("blocking_issues") or []]}

    def refusal_section(self) -> Section:
        """`refused`: why nothing else was briefed and what to fix first (empty when the
        workbook is briefed)."""
        refused = self.refusal()
        if refused is None:
            return Section("refused", ())
        lines = tuple(refused["lines"])
        return Section("refused", (Group((Paragraph(refused["note"], "verdict"),
                                          *((Items(lines),) if lines else ())),
                                         css="wardbrief-refused"),))

    def summary_section(self) -> Section:
        """`summary`: how many issues of each severity (or that there is none)."""
        return Section("summary", (Paragraph(self.issues_summary(), "verdict"),))

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
        """`rows`: the rows read from each tab, valid and left out."""
        c = labels.ROWS_COLUMNS
        columns = [Column("sheet", c["sheet"], "text", "text")] + [
            Column(k, c[k], "int", "num") for k in ("total", "valid", "rejected")]
        titles = self.metrics.get("tab_titles") or {}
        rows = [{"sheet": titles.get(sheet) or sheet,
                 **{k: v.get(k) for k in ("total", "valid", "rejected")},
                 "_class": "wb-worse" if v.get("rejected") else ""}
                for sheet, v in (self.metrics.get("rows") or {}).items()]
        return Section("rows", (Heading(labels.ROWS_TITLE, 2),
                                table_block(columns, rows, css="wb-rows")))

    def issue_rows(self, issues: Sequence[Mapping[str, Any]]) -> list[Row]:
        return [{"row": i["row"] if i.get("row") else labels.ISSUES_WHOLE_TAB,
                 "cell": i.get("cell") or fmt.DASH,
                 "column": i.get("header") or i.get("column") or fmt.DASH,
                 "message": i.get("message"),
                 "link": str(i.get("link") or "") if str(i.get("link") or "").startswith(
                     ("https://", "http://")) else "",
                 "severity": i.get("severity")} for i in issues]

    def issue_columns(self) -> list[Column]:
        c = labels.ISSUE_COLUMNS
        return [Column("row", c["row"], "int", "num"), Column("cell", c["cell"], "text", "text"),
                Column("column", c["column"], "text", "text"),
                Column("message", c["message"], "text", "text wide")]

    def issues_section(self, severity: str) -> Section:
        """`errors`, `warnings` or `info`: the issues of one severity, a table per sheet
        (row, cell, column, what is wrong), the cell a link to it where the sheet gives
        one; the errors say what fixing them does. Empty when there is none."""
        name = SEVERITY_SECTIONS[severity]
        issues = [i for i in self.issues() if i.get("severity") == severity]
        if not issues:
            return Section(name, ())
        blocks: list[Block] = [Heading(f"{labels.SEVERITIES[severity]} — "
                                       f"{fmt.int_vn(len(issues))}", 1)]
        if severity == "error":
            blocks.append(Paragraph(labels.ERRORS_LEAD.format(count=fmt.int_vn(len(issues))),
                                    "lead"))
        columns = self.issue_columns()
        for sheet in dict.fromkeys(i.get("sheet") for i in issues):
            of_sheet = [i for i in issues if i.get("sheet") == sheet]
            title = of_sheet[0].get("sheet_title") or sheet
            rows = self.issue_rows(of_sheet)
            table = table_block(columns, rows, css="wb-issues")
            if any(r["link"] for r in rows):
                table = table.with_links(tuple(r["link"] for r in rows), LINKED_COLUMN)
            blocks += [Heading(labels.ISSUES_SHEET.format(sheet=title), 2), table]
        return Section(name, tuple(blocks), css=f"wb-severity wb-{severity}-group")
