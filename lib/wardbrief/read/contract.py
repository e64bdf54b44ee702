"""Contract sections 1-2: raw cells -> typed frames + DataIssues.

Every tab goes through the same steps: find it by title key, take the first
non-blank row as the header, match headers by key, skip rows whose cells are all
blank, then validate column-wise. A row is either valid or rejected with one error
(the first reason wins); nothing is dropped silently.
"""


from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import pandas as pd

from wardbrief.read import privacy, schema
from wardbrief.read.cells import (
    TextColumn,
)
from wardbrief.read.issues import DataIssue
from wardbrief.read.record_tabs import (
    read_cases,
    read_posts,
    read_tasks,
)
from wardbrief.read.reference_tabs import (
    Settings,
    read_categories,
    read_days_off,
    read_departments,
    read_settings,
    read_targets,
)
from wardbrief.read.sources.base import RawWorkbook
from wardbrief.read.tables import (
    IssueLog,
    Table,
    empty_table,
    find_tabs,
    issue_text,
    near_titles,
    read_table,
    tab_issues,
)


@dataclass
class Workbook:
    raw: RawWorkbook
    settings: Settings
    departments: pd.DataFrame  # index code; columns name, head, email (text, `;`)
    categories: pd.DataFrame  # columns name, key, limit
    days_off: list[dt.date]
    make_up_days: list[dt.date]
    cases: pd.DataFrame
    tasks: pd.DataFrame
    posts: pd.DataFrame
    targets: dict[str, int]
    issues: list[DataIssue]
    rows: dict[str, dict[str, int]]
    missing_required: list[str] = field(default_factory=list)
    reporter_names: list[str] = field(default_factory=list)  # personal data, for masking
    name_matcher: privacy.NameMatcher | None = field(default=None, repr=False)
    # The one mask of the citizens' cells every output shows (read.privacy).
    personal: privacy.PersonalData | None = field(default=None, repr=False)
    calendar_cache: object | None = field(default=None, repr=False)  # figures.calendar
    rows_cache: object | None = field(default=None, repr=False)  # figures.fingerprints
    tab_titles: dict[str, str] = field(default_factory=dict)  # contract tab -> source title
    # Sentences (Vietnamese) every briefing made from this workbook shows in its warnings
    # area: the demo mark, a date column typed month-first.
    notices: list[str] = field(default_factory=list)

    @property
    def department_codes(self) -> list[str]:
        return list(self.departments.index)

    @property
    def demo(self) -> bool:
        """The bundled synthetic sample (or another generated one), not a ward's data."""
        return self.settings.demo

    def issues_sorted(self) -> list[DataIssue]:
        return sorted(self.issues, key=DataIssue.sort_key)

    def blocking_issues(self) -> list[DataIssue]:
        """The errors that keep this workbook from giving true figures: a required tab
        missing or a source-level problem (an error without a row, e.g. a Google Sheet
        whose locale reads dates month-first) and a column a tab cannot be read without
        (CONTRACT section 2). A workbook with any of them is not briefed: only its
        data-quality list is published. Rejected rows alone do not block."""
        return [i for i in self.issues_sorted()
                if i.severity == "error" and (i.row is None or i.blocking)]

    @property
    def briefable(self) -> bool:
        return not self.blocking_issues()

    def tabs_present(self) -> dict[str, bool]:
        """Contract tab name -> whether the workbook has it."""
        return {tab.name: tab.name in self.tab_titles for tab in schema.TABS}






# --------------------------------------------------------------------------------------
# The whole workbook
# --------------------------------------------------------------------------------------
def read_workbook(raw: RawWorkbook) -> Workbook:
    log = IssueLog(raw)
    titles = log.titles = find_tabs(raw, log)
    missing = tab_issues(titles, near_titles(raw, titles), log)

    def table(tab: schema.Tab) -> Table:
        if tab.name not in titles:
            return empty_table(tab)
        return read_table(raw, tab, titles[tab.name], log)

    counted = {name: table(tab) for name, tab in (
        ("PhanAnh", schema.PHANANH), ("NhiemVu", schema.NHIEMVU),
        ("TruyenThong", schema.TRUYENTHONG))}
    # Every reporter named in PhanAnh (rejected rows too) is masked in what follows.
    reporter = TextColumn(counted["PhanAnh"].data["reporter__raw"])
    names = privacy.name_matcher(reporter.texts_in_row_order())
    log.names = names
    log.items = [_masked(issue, names) for issue in log.items]
    settings = read_settings(table(schema.CAUHINH), log)
    departments, lookup = read_departments(table(schema.DONVI), log)
    names.keep(departments["head"].tolist())  # heads of departments are not citizens
    categories = read_categories(table(schema.LINHVUC), log, settings.default_limit)
    days_off, make_up = read_days_off(table(schema.NGAYNGHI), log)
    cases, reporter_names = read_cases(counted["PhanAnh"], log, lookup, categories, settings,
                                        reporter)
    tasks = read_tasks(counted["NhiemVu"], log, lookup)
    posts = read_posts(counted["TruyenThong"], log, lookup)
    targets = read_targets(table(schema.CHITIEU), log)
    valid_counts = {"PhanAnh": len(cases), "NhiemVu": len(tasks), "TruyenThong": len(posts)}
    rows = {
        name: {"total": len(t.data), "valid": valid_counts[name],
               "rejected": len(t.data) - valid_counts[name]}
        for name, t in counted.items()
    }
    return Workbook(
        raw=raw, settings=settings, departments=departments, categories=categories,
        days_off=days_off, make_up_days=make_up, cases=cases, tasks=tasks, posts=posts,
        targets=targets, issues=[*raw.source_issues, *log.items],
        rows=rows, missing_required=missing,
        reporter_names=reporter_names, name_matcher=names,
        personal=privacy.PersonalData(names),
        tab_titles=titles,
        notices=([issue_text("demo_notice")] if settings.demo else []) + log.notices,
    )


def _masked(issue: DataIssue, names: privacy.NameMatcher) -> DataIssue:
    """An issue raised before the reporter names were known, with them masked."""
    masked = names.mask(issue.message)
    return issue if masked == issue.message else replace(issue, message=masked)
