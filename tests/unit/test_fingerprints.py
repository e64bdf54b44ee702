"""A report's fingerprint is what it was built from (figures.fingerprints): the rows of
its period as the contract reads them as of A, its settings, its document. What happens
after A, or to rows no figure of the report reads, leaves a closed period's print as it
was; what changes one of its figures changes it."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest
from builders import FIXTURES
from wardbrief.figures import fingerprints, periods
from wardbrief.figures.metrics import compute_metrics, load
from wardbrief.read.contract import Workbook

NOVEMBER = periods.month(2026, 11)  # 15/10 - 14/11/2026: closed as of 27/11
A = pd.Timestamp(NOVEMBER.end)


@pytest.fixture(scope="module")
def messy() -> Workbook:
    return load(FIXTURES / "messy.xlsx")


def inputs(workbook: Workbook, period: periods.Period = NOVEMBER) -> dict:
    return compute_metrics(workbook, period.end, period=period)["source"]["report_inputs"]


def edited(workbook: Workbook, tab: str = "cases") -> Workbook:
    """A copy whose `tab` frame may be changed (the caches of the figures left behind)."""
    return dataclasses.replace(workbook, **{tab: getattr(workbook, tab).copy()},
                               calendar_cache=None, rows_cache=None)


def open_case(workbook: Workbook) -> int:
    """The index of a case received in November's period and open at its end."""
    cases = workbook.cases
    rows = cases.index[(cases["received"] >= pd.Timestamp(NOVEMBER.start))
                       & (cases["received"] <= A) & cases["responded"].isna()
                       & ~cases["returned"]]
    return int(rows[0])


def test_answering_an_old_case_after_the_period_leaves_it_as_it_was(messy):
    """The scenario of a re-send storm: a case of November answered (and rated, its
    status set) on 27/11 changes this week's figures, not the closed month's."""
    before = inputs(messy)
    book = edited(messy)
    row = open_case(messy)
    book.cases.loc[row, ["responded", "status", "rating"]] = [
        pd.Timestamp("2026-11-27"), "Đã trả lời", "Hài lòng"]
    book.cases.loc[row, "satisfied"] = True
    assert inputs(book) == before
    week = periods.week(dt.date(2026, 11, 27))
    assert inputs(book, week)["rows"] != inputs(messy, week)["rows"]


def test_an_answer_within_the_period_changes_it(messy):
    book = edited(messy)
    book.cases.loc[open_case(messy), "responded"] = A
    changed = inputs(book)
    assert changed["rows"] != inputs(messy)["rows"]
    assert changed["settings"] == inputs(messy)["settings"]


def test_a_case_received_after_the_period_is_no_input(messy):
    book = edited(messy)
    later = book.cases.index[book.cases["received"] > A]
    assert len(later) > 10
    book.cases.loc[later, "summary"] = "sửa nội dung"
    book.cases.loc[later, "department"] = "VP"
    book.cases = book.cases.drop(later[:5])
    assert inputs(book) == inputs(messy)


@pytest.mark.parametrize("column, value", [
    ("extended_to", pd.Timestamp("2027-01-30")),  # an extension moves the due date
    ("area", "Tổ dân phố 99"),  # top areas
    ("department", "CA"),
    ("returned", True),
])
def test_a_change_of_a_period_case_that_a_figure_reads_changes_it(messy, column, value):
    book = edited(messy)
    book.cases.loc[open_case(messy), column] = value
    assert inputs(book)["rows"] != inputs(messy)["rows"]


def test_a_summary_or_a_status_word_is_no_figure(messy):
    book = edited(messy)
    row = open_case(messy)
    book.cases.loc[row, ["summary", "status"]] = ["Nội dung đã sửa", "Đang xác minh"]
    assert inputs(book) == inputs(messy)


def test_the_order_of_the_rows_is_no_input(messy):
    book = edited(messy)
    book.cases = book.cases.iloc[::-1].reset_index(drop=True)
    assert inputs(book) == inputs(messy)


def test_tasks_as_of_the_period_end(messy):
    """Completed after A: not completed as of A (no change); progress words are read as
    they are today (no input); completed within the period, or a blocked status of a
    task not done by A, change the figures."""
    tasks = messy.tasks
    pending = tasks.index[(tasks["assigned"] <= A) & ~(tasks["completed"] <= A)
                          & tasks["due"].notna()]
    assert len(pending) >= 2
    first, second = int(pending[0]), int(pending[1])
    later = edited(messy, "tasks")
    later.tasks.loc[first, ["completed", "progress", "status"]] = [
        pd.Timestamp("2026-11-26"), 100.0, "Hoàn thành"]
    assert inputs(later) == inputs(messy)
    done = edited(messy, "tasks")
    done.tasks.loc[first, "completed"] = A
    assert inputs(done)["rows"] != inputs(messy)["rows"]
    blocked = edited(messy, "tasks")
    blocked.tasks.loc[second, "blocked"] = not bool(tasks.loc[second, "blocked"])
    assert inputs(blocked)["rows"] != inputs(messy)["rows"]


