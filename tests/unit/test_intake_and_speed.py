"""CONTRACT section 3 (2026-12-01): the intake channel of each case (`cases.intake`) and
the working days from assignment to answer (`avg_working_days`), on cases worked out by
hand. Calendar: 24 Nov 2026 is a holiday, 21-22 Nov a weekend."""

from __future__ import annotations

import pytest
from builders import D, case, metrics

A = D("2026-11-27")
P = D("2026-11-21")
CASES = [
    # received in the period: smart_app; answered in 2 working days (25, 26: 24 is a holiday)
    case("I1", D("2026-11-23"), channel="Smart Hải Phòng", department="VP",
         responded=D("2026-11-26")),
    # received before the period (not in intake); S = Ngày giao 23/11 -> 25, 26, 27 = 3
    case("I2", D("2026-11-20"), channel="Tổng đài 1022", department="VP",
         assigned=D("2026-11-23"), responded=D("2026-11-27")),
    case("I3", D("2026-11-23"), channel="TRUC TIEP", responded=D("2026-11-23")),  # 0 days
    case("I4", D("2026-11-25"), channel="Zalo", status="Trả lại"),  # returned: other
    case("I5", D("2026-11-26")),  # blank Kênh: unknown
    # the first rule wins: "hotline" would be 1022, "smart" comes first; answered after A
    case("I6", D("2026-11-26"), channel="Hotline Smart HP", responded=D("2026-11-30")),
    # answered before Ngày giao: R <= S counts 0 working days
    case("I7", D("2026-11-24"), channel="Bộ phận một cửa", assigned=D("2026-11-25"),
         responded=D("2026-11-24")),
    case("I8", D("2026-11-25"), channel="Đường dây nóng"),
]


@pytest.fixture(scope="module")
def figures():
    return metrics(A, P, cases=CASES)


def test_intake_counts_each_channel_by_the_first_matching_rule(figures):
    assert figures["cases"]["intake"] == {"smart_app": 2, "system_1022": 1, "in_person": 2,
                                          "other": 1, "unknown": 1}


def test_intake_adds_up_to_received_returned_included(figures):
    assert sum(figures["cases"]["intake"].values()) == figures["cases"]["totals"]["received"] == 7
    assert figures["cases"]["totals"]["returned"] == 1


def test_avg_working_days_over_the_cases_resolved_in_the_period(figures):
    totals = figures["cases"]["totals"]
    assert totals["resolved"] == 4
    assert totals["avg_working_days"] == pytest.approx((2 + 3 + 0 + 0) / 4)


def test_avg_working_days_by_department_null_without_resolved_cases(figures):
    by = figures["cases"]["by_department"]
    assert by["VP"]["avg_working_days"] == pytest.approx(2.5)
    assert by["_unassigned"]["avg_working_days"] == 0.0
    assert by["VHXH"]["avg_working_days"] is None
    assert figures["previous_period"]["cases"]["totals"]["avg_working_days"] is None
