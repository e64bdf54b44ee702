"""CONTRACT section 3, accepted date cells; section 2, blank vs unreadable."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from builders import D, case, issue_set, read
from wardbrief.read.dates import parse_dates

APRIL_3 = D("2026-04-03")
SERIAL_APRIL_3 = 46115  # days from 1899-12-30 to 2026-04-03

TEXT_FORMS = {
    "dd/mm/yyyy": "03/04/2026",
    "d/m/yyyy": "3/4/2026",
    "dd-mm-yyyy": "03-04-2026",
    "dd.mm.yyyy": "03.04.2026",
    "dd/mm/yy": "03/04/26",
    "d/m/yy": "3/4/26",
    "yyyy-mm-dd": "2026-04-03",
}
TIMES = {"": "", "hh:mm": " 08:30", "hh:mm:ss": " 17:45:09"}


def parse_one(cell):
    parsed = parse_dates(pd.Series([cell], dtype=object))
    value = parsed.values.iloc[0]
    return (None if pd.isna(value) else value.date(),
            bool(parsed.blank.iloc[0]), bool(parsed.unreadable.iloc[0]))


@pytest.mark.parametrize("form", list(TEXT_FORMS))
@pytest.mark.parametrize("time", list(TIMES))
def test_every_text_form_with_and_without_time(form, time):
    assert parse_one(TEXT_FORMS[form] + TIMES[time]) == (APRIL_3, False, False)


@pytest.mark.parametrize("cell", [
    dt.date(2026, 4, 3),
    dt.datetime(2026, 4, 3),
    dt.datetime(2026, 4, 3, 23, 59, 59),
    pd.Timestamp("2026-04-03 12:00"),
    SERIAL_APRIL_3,
    float(SERIAL_APRIL_3),
    SERIAL_APRIL_3 + 0.75,
    SERIAL_APRIL_3 + 0.999,
    np.int64(SERIAL_APRIL_3),
    np.float64(SERIAL_APRIL_3 + 0.5),
], ids=["date", "datetime", "datetime-late", "timestamp", "serial-int", "serial-float",
        "serial-fraction", "serial-almost-next", "np-int", "np-float"])
def test_date_datetime_and_serial_cells(cell):
    assert parse_one(cell) == (APRIL_3, False, False)


@pytest.mark.parametrize("serial, expected", [
    (2, D("1900-01-01")), (61, D("1900-03-01")), (46353, D("2026-11-27")),
    (46353.9, D("2026-11-27")), (45658, D("2025-01-01")),
])
def test_serial_numbers_count_days_since_1899_12_30(serial, expected):
    assert parse_one(serial) == (expected, False, False)


@pytest.mark.parametrize("text, expected", [
    ("03/04/2026", D("2026-04-03")),
    ("04/03/2026", D("2026-03-04")),
    ("12/01/2026", D("2026-01-12")),
    ("01/12/2026", D("2026-12-01")),
    ("31/12/2026", D("2026-12-31")),
    ("13/1/26", D("2026-01-13")),
    ("1/2/27", D("2027-02-01")),
    ("05.06.2026 07:00", D("2026-06-05")),
    ("05-06-2026 07:00:00", D("2026-06-05")),
    ("29/02/2028", D("2028-02-29")),
])
def test_text_dates_are_day_first_always(text, expected):
    assert parse_one(text) == (expected, False, False)


@pytest.mark.parametrize("text", [
    "31/02/2026", "15/13/2026", "00/00/0000", "29/02/2026", "32/01/2026", "2026-02-30",
    "2026-13-01", "không rõ", "hôm qua", "abc", "03/04", "3 tháng 4 năm 2026", "N/A", "-",
])
def test_invalid_dates_are_unreadable(text):
    assert parse_one(text) == (None, False, True)


@pytest.mark.parametrize("cell", [None, "", "   ", "\t", " \n ", float("nan")])
def test_blank_cells_are_blank_not_unreadable(cell):
    assert parse_one(cell) == (None, True, False)


def test_a_mixed_column_parses_each_cell():
    cells = [dt.date(2026, 4, 3), "03/04/2026", SERIAL_APRIL_3, None, "31/02/2026",
             "2026-04-03 08:30", " ", dt.datetime(2026, 4, 3, 8)]
    parsed = parse_dates(pd.Series(cells, dtype=object))
    dates = [None if pd.isna(v) else v.date() for v in parsed.values]
    assert dates == [APRIL_3, APRIL_3, APRIL_3, None, None, APRIL_3, None, APRIL_3]
    assert parsed.blank.tolist() == [False, False, False, True, False, False, True, False]
    assert parsed.unreadable.tolist() == [False, False, False, False, True, False, False, False]


def test_only_the_calendar_date_counts():
    parsed = parse_dates(pd.Series(["03/04/2026 23:59:59", dt.datetime(2026, 4, 3, 23, 59)],
                                   dtype=object))
    assert [v for v in parsed.values] == [pd.Timestamp("2026-04-03")] * 2


# -- through the contract reader: every form in the Ngày tiếp nhận column -------------------
def test_every_form_in_the_received_column():
    cells = [TEXT_FORMS[f] + TIMES[t] for f in TEXT_FORMS for t in TIMES]
    cells += [dt.date(2026, 4, 3), dt.datetime(2026, 4, 3, 9, 15), SERIAL_APRIL_3,
              SERIAL_APRIL_3 + 0.4]
    wb = read(cases=[case(f"PA{i}", c) for i, c in enumerate(cells)])
    assert issue_set(wb) == set()
    assert wb.rows["PhanAnh"] == {"total": len(cells), "valid": len(cells), "rejected": 0}
    assert set(wb.cases["received"]) == {pd.Timestamp("2026-04-03")}


def test_blank_and_unreadable_received_are_errors_and_optional_dates_are_warnings():
    wb = read(cases=[
        case("PA1", None),                                       # row 2: blank -> error
        case("PA2", "   "),                                      # row 3: blank -> error
        case("PA3", "31/02/2026"),                               # row 4: unreadable -> error
        case("PA4", D("2026-04-03"), assigned="15/13/2026"),     # row 5: warning
        case("PA5", D("2026-04-03"), due="00/00/0000"),          # row 6: warning
        case("PA6", D("2026-04-03"), extended="sắp tới"),        # row 7: warning
        case("PA7", D("2026-04-03"), responded="32/04/2026"),    # row 8: warning
        case("PA8", D("2026-04-03"), assigned="  ", due="", responded=None),  # row 9: ok
    ])
    assert issue_set(wb) == {
        ("PhanAnh", 2, "error"), ("PhanAnh", 3, "error"), ("PhanAnh", 4, "error"),
        ("PhanAnh", 5, "warning"), ("PhanAnh", 6, "warning"), ("PhanAnh", 7, "warning"),
        ("PhanAnh", 8, "warning"),
    }
    # unreadable optional dates are then blank
    cases = wb.cases.set_index("case_id")
    assert cases[["assigned", "due_explicit", "extended_to", "responded"]].isna().all().all()


@pytest.mark.parametrize("cell", [
    1, 73416, 132322, 2958466, 1e300, float("inf"), float("-inf"), -5,
    "27/11/2620", "27/11/1620", "2620-11-27", "31/12/1899", "01/01/2101",
    dt.date(2620, 11, 27), dt.datetime(1200, 1, 1, 8, 30), dt.date(1, 1, 1),
    dt.datetime(9999, 12, 31, 23, 59), pd.Timestamp("2262-04-01"),
], ids=str)
def test_dates_outside_1900_2100_are_unreadable_not_an_exception(cell):
    assert parse_one(cell) == (None, False, True)


@pytest.mark.parametrize("cell, expected", [
    (73415, D("2100-12-31")), (73415.99, D("2100-12-31")), ("31/12/2100", D("2100-12-31")),
    ("01/01/1900", D("1900-01-01")), (dt.datetime(2100, 12, 31, 23, 0), D("2100-12-31")),
])
def test_the_edges_of_the_range_are_dates(cell, expected):
    assert parse_one(cell) == (expected, False, False)