def test_a_day_off_counts_up_to_the_last_date_the_figures_reach(messy):
    before = inputs(messy)
    far = dataclasses.replace(messy, days_off=[*messy.days_off, dt.date(2031, 3, 3)],
                              calendar_cache=None)
    assert inputs(far) == before
    near = dataclasses.replace(messy, days_off=[*messy.days_off, dt.date(2026, 11, 6)],
                               calendar_cache=None)
    assert inputs(near)["settings"] != before["settings"]


def test_a_department_print_is_what_its_reminder_lists(messy):
    """Answering a case overdue at A changes its department's print only; answering an
    open case neither overdue nor due soon changes no department's (its reminder does
    not list it), though it changes the report's rows."""
    metrics = compute_metrics(messy, NOVEMBER.end, period=NOVEMBER)
    overdue = metrics["cases"]["overdue_cases"][0]
    row = int(messy.cases.index[messy.cases["case_id"] == overdue["case_id"]][0])
    book = edited(messy)
    book.cases.loc[row, "responded"] = A
    was, now = inputs(messy)["departments"], inputs(book)["departments"]
    assert [c for c in was if was[c] != now[c]] == [overdue["department"]]
    listed = {c["case_id"] for c in metrics["cases"]["overdue_cases"]
              + metrics["cases"]["due_soon_cases"]}
    quiet = [i for i in messy.cases.index[(messy.cases["received"] <= A)
                                          & ~(messy.cases["responded"] <= A)
                                          & ~messy.cases["returned"]]
             if messy.cases.loc[i, "case_id"] not in listed]
    book = edited(messy)
    book.cases.loc[quiet[0], "responded"] = A
    assert inputs(book)["departments"] == was
    assert inputs(book)["rows"] != inputs(messy)["rows"]


def test_the_report_reads_its_inputs_and_its_document(messy):
    metrics = compute_metrics(messy, NOVEMBER.end, period=NOVEMBER)
    weekly = fingerprints.with_document(metrics, "weekly_briefing", "sha256:doc1")
    assert weekly is not metrics and "report_fingerprint" not in metrics["source"]
    source = weekly["source"]
    assert source["report_inputs"]["document"] == "sha256:doc1"
    assert source["report_fingerprint"] == fingerprints.of_report(weekly, "weekly_briefing")
    other = fingerprints.with_document(metrics, "weekly_briefing", "sha256:doc2")
    assert other["source"]["report_fingerprint"] != source["report_fingerprint"]
    # a closed period's formal report: a new notebook or template sends nothing again
    month = [fingerprints.with_document(metrics, "monthly_report", doc)["source"]
             for doc in ("sha256:doc1", "sha256:doc2")]
    assert month[0]["report_inputs"]["document"] == "sha256:doc1"
    assert month[0]["report_fingerprint"] == month[1]["report_fingerprint"]
    assert set(fingerprints.inputs_of(weekly, "monthly_report")) == {"rows", "settings"}
    # the data-quality list reads the data issues, not the rows
    assert set(fingerprints.inputs_of(weekly, "data_quality")) == {"issues", "settings",
                                                                    "document"}
    reminders = fingerprints.with_document(metrics, "department_reminders", "sha256:doc1")
    parts = reminders["source"]["part_fingerprints"]
    assert set(parts) == {*messy.department_codes, "_unassigned"}
    assert len(set(parts.values())) == len(parts)
    # metrics of before the report inputs: the whole sheet's print
    old = {"source": {"fingerprint": "sha256:whole"}}
    assert fingerprints.of_report(old, "monthly_report") == "sha256:whole"


def test_a_document_print_is_of_the_files_content(tmp_path):
    notebook = tmp_path / "a.ipynb"
    notebook.write_text("{}", encoding="utf-8")
    templates = tmp_path / "templates"
    (templates / "sections").mkdir(parents=True)
    (templates / "sections" / "x.j2").write_text("x", encoding="utf-8")
    first = fingerprints.document_fingerprint(notebook, templates)
    assert fingerprints.document_fingerprint(notebook, templates) == first
    (templates / "sections" / "x.j2").write_text("y", encoding="utf-8")
    assert fingerprints.document_fingerprint(notebook, templates) != first


def test_a_period_covered_in_part_says_from_when(messy):
    """messy.xlsx begins on 03/08/2026: Q3 (15/06 - 14/09) is covered from then, the
    2025 year report is not built, November is whole."""
    first = dt.date(2026, 8, 3)
    q3 = periods.quarter(2026, 3)
    metrics = compute_metrics(messy, q3.end, period=q3)
    assert metrics["data_from"] == "2026-08-03"
    assert ("Số liệu của kỳ báo cáo này tính từ ngày 03/08/2026, ngày tiếp nhận phản ánh, "
            "kiến nghị đầu tiên trong bảng tính") in metrics["notices"][-1]
    whole = compute_metrics(messy, NOVEMBER.end, period=NOVEMBER)
    assert "data_from" not in whole and not any("tính từ ngày" in n for n in whole["notices"])
    assert periods.before_data(periods.year(2025), first)
    assert periods.before_data(periods.half_year(2026, 1), first)
    assert not periods.before_data(q3, first)
    assert not periods.before_data(periods.week(dt.date(2020, 1, 6)), first)  # run warns
    assert periods.covered_from(q3.start, q3.end, first) == first
    assert periods.covered_from(q3.start, q3.end, q3.start) is None
