"""Report periods (Nghị định 09/2019/NĐ-CP, Điều 12): every kind around every boundary,
against dates worked out by hand."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from wardbrief.figures import periods as P
from wardbrief.read.reference_tabs import parse_cutoff_day

D = dt.date


def span(period: P.Period) -> tuple[str, D, D]:
    return period.label, period.start, period.end


@pytest.mark.parametrize("year, month, expected", [
    (2026, 11, ("2026-11", D(2026, 10, 15), D(2026, 11, 14))),
    (2026, 1, ("2026-01", D(2025, 12, 15), D(2026, 1, 14))),   # across the new year
    (2026, 12, ("2026-12", D(2026, 11, 15), D(2026, 12, 14))),
    (2028, 3, ("2028-03", D(2028, 2, 15), D(2028, 3, 14))),    # holds 29/02/2028
])
def test_month_runs_from_the_15th_to_the_14th(year, month, expected):
    assert span(P.month(year, month)) == expected


@pytest.mark.parametrize("quarter, expected", [
    (1, ("2026-Q1", D(2025, 12, 15), D(2026, 3, 14))),
    (2, ("2026-Q2", D(2026, 3, 15), D(2026, 6, 14))),
    (3, ("2026-Q3", D(2026, 6, 15), D(2026, 9, 14))),
    (4, ("2026-Q4", D(2026, 9, 15), D(2026, 12, 14))),
])
def test_quarter_runs_from_the_15th_of_the_month_before(quarter, expected):
    assert span(P.quarter(2026, quarter)) == expected


def test_half_years_and_year():
    assert span(P.half_year(2026, 1)) == ("2026-H1", D(2025, 12, 15), D(2026, 6, 14))
    assert span(P.half_year(2026, 2)) == ("2026-H2", D(2026, 6, 15), D(2026, 12, 14))
    assert span(P.year(2026)) == ("2026", D(2025, 12, 15), D(2026, 12, 14))


def test_cutoff_zero_is_the_calendar():
    assert span(P.month(2028, 2, 0)) == ("2028-02", D(2028, 2, 1), D(2028, 2, 29))  # leap
    assert span(P.month(2027, 2, 0)) == ("2027-02", D(2027, 2, 1), D(2027, 2, 28))
    assert span(P.quarter(2026, 4, 0)) == ("2026-Q4", D(2026, 10, 1), D(2026, 12, 31))
    assert span(P.half_year(2026, 1, 0)) == ("2026-H1", D(2026, 1, 1), D(2026, 6, 30))
    assert span(P.year(2026, 0)) == ("2026", D(2026, 1, 1), D(2026, 12, 31))


def test_another_cutoff_day():
    assert span(P.month(2026, 3, 20)) == ("2026-03", D(2026, 2, 21), D(2026, 3, 20))
    assert span(P.year(2026, 25)) == ("2026", D(2025, 12, 26), D(2026, 12, 25))


@pytest.mark.parametrize("kind, day, cutoff, expected", [
    # the 14th ends a month; the 13th still belongs to the previous one
    ("month", D(2026, 11, 14), 14, ("2026-11", D(2026, 10, 15), D(2026, 11, 14))),
    ("month", D(2026, 11, 13), 14, ("2026-10", D(2026, 9, 15), D(2026, 10, 14))),
    ("month", D(2026, 11, 15), 14, ("2026-11", D(2026, 10, 15), D(2026, 11, 14))),
    ("month", D(2026, 12, 1), 14, ("2026-11", D(2026, 10, 15), D(2026, 11, 14))),
    ("month", D(2026, 1, 10), 14, ("2025-12", D(2025, 11, 15), D(2025, 12, 14))),
    ("month", D(2028, 2, 29), 14, ("2028-02", D(2028, 1, 15), D(2028, 2, 14))),
    ("month", D(2028, 2, 29), 0, ("2028-02", D(2028, 2, 1), D(2028, 2, 29))),
    ("month", D(2028, 2, 28), 0, ("2028-01", D(2028, 1, 1), D(2028, 1, 31))),
    ("month", D(2026, 12, 31), 0, ("2026-12", D(2026, 12, 1), D(2026, 12, 31))),
    ("month", D(2026, 12, 30), 0, ("2026-11", D(2026, 11, 1), D(2026, 11, 30))),
    # quarter ends: 14/03, 14/06, 14/09, 14/12
    ("quarter", D(2026, 3, 14), 14, ("2026-Q1", D(2025, 12, 15), D(2026, 3, 14))),
    ("quarter", D(2026, 3, 13), 14, ("2025-Q4", D(2025, 9, 15), D(2025, 12, 14))),
    ("quarter", D(2026, 12, 14), 14, ("2026-Q4", D(2026, 9, 15), D(2026, 12, 14))),
    ("quarter", D(2026, 12, 13), 14, ("2026-Q3", D(2026, 6, 15), D(2026, 9, 14))),
    ("quarter", D(2026, 12, 15), 14, ("2026-Q4", D(2026, 9, 15), D(2026, 12, 14))),
    ("quarter", D(2026, 1, 5), 14, ("2025-Q4", D(2025, 9, 15), D(2025, 12, 14))),
    ("quarter", D(2026, 9, 30), 0, ("2026-Q3", D(2026, 7, 1), D(2026, 9, 30))),
    ("quarter", D(2026, 9, 29), 0, ("2026-Q2", D(2026, 4, 1), D(2026, 6, 30))),
    # 15/12 starts the new reporting year
    ("half_year", D(2026, 6, 14), 14, ("2026-H1", D(2025, 12, 15), D(2026, 6, 14))),
    ("half_year", D(2026, 6, 13), 14, ("2025-H2", D(2025, 6, 15), D(2025, 12, 14))),
    ("half_year", D(2026, 12, 14), 14, ("2026-H2", D(2026, 6, 15), D(2026, 12, 14))),
    ("half_year", D(2026, 12, 15), 14, ("2026-H2", D(2026, 6, 15), D(2026, 12, 14))),
    ("half_year", D(2026, 7, 1), 0, ("2026-H1", D(2026, 1, 1), D(2026, 6, 30))),
    ("year", D(2026, 12, 14), 14, ("2026", D(2025, 12, 15), D(2026, 12, 14))),
    ("year", D(2026, 12, 13), 14, ("2025", D(2024, 12, 15), D(2025, 12, 14))),
    ("year", D(2026, 12, 15), 14, ("2026", D(2025, 12, 15), D(2026, 12, 14))),
    ("year", D(2026, 12, 31), 0, ("2026", D(2026, 1, 1), D(2026, 12, 31))),
    ("year", D(2026, 12, 30), 0, ("2025", D(2025, 1, 1), D(2025, 12, 31))),
    ("week", D(2026, 11, 27), 14, ("2026-11-27", D(2026, 11, 21), D(2026, 11, 27))),
    ("week", D(2028, 3, 2), 14, ("2028-03-02", D(2028, 2, 25), D(2028, 3, 2))),
])
def test_the_period_that_ends_on_or_before_a_day(kind, day, cutoff, expected):
    assert span(P.ending_on_or_before(kind, day, cutoff)) == expected


def test_previous_period_and_same_period_last_year():
    q1 = P.quarter(2026, 1)
    assert span(P.previous(q1)) == ("2025-Q4", D(2025, 9, 15), D(2025, 12, 14))
    assert span(P.same_period_last_year(q1)) == ("2025-Q1", D(2024, 12, 15), D(2025, 3, 14))
    jan = P.month(2026, 1)
    assert span(P.previous(jan)) == ("2025-12", D(2025, 11, 15), D(2025, 12, 14))
    h1 = P.half_year(2026, 1)
    assert span(P.previous(h1)) == ("2025-H2", D(2025, 6, 15), D(2025, 12, 14))
    assert span(P.previous(P.year(2026))) == ("2025", D(2024, 12, 15), D(2025, 12, 14))
    feb = P.month(2028, 2, 0)  # the cut-off travels with the period
    assert span(P.same_period_last_year(feb)) == ("2027-02", D(2027, 2, 1), D(2027, 2, 28))
    assert span(P.previous(P.month(2028, 3, 0))) == ("2028-02", D(2028, 2, 1), D(2028, 2, 29))
    week = P.week(D(2026, 11, 27))
    assert (P.previous(week).start, P.previous(week).end) == (D(2026, 11, 14), D(2026, 11, 20))
    leap_week = P.custom(D(2028, 2, 23), D(2028, 2, 29))
    assert (P.same_period_last_year(leap_week).start,
            P.same_period_last_year(leap_week).end) == (D(2027, 2, 23), D(2027, 2, 28))


def test_year_to_date_starts_on_15_12_of_the_year_before():
    assert span(P.year_to_date(P.quarter(2026, 4))) == ("2026-YTD", D(2025, 12, 15),
                                                        D(2026, 12, 14))
    assert span(P.year_to_date(P.month(2026, 1))) == ("2026-YTD", D(2025, 12, 15),
                                                      D(2026, 1, 14))
    # a week ending on 20/12/2026 is in reporting year 2027 already
    assert span(P.year_to_date(P.week(D(2026, 12, 20)))) == ("2027-YTD", D(2026, 12, 15),
                                                             D(2026, 12, 20))
    assert span(P.year_to_date(P.quarter(2026, 2, 0))) == ("2026-YTD", D(2026, 1, 1),
                                                           D(2026, 6, 30))


def test_three_months_tile_their_quarter():
    for cutoff in (14, 0):
        for q in range(1, 5):
            months = [P.month(2026, 3 * q - 2 + i, cutoff) for i in range(3)]
            whole = P.quarter(2026, q, cutoff)
            assert months[0].start == whole.start and months[-1].end == whole.end
            for before, after in itertools.pairwise(months):
                assert after.start == before.end + dt.timedelta(days=1)


@pytest.mark.parametrize("value, expected", [
    (14, 14), ("14", 14), (14.0, 14), ("0", 0), ("cuối tháng", 0), ("Cuoi thang", 0),
    (" 20 ", 20), (29, None), ("31", None), ("-1", None), ("mười bốn", None), (None, None),
    ("14,5", None), (True, None),
])
def test_parse_cutoff(value, expected):
    assert parse_cutoff_day(value) == expected


def test_named_periods_from_the_command_line():
    assert span(P.named_period("month", month_text="2026-11")) == (
        "2026-11", D(2026, 10, 15), D(2026, 11, 14))
    assert span(P.named_period("quarter", quarter_text="2026-Q4")) == (
        "2026-Q4", D(2026, 9, 15), D(2026, 12, 14))
    assert span(P.named_period("half_year", year_number=2026)) == (
        "2026-H1", D(2025, 12, 15), D(2026, 6, 14))
    assert span(P.named_period("half_year", half_text="2026-H2")) == (
        "2026-H2", D(2026, 6, 15), D(2026, 12, 14))
    assert span(P.named_period("year", year_number=2026, cutoff=0)) == (
        "2026", D(2026, 1, 1), D(2026, 12, 31))
    assert P.named_period("quarter", month_text="2026-11") is None
    with pytest.raises(ValueError):
        P.parse_quarter("2026-Q5")
    with pytest.raises(ValueError):
        P.parse_month("2026-13")


def test_one_table_of_reports():
    assert P.REPORT_NAMES == ("weekly_briefing", "monthly_report", "quarterly_report",
                              "half_year_report", "year_report", "department_reminders",
                              "data_quality")
    assert {k.period for k in P.REPORT_KINDS} <= set(P.KINDS)
    assert [k.name for k in P.REPORT_KINDS if k.formal] == [
        "monthly_report", "quarterly_report", "half_year_report", "year_report",
        "department_reminders"]
