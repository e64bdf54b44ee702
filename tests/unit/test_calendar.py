"""CONTRACT section 2 (working day, NgayNghi) and section 3 (wd(x, y], N-th working day)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from builders import D, case, issue_set, read
from wardbrief.figures import due_dates
from wardbrief.figures.calendar import WorkCalendar, workbook_calendar


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar(D("2026-01-01"), D("2026-12-31"))


def wd(calendar: WorkCalendar, x: str, y: str) -> int:
    return int(calendar.working_days_between(np.array([np.datetime64(x)]),
                                             np.array([np.datetime64(y)]))[0])


def nth(calendar: WorkCalendar, start: str, n: int) -> dt.date:
    out = calendar.add_working_days(np.array([np.datetime64(start)]), np.array([n]))
    return out.iloc[0].date()


@pytest.mark.parametrize("day", [
    "2026-01-01", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20",
    "2026-04-27", "2026-04-30", "2026-05-01", "2026-08-31", "2026-09-01", "2026-09-02",
    "2026-11-24",
])
def test_vietnamese_public_holidays_are_not_working_days(cal, day):
    assert not cal.is_working_day(D(day))


@pytest.mark.parametrize("day", ["2026-11-21", "2026-11-22", "2026-11-28", "2026-11-29",
                                 "2026-04-26", "2026-01-03"])
def test_weekends_are_not_working_days(cal, day):
    assert not cal.is_working_day(D(day))


@pytest.mark.parametrize("day", ["2026-11-23", "2026-11-25", "2026-11-27", "2026-09-03",
                                 "2026-01-02", "2026-12-31"])
def test_ordinary_weekdays_are_working_days(cal, day):
    assert cal.is_working_day(D(day))


def test_the_make_up_saturday_the_package_records_is_a_working_day(cal):
    # holidays 0.108+: 2026-08-22 (Saturday) is worked in exchange for 2026-08-31
    assert cal.is_working_day(D("2026-08-22"))


@pytest.mark.parametrize("x, y, expected", [
    ("2026-11-20", "2026-11-27", 4),    # 23, 25, 26, 27 (24 is a holiday)
    ("2026-11-23", "2026-11-23", 0),    # empty interval
    ("2026-11-22", "2026-11-23", 1),    # y included
    ("2026-11-23", "2026-11-25", 1),    # x excluded, 24 a holiday
    ("2026-11-23", "2026-11-24", 0),
    ("2026-11-27", "2026-11-30", 1),    # weekend skipped
    ("2026-11-26", "2026-11-27", 1),
    ("2026-11-27", "2026-11-27", 0),
    ("2026-02-13", "2026-02-23", 1),    # Tết 16-20 Feb
    ("2026-08-28", "2026-09-04", 2),    # 31 Aug, 1-2 Sep off -> 3 and 4 Sep
    ("2026-08-21", "2026-08-24", 2),    # make-up Saturday 22 Aug + Monday 24
    ("2026-11-03", "2026-11-27", 17),
    ("2026-11-27", "2026-11-20", -4),   # reversed: the negative count
])
def test_wd_counts_days_after_x_up_to_and_including_y(cal, x, y, expected):
    assert wd(cal, x, y) == expected


@pytest.mark.parametrize("start, n, expected", [
    ("2026-11-16", 10, "2026-12-01"),
    ("2026-11-18", 10, "2026-12-03"),
    ("2026-11-16", 5, "2026-11-23"),
    ("2026-11-20", 3, "2026-11-26"),
    ("2026-11-23", 1, "2026-11-25"),   # 24 Nov is a holiday
    ("2026-11-21", 1, "2026-11-23"),   # from a Saturday
    ("2026-11-24", 1, "2026-11-25"),   # from a holiday
    ("2026-08-28", 2, "2026-09-04"),
    ("2026-08-21", 1, "2026-08-22"),   # the make-up Saturday counts
    ("2026-02-13", 1, "2026-02-23"),
    ("2026-10-20", 10, "2026-11-03"),
])
def test_nth_working_day_after_s(cal, start, n, expected):
    got = nth(cal, start, n)
    assert got == D(expected)
    assert wd(cal, start, expected) == n
    assert cal.is_working_day(got)


def test_whole_columns_at_once(cal):
    starts = np.array(["2026-11-16", "2026-11-23", "2026-08-28"], dtype="datetime64[D]")
    limits = np.array([10, 1, 2])
    got = cal.add_working_days(starts, limits)
    assert [d.date() for d in got] == [D("2026-12-01"), D("2026-11-25"), D("2026-09-04")]
    ends = np.array(["2026-11-27", "2026-11-27", "2026-09-02"], dtype="datetime64[D]")
    assert cal.working_days_between(starts, ends).tolist() == [8, 3, 0]


# -- NgayNghi ---------------------------------------------------------------------------
def test_nghi_removes_a_day_and_lam_bu_adds_a_saturday():
    wb = read(cases=[case("PA1", D("2026-11-02"))],
              days_off=[(D("2026-11-25"), "Nghỉ"), (D("2026-11-28"), "Làm bù"),
                        (D("2026-11-29"), "lam bu"), (D("2026-11-26"), "NGHI")])
    assert issue_set(wb) == set()
    cal = workbook_calendar(wb, D("2026-12-31"))
    assert not cal.is_working_day(D("2026-11-25"))
    assert not cal.is_working_day(D("2026-11-26"))
    assert cal.is_working_day(D("2026-11-28"))
    assert cal.is_working_day(D("2026-11-29"))
    assert cal.is_working_day(D("2026-11-27"))
    # 23, 27, 28, 29 (24 holiday, 25-26 off)
    assert wd(cal, "2026-11-20", "2026-11-29") == 4
    assert nth(cal, "2026-11-23", 1) == D("2026-11-27")
    assert nth(cal, "2026-11-27", 1) == D("2026-11-28")
    assert nth(cal, "2026-11-27", 3) == D("2026-11-30")


def test_lam_bu_overrides_a_holiday_and_nghi_overrides_the_packages_make_up_day():
    wb = read(cases=[case("PA1", D("2026-08-01"))],
              days_off=[(D("2026-09-02"), "Làm bù"), (D("2026-08-22"), "Nghỉ")])
    cal = workbook_calendar(wb, D("2026-12-31"))
    assert cal.is_working_day(D("2026-09-02"))
    assert not cal.is_working_day(D("2026-08-22"))


def test_ngaynghi_dates_in_every_accepted_form():
    wb = read(cases=[case("PA1", D("2026-11-02"))],
              days_off=[("25/11/2026", "Nghỉ"), ("2026-11-26", "Nghỉ"), (46353, "Nghỉ"),
                        ("28/11/26 08:00", "Làm bù")])
    assert issue_set(wb) == set()
    assert sorted(wb.days_off) == [D("2026-11-25"), D("2026-11-26"), D("2026-11-27")]
    assert wb.make_up_days == [D("2026-11-28")]


def test_due_dates_use_the_workbook_calendar():
    # received Mon 23 Nov, category limit 3: 25 and 26 off by NgayNghi, 24 a holiday
    wb = read(cases=[case("PA1", D("2026-11-23"), category="Môi trường")],
              days_off=[(D("2026-11-25"), "Nghỉ"), (D("2026-11-26"), "Nghỉ"),
                        (D("2026-11-28"), "Làm bù")])
    due = due_dates(wb.cases, workbook_calendar(wb, D("2026-12-31")))
    assert due.iloc[0].date() == D("2026-11-30")  # 27, 28 (make-up), 30
