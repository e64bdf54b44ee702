"""wardbrief.briefings.fmt: numbers and dates as Vietnamese readers write them (GLOSSARY)."""

from __future__ import annotations

import datetime as dt

import pytest
from wardbrief.briefings import fmt


@pytest.mark.parametrize(("rate", "text"), [
    (0.925, "92,5%"),
    (0.9310344827586207, "93,1%"),  # messy sample: 54 on time of 58 resolved
    (0.8059701492537313, "80,6%"),
    (0.875, "87,5%"),
    (1.0, "100,0%"),  # one decimal always: "89,0%" beside "88,9%"
    (0.89, "89,0%"),
    (0.5, "50,0%"),
    (0.0, "0,0%"),
    (0.0005, "0,1%"),  # half up, not banker's rounding
    (None, "—"),
])
def test_percent_vn(rate, text):
    assert fmt.percent_vn(rate) == text


@pytest.mark.parametrize(("number", "text"), [
    (1234567, "1.234.567"), (1234, "1.234"), (999, "999"), (0, "0"), (-4200, "-4.200"),
    (None, "—"),
])
def test_int_vn(number, text):
    assert fmt.int_vn(number) == text


@pytest.mark.parametrize(("count", "text"), [(4, "04"), (9, "09"), (10, "10"), (69, "69"),
                                              (0, "0"), (1234, "1.234")])
def test_count_formal(count, text):
    assert fmt.count_formal(count) == text


def test_dates():
    assert fmt.date_vn("2026-11-27") == "27/11/2026"
    assert fmt.date_vn(dt.date(2026, 1, 2)) == "02/01/2026"
    assert fmt.date_vn(None) == "—"
    assert fmt.month_vn("2026-11-27") == "11/2026"
    assert fmt.datetime_vn("2026-11-27T07:05:00+07:00") == "27/11/2026 07:05"


def test_date_line():
    assert fmt.date_line("Đông Hải", "2026-11-27") == "Đông Hải, ngày 27 tháng 11 năm 2026"
    assert fmt.date_line("Đông Hải", dt.date(2026, 11, 27)) == "Đông Hải, ngày 27 tháng 11 năm 2026"
    # Nghị định 30/2020: a day below 10 and the months 1 and 2 take a leading zero
    assert fmt.date_line("Đông Hải", "2026-02-05") == "Đông Hải, ngày 05 tháng 02 năm 2026"
    assert fmt.date_line("Đông Hải", "2026-03-09") == "Đông Hải, ngày 09 tháng 3 năm 2026"


def test_change_against_previous_period():
    assert fmt.change_vn(69, 67) == "▲ tăng 2"
    assert fmt.change_vn(58, 63) == "▼ giảm 5"
    assert fmt.change_vn(54, 54) == "= không đổi"
    assert fmt.change_vn(0.9310344827586207, 0.8571428571428571, rate=True) == (
        "▲ tăng 7,4 điểm phần trăm")
    # the change is that of the rates as shown: 59,1% against 69,1% is 10,0 points
    assert fmt.change_words(0.5909, 0.6912, rate=True) == "giảm 10,0 điểm phần trăm"
    assert fmt.change_vn(0.80, 0.80000000001, rate=True) == "= không đổi"
    assert fmt.change_vn(12, None) == "—"
    assert fmt.change_words(1200, 1) == "tăng 1.199"


def test_cap_text():
    assert fmt.cap_text("  Đèn   đường\nhỏng ") == "Đèn đường hỏng"
    long = "Rác thải tồn đọng nhiều ngày tại đầu ngõ. " * 20
    capped = fmt.cap_text(long, 200)
    assert len(capped) <= 200 and capped.endswith("…")
    assert fmt.cap_text(None) == ""


def test_day_month_range_and_decimal_days():
    assert fmt.day_month_range("2026-11-14", "2026-11-20") == "từ 14/11 đến 20/11/2026"
    assert fmt.day_month_range("2025-12-29", "2026-01-04") == "từ 29/12/2025 đến 04/01/2026"
    assert fmt.day_month_range(None, "2026-01-04") == ""
    assert fmt.number_vn(3.0) == "3,0" and fmt.number_vn(3.9310344) == "3,9"
    assert fmt.points_vn(0.5909, 0.6912) == -10.0 and fmt.points_vn(None, 0.5) is None
