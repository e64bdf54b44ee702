"""A quarterly report's figures on the samples: received, resolved, on time and late are
the sums of its three months' (the periods tile the quarter), and the comparisons are the
same figures computed directly over the other periods."""

from __future__ import annotations

import pytest
from builders import FIXTURES
from wardbrief.figures import periods
from wardbrief.figures.metrics import compute_metrics, load

ADDITIVE = ("received", "returned", "resolved", "resolved_on_time", "resolved_late", "rated",
            "satisfied")


@pytest.fixture(scope="module", params=["clean", "messy"])
def workbook(request):
    return load(FIXTURES / f"{request.param}.xlsx")


def of(workbook, period):
    return compute_metrics(workbook, period.end, period=period)


@pytest.mark.parametrize("cutoff", [14, 0])
def test_a_quarter_is_the_sum_of_its_three_months(workbook, cutoff):
    quarter = periods.quarter(2026, 4, cutoff)
    whole = of(workbook, quarter)
    assert whole["period"] == quarter.as_dict()
    months = [of(workbook, periods.month(2026, m, cutoff)) for m in (10, 11, 12)]
    assert months[0]["period_start"] == whole["period_start"]
    assert months[-1]["as_of"] == whole["as_of"]
    for name in ADDITIVE:
        assert whole["cases"]["totals"][name] == sum(
            m["cases"]["totals"][name] for m in months), name
        for code, figures in whole["cases"]["by_department"].items():
            assert figures[name] == sum(
                m["cases"]["by_department"][code][name] for m in months), (code, name)
    assert whole["cases"]["totals"]["received"] > 0  # the samples have cases in Q4
    assert whole["cases"]["totals"]["resolved_late"] > 0


def test_the_comparisons_are_the_figures_of_the_other_periods(workbook):
    quarter = periods.quarter(2026, 4)
    m = of(workbook, quarter)
    compared = m["comparisons"]
    expected = {"previous_period": periods.quarter(2026, 3),
                "same_period_last_year": periods.quarter(2025, 4),
                "year_to_date": periods.Period("year_to_date", "2026-YTD",
                                               periods.year(2026).start, quarter.end)}
    assert set(compared) == set(expected)
    for name, other in expected.items():
        assert compared[name]["period"] == other.as_dict()
        direct = compute_metrics(workbook, other.end, other.start)
        assert compared[name]["cases"]["totals"] == direct["cases"]["totals"], name
    assert m["previous_period"]["period_start"] == "2026-06-15"
    assert m["previous_period"]["as_of"] == "2026-09-14"
    # the year to date of the year's last quarter is the year itself
    year = of(workbook, periods.year(2026))
    assert year["cases"]["totals"] == compared["year_to_date"]["cases"]["totals"]
    quarters = [of(workbook, periods.quarter(2026, q)) for q in (1, 2, 3, 4)]
    assert year["cases"]["totals"]["received"] == sum(
        q["cases"]["totals"]["received"] for q in quarters)
