"""`send` finds the reports of an as-of date where `run` published them (publish.outbox),
and a replacement says what changed since the message it replaces (publish.sent_log)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from wardbrief.briefings.letters import changes_line
from wardbrief.figures import periods
from wardbrief.publish import outbox, sent_log

AS_OF = dt.date(2026, 11, 27)


def published(out: Path, day: str, folder: str, period: periods.Period | None = None,
              cutoff: int = 14) -> Path:
    target = out / day / folder
    target.mkdir(parents=True)
    metrics = {"as_of": day, "settings": {"cutoff_day": cutoff},
               "period": period.as_dict() if period else None}
    (target / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
    return target


def test_the_reports_of_an_as_of_date_where_their_periods_end(tmp_path):
    weekly = published(tmp_path, "2026-11-27", "weekly_briefing")
    monthly = published(tmp_path, "2026-11-14", "monthly_report-2026-11", periods.month(2026, 11))
    published(tmp_path, "2026-10-14", "monthly_report-2026-10", periods.month(2026, 10))
    quarterly = published(tmp_path, "2026-09-14", "quarterly_report-2026-Q3",
                          periods.quarter(2026, 3))
    published(tmp_path, "2026-12-14", "year_report-2026", periods.year(2026))  # after A
    names = ["weekly_briefing", "monthly_report", "quarterly_report", "half_year_report",
             "year_report", "data_quality"]
    assert outbox.published_folders(tmp_path, AS_OF, names) == {
        "weekly_briefing": weekly, "monthly_report": monthly, "quarterly_report": quarterly}
    # as of the month's end itself
    assert outbox.published_folders(tmp_path, dt.date(2026, 11, 14), ["monthly_report"]) == {
        "monthly_report": monthly}


def test_a_month_of_calendar_months(tmp_path):
    """CauHinh `Ngày chốt số liệu` = cuối tháng: the month ending on or before A is
    October (01/10 - 31/10)."""
    october = published(tmp_path, "2026-10-31", "monthly_report-2026-10",
                        periods.month(2026, 10, cutoff=0), cutoff=0)
    assert outbox.published_folders(tmp_path, AS_OF, ["monthly_report"]) == {
        "monthly_report": october}


def test_a_report_of_given_dates_is_found_on_its_day(tmp_path):
    given = published(tmp_path, "2026-11-27", "weekly_briefing-2026-11-01..2026-11-27",
                      periods.custom(dt.date(2026, 11, 1), AS_OF))
    assert outbox.published_folders(tmp_path, AS_OF, ["weekly_briefing"]) == {
        "weekly_briefing": given}


SENT = {"figures": {"cases.received": 12, "cases.resolved": 8, "cases.on_time_rate": 0.75,
                    "satisfaction": None, "tasks.overdue": 2},
        "inputs": {"rows": "sha256:a", "settings": "sha256:s", "document": "sha256:d"}}


def test_a_replacement_names_the_figures_that_changed():
    now = {**SENT["figures"], "cases.resolved": 9, "cases.on_time_rate": 7 / 9}
    assert changes_line(sent_log.changed(SENT, now, SENT["inputs"])) == (
        "Số liệu thay đổi: Đã xử lý, trả lời 08 → 09; Tỷ lệ đúng hạn 75,0% → 77,8%.")
    tasks = {**SENT["figures"], "tasks.overdue": 3, "satisfaction": 1.0}
    assert changes_line(sent_log.changed(SENT, tasks, SENT["inputs"])) == (
        "Số liệu thay đổi: Tỷ lệ hài lòng — → 100,0%; Nhiệm vụ quá hạn chưa hoàn thành 02 → 03.")


def test_without_a_changed_figure_it_names_the_input_that_changed():
    inputs = {**SENT["inputs"], "document": "sha256:d2"}
    assert changes_line(sent_log.changed(SENT, SENT["figures"], inputs)) == (
        "Số liệu tổng hợp không đổi; thay đổi ở: mẫu báo cáo.")
    assert sent_log.changed({"fingerprint": "sha256:old"}, SENT["figures"], inputs) is None
    assert changes_line(None) == ""
