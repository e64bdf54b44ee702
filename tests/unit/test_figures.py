"""CONTRACT section 3: due dates, the as-of rule and every figure, on hand-built cases with
answers worked out by hand from the contract, then on random workbooks against a small
reference implementation written from the contract (and the invariants any answer obeys).

Calendar used by the hand-worked answers (holidays VN): 24 Nov 2026 is a holiday;
21-22 and 28-29 Nov are weekends; 31 Aug, 1 and 2 Sep 2026 are holidays.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from bisect import bisect_left

import holidays
import numpy as np
import pytest
from builders import CODES, D, book, case, issue_set, metrics, post, read, task
from wardbrief.figures import due_dates
from wardbrief.figures.calendar import workbook_calendar
from wardbrief.figures.metrics import compute_metrics
from wardbrief.read.contract import read_workbook
from wardbrief.read.sources.base import RawWorkbook

A = D("2026-11-27")
P = D("2026-11-21")  # A - 6 days, the default period start
COUNT_KEYS = ("received", "returned", "resolved", "resolved_on_time", "resolved_late", "open",
              "open_overdue", "open_due_soon", "rated", "satisfied")
RATE_KEYS = ("on_time_rate", "compliance_rate")
TASK_KEYS = ("total", "done_on_time", "done_late", "in_progress", "overdue", "due_soon",
             "blocked")
CHANNELS = ("radio", "portal", "social", "other")


def counts(figures: dict, keys=COUNT_KEYS) -> dict:
    return {k: figures[k] for k in keys}


def project(items: list[dict], keys: tuple[str, ...]) -> list[tuple]:
    return [tuple(item[k] for k in keys) for item in items]


# ======================================================================================
# Due dates
# ======================================================================================
DUE_CASES = [
    # (case, expected due)
    (case("P1", D("2026-11-16")), "2026-12-01"),                             # default 10
    (case("P2", D("2026-11-16"), assigned=D("2026-11-18")), "2026-12-03"),   # S = Ngày giao
    (case("P3", D("2026-11-16"), category="Đất đai"), "2026-11-23"),         # category 5
    (case("P4", D("2026-11-16"), category="Môi trường", due=D("2026-11-25")), "2026-11-25"),
    (case("P5", D("2026-11-16"), due=D("2026-11-25"), extended=D("2026-12-10")), "2026-12-10"),
    (case("P6", D("2026-11-16"), category="Đất đai", extended=D("2026-12-10")), "2026-12-10"),
    (case("P7", D("2026-11-16"), category="Đất đai", due="31/02/2026"), "2026-11-23"),
    (case("P8", D("2026-11-16"), due=D("2026-11-25"), extended="abc"), "2026-11-25"),
    (case("P9", D("2026-11-16"), assigned="15/13/2026"), "2026-12-01"),
    (case("P10", D("2026-11-20"), category="Môi trường"), "2026-11-26"),     # skips 24 Nov
    (case("P11", D("2026-08-28"), category="Đất đai"), "2026-09-09"),        # skips 31/8-2/9
    (case("P12", D("2026-11-21"), category="Môi trường"), "2026-11-26"),     # from a Saturday
    (case("P13", D("2026-11-16"), due=D("2026-11-25"), extended=D("2026-11-18")), "2026-11-18"),
    (case("P14", D("2026-11-16"), assigned=D("2026-11-23"), category="Môi trường"),
     "2026-11-27"),
    (case("P15", "16/11/2026 17:00", due="25/11/2026 08:00"), "2026-11-25"),
    (case("P16", D("2026-11-16"), due=D("2026-11-21")), "2026-11-21"),       # a Saturday, as is
]


@pytest.fixture(scope="module")
def due_book():
    wb = read(cases=[c for c, _ in DUE_CASES])
    return wb, due_dates(wb.cases, workbook_calendar(wb, D("2026-12-31")))


@pytest.mark.parametrize("i", range(len(DUE_CASES)), ids=[c["id"] for c, _ in DUE_CASES])
def test_due_date(due_book, i):
    wb, due = due_book
    assert wb.cases["case_id"].iloc[i] == DUE_CASES[i][0]["id"]
    assert due.iloc[i].date() == D(DUE_CASES[i][1])


def test_due_date_warnings(due_book):
    wb, _ = due_book
    # P7 (due), P8 (extension), P9 (assigned) are unreadable: warnings, treated as blank
    assert issue_set(wb) == {("PhanAnh", 8, "warning"), ("PhanAnh", 9, "warning"),
                             ("PhanAnh", 10, "warning")}


def test_due_date_uses_the_default_from_cauhinh():
    wb = read(cases=[case("P1", D("2026-11-16")), case("P2", D("2026-11-16"), category="Lạ")],
              settings={"Thời hạn mặc định": 3})
    due = due_dates(wb.cases, workbook_calendar(wb, D("2026-12-31")))
    assert [d.date() for d in due] == [D("2026-11-19")] * 2


# ======================================================================================
# Cases: one hand-worked workbook, as of 27 Nov 2026
# ======================================================================================
SCENARIO = [
    case("C01", D("2026-11-02"), department="VP", due=D("2026-11-20"),
         responded=D("2026-11-23")),                                  # late, 1
    case("C02", D("2026-11-02"), department="VP", due=D("2026-11-25"),
         responded=D("2026-11-25")),                                  # on time (R = due)
    case("C03", D("2026-11-02"), department="VP", due=D("2026-11-20")),   # overdue, 4
    case("C04", D("2026-11-23"), department="VHXH", due=D("2026-11-30")),  # due soon (1)
    case("C05", D("2026-11-23"), department="VHXH", due=D("2026-12-02")),  # on track (3)
    case("C06", D("2026-11-23"), department="VHXH", due=D("2026-11-27")),  # due soon (0)
    case("C07", D("2026-11-10"), department="KTHTDT", due=D("2026-11-26"),
         responded=D("2026-11-30")),                                  # answered after A: overdue
    case("C08", D("2026-11-28"), department="KTHTDT", responded=D("2026-11-28")),  # after A
    case("C09", D("2026-11-24"), department="VP", due=D("2026-11-20"),
         status="Trả lại đơn vị khác"),                               # returned, received
    case("C10", D("2026-11-03"), department="VP", status="Hủy"),      # returned before P
    case("C11", D("2026-11-02"), department="VP", responded=D("2026-11-10")),  # before P
    case("C12", D("2026-11-22"), due=D("2026-11-26"), responded=D("2026-11-26"),
         rating="Hài lòng"),                                          # _unassigned, on time
    case("C13", D("2026-11-21"), department="Phòng XYZ", due=D("2026-11-24"),
         responded=D("2026-11-27"), rating="Chưa hài lòng"),          # _unassigned, late 3
    case("C14", D("2026-11-16"), department="VHXH", responded=D("2026-11-26")),  # due 1 Dec
    case("C15", D("2026-10-20"), department="VHXH"),                  # due 3 Nov: overdue 17
    case("C16", D("2026-11-25"), department="VP", status="Đã xử lý"),  # no date: open (9 Dec)
    case("B17", D("2026-11-02"), department="KTHTDT", due=D("2026-11-20")),  # overdue, 4
    case("A01", D("2026-11-02"), department="VHXH", due=D("2026-11-20"),
         responded=D("2026-11-23")),                                  # late, 1
    case("C18", D("2026-11-02"), department="VP", due=D("2026-11-10"),
         responded=D("2026-11-25"), status="Từ chối"),                # returned before P
    case("C20", D("2026-11-02"), department="VP", due=D("2026-11-30"),
         responded=D("2026-11-21")),                                  # on time, R = P
    case("C21", "27/11/2026 16:30", department="VHXH"),               # received on A
]

# received returned resolved on-time late open overdue due-soon rated satisfied | rates
EXPECTED_BY_DEPARTMENT = {
    "VP": (2, 1, 3, 2, 1, 2, 1, 0, 0, 0, 2 / 3, 2 / 4),
    "VHXH": (4, 0, 2, 1, 1, 5, 1, 2, 0, 0, 1 / 2, 1 / 3),
    "KTHTDT": (0, 0, 0, 0, 0, 2, 2, 0, 0, 0, None, 0.0),
    "CA": (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, None, None),
    "_unassigned": (2, 0, 2, 1, 1, 0, 0, 0, 2, 1, 1 / 2, 1 / 2),
}
EXPECTED_TOTALS = (8, 1, 7, 4, 3, 9, 4, 2, 2, 1, 4 / 7, 4 / 11)


def figures(values: tuple) -> dict:
    """A row of the tables above as a dict of the contract's keys."""
    return dict(zip(COUNT_KEYS + RATE_KEYS, values, strict=True))


@pytest.fixture(scope="module")
def scenario():
    wb = read(cases=SCENARIO)
    return wb, compute_metrics(wb, A, P)


def assert_figures(actual: dict, expected: dict) -> None:
    assert counts(actual) == counts(expected)
    for k in RATE_KEYS:
        if expected[k] is None:
            assert actual[k] is None, k
        else:
            assert actual[k] == pytest.approx(expected[k], abs=1e-12), k


def test_scenario_totals(scenario):
    assert_figures(scenario[1]["cases"]["totals"], figures(EXPECTED_TOTALS))


@pytest.mark.parametrize("code", list(EXPECTED_BY_DEPARTMENT))
def test_scenario_by_department(scenario, code):
    assert_figures(scenario[1]["cases"]["by_department"][code],
                   figures(EXPECTED_BY_DEPARTMENT[code]))


def test_every_department_appears_plus_unassigned(scenario):
    assert list(scenario[1]["cases"]["by_department"]) == [*CODES, "_unassigned"]
    assert list(scenario[1]["tasks"]["by_department"]) == [*CODES, "_unassigned"]


def test_overdue_cases_sorted_by_working_days_late_then_case_id(scenario):
    got = project(scenario[1]["cases"]["overdue_cases"],
                  ("case_id", "department", "due", "working_days_late"))
    assert got == [("C15", "VHXH", "2026-11-03", 17), ("B17", "KTHTDT", "2026-11-20", 4),
                   ("C03", "VP", "2026-11-20", 4), ("C07", "KTHTDT", "2026-11-26", 1)]


def test_late_cases_sorted_by_working_days_late_then_case_id(scenario):
    got = project(scenario[1]["cases"]["late_cases"],
                  ("case_id", "department", "due", "responded", "working_days_late"))
    assert got == [("C13", "_unassigned", "2026-11-24", "2026-11-27", 3),
                   ("A01", "VHXH", "2026-11-20", "2026-11-23", 1),
                   ("C01", "VP", "2026-11-20", "2026-11-23", 1)]


def test_scenario_issues_and_rows(scenario):
    _wb, m = scenario
    rows = {c["id"]: i + 2 for i, c in enumerate(SCENARIO)}
    assert issue_set(m) == {("PhanAnh", rows["C13"], "warning"),
                            ("PhanAnh", rows["C16"], "warning")}
    assert m["rows"]["PhanAnh"] == {"total": len(SCENARIO), "valid": len(SCENARIO),
                                    "rejected": 0}


def test_scenario_header_of_metrics(scenario):
    m = scenario[1]
    assert (m["schema"], m["as_of"], m["period_start"]) == (
        "wardbrief.metrics/1", "2026-11-27", "2026-11-21")
    assert m["source"]["kind"] == "xlsx"


def test_period_start_defaults_to_as_of_minus_six_days(scenario):
    wb, m = scenario
    default = compute_metrics(wb, A)
    assert default["period_start"] == "2026-11-21"
    assert default["cases"] == m["cases"]


def test_a_longer_period(scenario):
    m = compute_metrics(scenario[0], A, D("2026-11-01"))
    totals = m["cases"]["totals"]
    # received 1-27 Nov: all but C15 (20 Oct) and C08 (28 Nov); returned C09, C10, C18;
    # resolved adds C11 (answered 10 Nov, due 16 Nov: on time)
    assert counts(totals) == counts(figures((19, 3, 8, 5, 3, 9, 4, 2, 2, 1, None, None)))
    assert totals["on_time_rate"] == pytest.approx(5 / 8)
    assert totals["compliance_rate"] == pytest.approx(5 / 12)


def test_an_earlier_as_of_date_reproduces_the_past(scenario):
    # as of Fri 20 Nov (period 14-20 Nov): every answer but C11's (10 Nov) lies after A
    m = compute_metrics(scenario[0], D("2026-11-20"), D("2026-11-14"))
    totals = m["cases"]["totals"]
    assert totals["received"] == 1                 # C14 (16 Nov)
    assert totals["resolved"] == 0
    # open: C01 C02 C03 C07 C14 C15 B17 A01 C20 (C04-C06, C09, C12, C13, C16, C21 later)
    assert totals["open"] == 9
    assert totals["open_overdue"] == 1             # C15, due 3 Nov
    # due soon, wd(20 Nov, due] <= 2: C01 C03 B17 A01 (due 20 Nov: 0), C02 (25 Nov: 2)
    assert totals["open_due_soon"] == 5
    assert project(m["cases"]["overdue_cases"], ("case_id", "working_days_late")) == [
        ("C15", 13)]
    assert totals["on_time_rate"] is None
    assert totals["compliance_rate"] == 0.0


# -- smaller rules, one workbook each ---------------------------------------------------
def test_late_by_zero_working_days_is_still_late():
    # due Saturday 21 Nov, answered Sunday 22 Nov: R > due, wd(due, R] = 0
    m = metrics(A, P, cases=[case("L1", D("2026-11-16"), department="VP", due=D("2026-11-21"),
                                  responded=D("2026-11-22"))])
    vp = m["cases"]["by_department"]["VP"]
    assert (vp["resolved_on_time"], vp["resolved_late"]) == (0, 1)
    assert project(m["cases"]["late_cases"], ("case_id", "working_days_late")) == [("L1", 0)]


def test_overdue_from_a_due_date_on_a_weekend():
    # due Saturday 21 Nov, open on 27 Nov: overdue by wd(21 Nov, 27 Nov] = 4
    m = metrics(A, P, cases=[case("O1", D("2026-11-16"), department="VP", due=D("2026-11-21")),
                             case("O2", D("2026-11-16"), department="VP", due=D("2026-11-29"))])
    assert project(m["cases"]["overdue_cases"], ("case_id", "working_days_late")) == [("O1", 4)]
    # due Sunday 29 Nov: wd(27 Nov, 29 Nov] = 0, due soon
    assert m["cases"]["totals"]["open_due_soon"] == 1


@pytest.mark.parametrize("threshold, due_soon", [(0, 1), (1, 2), (2, 2), (3, 3)])
def test_due_soon_threshold_from_cauhinh(threshold, due_soon):
    cases = [case("C04", D("2026-11-23"), due=D("2026-11-30")),   # wd(A, due] = 1
             case("C05", D("2026-11-23"), due=D("2026-12-02")),   # 3
             case("C06", D("2026-11-23"), due=D("2026-11-27"))]   # 0
    m = metrics(A, P, cases=cases, settings={"Sắp đến hạn": threshold})
    totals = m["cases"]["totals"]
    assert (totals["open"], totals["open_overdue"], totals["open_due_soon"]) == (3, 0, due_soon)


def test_due_soon_counts_a_holiday_as_not_a_working_day():
    # as of Mon 23 Nov, due Wed 25 Nov: wd = 1 (24 Nov is a holiday) -> due soon at 1
    m = metrics(D("2026-11-23"), None, cases=[case("H1", D("2026-11-16"), due=D("2026-11-26"))],
                settings={"Sắp đến hạn": 1})
    assert m["cases"]["totals"]["open_due_soon"] == 0      # wd(23, 26] = 2
    m = metrics(D("2026-11-23"), None, cases=[case("H1", D("2026-11-16"), due=D("2026-11-25"))],
                settings={"Sắp đến hạn": 1})
    assert m["cases"]["totals"]["open_due_soon"] == 1      # wd(23, 25] = 1


def test_returned_cases_are_left_out_of_every_time_limit_figure():
    cases = [case("R1", D("2026-11-23"), department="VP", status="Trả lại",
                  due=D("2026-11-10"), responded=D("2026-11-25")),
             case("R2", D("2026-11-23"), department="VP", status="Không thuộc thẩm quyền",
                  due=D("2026-11-24")),
             case("R3", D("2026-11-23"), department="VP", status="huỷ", due=D("2026-11-27"))]
    m = metrics(A, P, cases=cases)
    vp = m["cases"]["by_department"]["VP"]
    assert_figures(vp, figures((3, 3, 0, 0, 0, 0, 0, 0, 0, 0, None, None)))
    assert m["cases"]["overdue_cases"] == [] and m["cases"]["late_cases"] == []


def test_rated_and_satisfied_count_resolved_in_period_cases_only():
    cases = [
        case("S1", D("2026-11-16"), department="VP", responded=D("2026-11-23"),
             rating="Hài lòng"),
        case("S2", D("2026-11-16"), department="VP", responded=D("2026-11-23"),
             rating="hai long"),
        case("S3", D("2026-11-16"), department="VP", responded=D("2026-11-23"),
             rating="Chưa hài lòng"),
        case("S4", D("2026-11-16"), department="VP", responded=D("2026-11-23")),
        case("S5", D("2026-11-16"), department="VP", rating="Hài lòng"),   # open
        case("S6", D("2026-11-02"), department="VP", responded=D("2026-11-10"),
             rating="Hài lòng"),                                         # before P
        case("S7", D("2026-11-16"), department="VP", responded=D("2026-11-30"),
             rating="Hài lòng"),                                         # after A
    ]
    vp = metrics(A, P, cases=cases)["cases"]["by_department"]["VP"]
    assert (vp["resolved"], vp["rated"], vp["satisfied"]) == (4, 3, 2)


def test_received_after_as_of_is_not_in_the_report():
    cases = [case("F1", D("2026-11-28"), department="VP"),
             case("F2", "28/11/2026", department="VP", responded=D("2026-11-28")),
             case("F3", "27/11/2026 23:59", department="VP")]
    vp = metrics(A, P, cases=cases)["cases"]["by_department"]["VP"]
    assert_figures(vp, figures((1, 0, 0, 0, 0, 1, 0, 0, 0, 0, None, None)))


# ======================================================================================
# Tasks
# ======================================================================================
TASKS = [
    task("T1", lead="VP", assigned=D("2026-11-01"), due=D("2026-11-20"),
         completed=D("2026-11-19")),                                  # done on time
    task("T2", lead="VP", assigned=D("2026-11-01"), due=D("2026-11-20"),
         completed=D("2026-11-23")),                                  # done late
    task("T3", lead="VP", assigned=D("2026-11-01"), due=D("2026-11-20"),
         status="Vướng mắc mặt bằng"),                                # overdue, blocked
    task("T4", lead="VHXH", assigned=D("2026-11-01"), due=D("2026-11-30")),  # due soon
    task("T5", lead="VHXH", assigned=D("2026-11-01")),                # standing task
    task("T6", lead="VHXH", assigned=D("2026-11-01"), due=D("2026-11-20"),
         completed=D("2026-11-30")),                                  # completed after A
    task("T7", lead="KTHTDT", assigned=D("2026-11-28"), due=D("2026-12-01")),  # after A
    task("T8", lead="KTHTDT", assigned=D("2026-11-01"), due=D("2026-12-15"),
         status="Đang vướng mắc"),                                    # in progress, blocked
    task("T9", lead="Kinh tế", assigned=D("2026-11-01"), completed=D("2026-11-10"),
         status="Tạm dừng"),                                          # done: not blocked
    task("T10", due=D("2026-11-27")),                                 # _unassigned, due soon
    task("T11", lead="Công an", assigned=D("2026-11-01"), due=D("2026-11-26"),
         completed=D("2026-11-26")),                                  # done on time (=)
    task("T12", lead="VHXH", assigned=D("2026-11-01"), due=D("2026-12-02")),  # wd = 3
]
# total done-on-time done-late in-progress overdue due-soon blocked
EXPECTED_TASKS = {
    "VP": (3, 1, 1, 0, 1, 0, 1),
    "VHXH": (4, 0, 0, 3, 1, 1, 0),
    "KTHTDT": (2, 1, 0, 1, 0, 0, 1),
    "CA": (1, 1, 0, 0, 0, 0, 0),
    "_unassigned": (1, 0, 0, 1, 0, 1, 0),
}


@pytest.fixture(scope="module")
def task_metrics():
    return metrics(A, P, tasks=TASKS)


def test_task_totals(task_metrics):
    got = counts(task_metrics["tasks"]["totals"], TASK_KEYS)
    assert got == dict(zip(TASK_KEYS, (11, 3, 1, 5, 2, 2, 2), strict=True))
    assert task_metrics["rows"]["NhiemVu"] == {"total": 12, "valid": 12, "rejected": 0}


@pytest.mark.parametrize("code", list(EXPECTED_TASKS))
def test_tasks_by_department(task_metrics, code):
    got = counts(task_metrics["tasks"]["by_department"][code], TASK_KEYS)
    assert got == dict(zip(TASK_KEYS, EXPECTED_TASKS[code], strict=True))


# ======================================================================================
# Posts
# ======================================================================================
def test_posts_in_the_period_by_channel():
    posts = [
        post(D("2026-11-21"), "Hệ  thống loa truyền thanh"),   # P: in
        post(D("2026-11-27"), "Zalo OA"),                      # A: in
        post("27/11/2026 21:00", "Cổng TTĐT"),                 # in
        post(D("2026-11-20"), "Facebook"),                     # before P
        post(D("2026-11-28"), "Facebook"),                     # after A
        post(D("2026-11-24"), "Trang Facebook phường"),
        post(D("2026-11-24"), "Bảng tin tổ dân phố"),
        post(D("2026-11-25"), "Đài truyền thanh"),
        post(D("2026-11-25"), "Website phường"),
    ]
    m = metrics(A, P, posts=posts)
    assert m["communications"]["total"] == 7
    assert m["communications"]["by_channel"] == {"radio": 2, "portal": 2, "social": 2,
                                                 "other": 1}


# ======================================================================================
# Random workbooks: a reference implementation from the contract, and invariants
# ======================================================================================
def ref_key(value) -> str:
    text = unicodedata.normalize("NFD", str(value))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("Đ", "D").replace("đ", "d").lower()
    return re.sub(r"[^0-9a-z]+", " ", text).strip()


class RefCalendar:
    """Working days straight from the contract's definition, day by day."""

    def __init__(self, start: dt.date, end: dt.date, off=(), make_up=()):
        vn = holidays.country_holidays("VN", years=range(start.year, end.year + 1))
        self.days, self.cum = [], []
        n, day = 0, start
        while day <= end:
            working = day in make_up or (day not in off and vn.is_working_day(day))
            n += working
            self.days.append(day)
            self.cum.append(n)
            day += dt.timedelta(days=1)
        self.start = start

    def count(self, day: dt.date) -> int:
        return self.cum[(day - self.start).days]

    def wd(self, x: dt.date, y: dt.date) -> int:
        return self.count(y) - self.count(x)

    def nth_after(self, s: dt.date, n: int) -> dt.date:
        return self.days[bisect_left(self.cum, self.count(s) + n)]


DEPT_WRITINGS = [("VP", "VP"), ("Văn phòng", "VP"), ("vp ubnd", "VP"), ("VHXH", "VHXH"),
                 ("Phòng Văn hoá - Xã hội", "VHXH"), ("phong van hoa xa hoi", "VHXH"),
                 (" VH-XH", "VHXH"), ("KTHTDT", "KTHTDT"), ("Kinh tế", "KTHTDT"),
                 ("CA", "CA"), ("Công an", "CA"), (None, "_unassigned"), ("", "_unassigned"),
                 ("Phòng lạ", "_unassigned")]
CATEGORY_WRITINGS = [(None, None), ("Môi trường", 3), ("moi truong", 3), ("Đất đai", 5),
                     ("Trật tự đô thị", 7), ("Thủy lợi", None)]
STATUS_WRITINGS = [None, "Đang xử lý", "Đã xử lý", "Trả lại", "Hủy", "Từ chối", "Chờ ý kiến",
                   "Đã trả lời", "đã giải quyết", "Trùng lặp"]
RATING_WRITINGS = [None, None, "Hài lòng", "Chưa hài lòng"]
CHANNEL_WRITINGS = [("Loa truyền thanh", "radio"), ("Cổng TTĐT", "portal"), ("Zalo OA", "social"),
                    ("Facebook", "social"), ("Bảng tin", "other"), ("Website", "portal")]
TASK_STATUS = [None, "Đang thực hiện", "Vướng mắc", "Tạm dừng", "Hoàn thành"]
OFF, MAKE_UP = D("2026-10-15"), D("2026-10-17")
EPOCH = dt.date(1899, 12, 30)
RETURNED_KEYS = ("tra lai", "tu choi", "khong thuoc tham quyen", "trung lap", "da huy", "huy bo")


def cell(day: dt.date | None, rng: np.random.Generator):
    """A date written in one of the accepted ways."""
    if day is None:
        return None
    form = rng.integers(0, 8)
    if form == 0:
        return day.strftime("%d/%m/%Y")
    if form == 1:
        return f"{day.day}/{day.month}/{day.year % 100:02d}"
    if form == 2:
        return day.isoformat() + " 08:15"
    if form == 3:
        return (day - EPOCH).days + float(rng.random() * 0.99)
    if form == 4:
        return dt.datetime(day.year, day.month, day.day, int(rng.integers(0, 24)), 30)
    if form == 5:
        return day.strftime("%d.%m.%Y %H:%M:%S")
    return day


def random_workbook(seed: int, n_cases: int = 2500, n_tasks: int = 300, n_posts: int = 300):
    rng = np.random.default_rng(seed)
    start = D("2026-08-01")

    def day(offset_max: int, base: dt.date = start) -> dt.date:
        return base + dt.timedelta(days=int(rng.integers(0, offset_max)))

    default_limit = int(rng.choice([8, 10, 12]))
    due_soon = int(rng.choice([0, 2, 3]))
    cases, truth, seen = [], [], set()
    for i in range(n_cases):
        received = day(126)
        case_id = f"PA{i:05d}"
        roll = rng.random()
        rejected = False
        received_cell = cell(received, rng)
        if roll < 0.01:
            case_id = None
        elif roll < 0.02 and i > 0:
            case_id = f"PA{int(rng.integers(0, i)):05d}"
        elif roll < 0.03:
            received_cell = "31/02/2026"
        if case_id is None or case_id in seen or received_cell == "31/02/2026":
            rejected = True
        if case_id is not None:
            seen.add(case_id)
        assigned = day(4, received) if rng.random() < 0.3 else None
        due = day(30, received + dt.timedelta(days=5)) if rng.random() < 0.2 else None
        extended = (day(20, (due or received) + dt.timedelta(days=5))
                    if rng.random() < 0.1 else None)
        responded = (day(45, received - dt.timedelta(days=2)) if rng.random() < 0.7 else None)
        dept_text, dept = DEPT_WRITINGS[rng.integers(0, len(DEPT_WRITINGS))]
        cat_text, limit = CATEGORY_WRITINGS[rng.integers(0, len(CATEGORY_WRITINGS))]
        status = STATUS_WRITINGS[rng.integers(0, len(STATUS_WRITINGS))]
        rating = RATING_WRITINGS[rng.integers(0, len(RATING_WRITINGS))]
        cases.append(case(case_id, received_cell, department=dept_text, category=cat_text,
                          assigned=cell(assigned, rng), due=cell(due, rng),
                          extended=cell(extended, rng), responded=cell(responded, rng),
                          status=status, rating=rating))
        if rng.random() < 0.02:
            cases.append(None)  # a blank row
        if not rejected:
            skey = ref_key(status) if status else ""
            truth.append({
                "id": case_id, "received": received, "start": assigned or received,
                "limit": limit or default_limit, "due": extended or due, "responded": responded,
                "department": dept, "rating": rating,
                "returned": skey == "huy" or any(k in skey for k in RETURNED_KEYS)})
    tasks, task_truth = [], []
    for i in range(n_tasks):
        assigned = day(126) if rng.random() < 0.9 else None
        base = assigned or start
        due = day(60, base) if rng.random() < 0.8 else None
        completed = day(70, base) if rng.random() < 0.5 else None
        dept_text, dept = DEPT_WRITINGS[rng.integers(0, len(DEPT_WRITINGS))]
        status = TASK_STATUS[rng.integers(0, len(TASK_STATUS))]
        tasks.append(task(f"NV{i:04d}", lead=dept_text, assigned=cell(assigned, rng),
                          due=cell(due, rng), completed=cell(completed, rng), status=status))
        task_truth.append({"assigned": assigned, "due": due, "completed": completed, "lead": dept,
                               "blocked": status in ("Vướng mắc", "Tạm dừng")})
    posts, post_truth = [], []
    for _ in range(n_posts):
        date = day(126)
        text, channel = CHANNEL_WRITINGS[rng.integers(0, len(CHANNEL_WRITINGS))]
        posts.append(post(cell(date, rng), text))
        post_truth.append((date, channel))
    raw = RawWorkbook(kind="xlsx", location="random", tabs={
        **_tabs(cases, tasks, posts),
        "CauHinh": [["Tham số", "Giá trị"], ["Thời hạn mặc định", default_limit],
                    ["Sắp đến hạn", due_soon]],
        "NgayNghi": [["Ngày", "Loại"], [OFF, "Nghỉ"], [MAKE_UP, "Làm bù"]],
    })
    return raw, truth, task_truth, post_truth, due_soon


def _tabs(cases, tasks, posts) -> dict:
    return book(cases=cases, tasks=tasks, posts=posts).tabs


def reference(truth, task_truth, post_truth, due_soon, cal: RefCalendar, a: dt.date,
              p: dt.date) -> dict:
    codes = [*CODES, "_unassigned"]
    by = {c: dict.fromkeys(COUNT_KEYS, 0) for c in codes}
    overdue, late = [], []
    for c in truth:
        if c["received"] > a:
            continue
        f = by[c["department"]]
        in_period = p <= c["received"] <= a
        f["received"] += in_period
        if c["returned"]:
            f["returned"] += in_period
            continue
        due = c["due"] or cal.nth_after(c["start"], c["limit"])
        r = c["responded"] if c["responded"] and c["responded"] <= a else None
        if r is not None:
            if p <= r <= a:
                f["resolved"] += 1
                if r <= due:
                    f["resolved_on_time"] += 1
                else:
                    f["resolved_late"] += 1
                    late.append((c["id"], c["department"], due.isoformat(), r.isoformat(),
                                 cal.wd(due, r)))
                if c["rating"]:
                    f["rated"] += 1
                    f["satisfied"] += c["rating"] == "Hài lòng"
        else:
            f["open"] += 1
            if a > due:
                f["open_overdue"] += 1
                overdue.append((c["id"], c["department"], due.isoformat(), cal.wd(due, a)))
            elif cal.wd(a, due) <= due_soon:
                f["open_due_soon"] += 1
    for f in by.values():
        f["on_time_rate"] = f["resolved_on_time"] / f["resolved"] if f["resolved"] else None
        denominator = f["resolved"] + f["open_overdue"]
        f["compliance_rate"] = f["resolved_on_time"] / denominator if denominator else None
    overdue.sort(key=lambda x: (-x[3], x[0]))
    late.sort(key=lambda x: (-x[4], x[0]))

    tasks = {c: dict.fromkeys(TASK_KEYS, 0) for c in codes}
    for t in task_truth:
        if t["assigned"] and t["assigned"] > a:
            continue
        f = tasks[t["lead"]]
        f["total"] += 1
        done = t["completed"] is not None and t["completed"] <= a
        if done:
            f["done_late" if t["due"] and t["completed"] > t["due"] else "done_on_time"] += 1
            continue
        is_overdue = t["due"] is not None and a > t["due"]
        f["overdue" if is_overdue else "in_progress"] += 1
        f["due_soon"] += bool(t["due"] and not is_overdue and cal.wd(a, t["due"]) <= due_soon)
        f["blocked"] += t["blocked"]
    channels = dict.fromkeys(CHANNELS, 0)
    for date, channel in post_truth:
        channels[channel] += p <= date <= a
    return {"by": by, "overdue": overdue, "late": late, "tasks": tasks, "channels": channels}


AS_OF_DATES = [(D("2026-11-27"), D("2026-11-21")), (D("2026-11-27"), D("2026-11-01")),
               (D("2026-10-16"), D("2026-10-10")), (D("2026-12-04"), D("2026-09-01")),
               (D("2027-02-15"), D("2027-02-01"))]  # long after the data, across Tết 2027


@pytest.fixture(scope="module")
def ref_calendar():
    return RefCalendar(D("2026-01-01"), D("2027-12-31"), off={OFF}, make_up={MAKE_UP})


@pytest.fixture(scope="module", params=[1, 2, 3], ids=lambda s: f"seed{s}")
def random_case(request, ref_calendar):
    raw, truth, task_truth, post_truth, due_soon = random_workbook(request.param)
    wb = read_workbook(raw)
    cal = ref_calendar
    runs = []
    for a, p in AS_OF_DATES:
        runs.append((compute_metrics(wb, a, p),
                     reference(truth, task_truth, post_truth, due_soon, cal, a, p)))
    return wb, truth, runs


def test_random_rows(random_case):
    wb, truth, _ = random_case
    rows = wb.rows["PhanAnh"]
    assert rows["valid"] == len(truth)
    assert rows["total"] == rows["valid"] + rows["rejected"]
    errors = [i for i in wb.issues if i.sheet == "PhanAnh" and i.severity == "error"]
    assert len(errors) == rows["rejected"] == len({i.row for i in errors})


def test_random_cases_equal_the_reference(random_case):
    for m, ref in random_case[2]:
        for code, expected in ref["by"].items():
            actual = m["cases"]["by_department"][code]
            assert counts(actual) == counts(expected), (m["as_of"], m["period_start"], code)
            for k in RATE_KEYS:
                if expected[k] is None:
                    assert actual[k] is None
                else:
                    assert actual[k] == pytest.approx(expected[k], abs=1e-12)


def test_random_case_lists_equal_the_reference(random_case):
    for m, ref in random_case[2]:
        assert project(m["cases"]["overdue_cases"],
                       ("case_id", "department", "due", "working_days_late")) == ref["overdue"]
        assert project(m["cases"]["late_cases"],
                       ("case_id", "department", "due", "responded", "working_days_late")
                       ) == ref["late"]


def test_random_tasks_and_posts_equal_the_reference(random_case):
    for m, ref in random_case[2]:
        for code, expected in ref["tasks"].items():
            assert counts(m["tasks"]["by_department"][code], TASK_KEYS) == expected, code
        assert m["communications"]["by_channel"] == ref["channels"]
        assert m["communications"]["total"] == sum(ref["channels"].values())


def test_random_invariants(random_case):
    for m, _ in random_case[2]:
        cases = m["cases"]
        totals, by_department = cases["totals"], cases["by_department"]
        assert list(by_department) == [*CODES, "_unassigned"]
        for k in COUNT_KEYS:
            assert isinstance(totals[k], int)
            assert totals[k] == sum(f[k] for f in by_department.values()), k
        for f in [totals, *by_department.values()]:
            assert f["resolved_on_time"] + f["resolved_late"] == f["resolved"]
            assert f["open_overdue"] + f["open_due_soon"] <= f["open"]
            assert f["satisfied"] <= f["rated"] <= f["resolved"]
            assert f["returned"] <= f["received"]
            for k in RATE_KEYS:
                assert f[k] is None or 0.0 <= f[k] <= 1.0
            if f["resolved"]:
                assert f["on_time_rate"] == pytest.approx(f["resolved_on_time"] / f["resolved"])
            else:
                assert f["on_time_rate"] is None
            denominator = f["resolved"] + f["open_overdue"]
            if denominator:
                assert f["compliance_rate"] == pytest.approx(f["resolved_on_time"] / denominator)
            else:
                assert f["compliance_rate"] is None
        assert len(cases["overdue_cases"]) == totals["open_overdue"]
        assert len(cases["late_cases"]) == totals["resolved_late"]
        for items in (cases["overdue_cases"], cases["late_cases"]):
            order = [(-x["working_days_late"], x["case_id"]) for x in items]
            assert order == sorted(order)
            assert all(x["working_days_late"] >= 0 for x in items)
        tasks = m["tasks"]
        for k in TASK_KEYS:
            assert tasks["totals"][k] == sum(f[k] for f in tasks["by_department"].values())
        for f in [tasks["totals"], *tasks["by_department"].values()]:
            assert (f["done_on_time"] + f["done_late"] + f["in_progress"] + f["overdue"]
                    == f["total"])
            assert f["due_soon"] <= f["in_progress"]
            assert f["blocked"] <= f["in_progress"] + f["overdue"]
        comms = m["communications"]
        assert comms["total"] == sum(comms["by_channel"].values())
        assert m["rows"]["PhanAnh"]["total"] == (m["rows"]["PhanAnh"]["valid"]
                                                 + m["rows"]["PhanAnh"]["rejected"])


# --- extras for the briefings (issue 10) ---------------------------------------------------

def test_departments_shown_with_the_same_rate_share_a_rank():
    from wardbrief.figures.metrics import _ranking

    def figures(rate: float, denominator: int = 10) -> dict:
        return {"compliance_rate": rate, "resolved": denominator, "open_overdue": 0}

    by_department = {"A": figures(0.8551), "B": figures(0.8549), "C": figures(0.9), "D": figures(0.5, 2)}
    info = {code: {"name": code} for code in by_department}
    ranks = {r["department"]: r["rank"] for r in _ranking(by_department, info)}
    assert ranks == {"C": 1, "A": 2, "B": 2, "D": None}  # 85,5% and 85,5%: both 2nd


def test_blank_department_head_is_null_not_nan():
    from builders import DEPARTMENTS

    departments = [dict(d, head=None) if d["code"] == "CA" else d for d in DEPARTMENTS]
    m = metrics(D("2026-11-27"), departments=departments)
    assert m["departments"]["CA"]["head"] is None
    assert "NaN" not in json.dumps(m)


def test_intake_share_and_weekly_digital_intake():


    cases = [case(f"PA-{i}", D("2026-11-25"), channel=channel) for i, channel in enumerate(
        ["Ứng dụng Smart Hải Phòng", "Tổng đài 1022", "Tiếp dân tại trụ sở", "Zalo", None])]
    m = metrics(D("2026-11-27"), cases=cases)
    assert m["cases"]["intake"] == {"smart_app": 1, "system_1022": 1, "in_person": 1,
                                    "other": 1, "unknown": 1}
    assert m["intake_share"] == {"period": 0.4, "previous": None}
    last = m["weekly_series"][-1]
    assert (last["received"], last["received_digital"], last["digital_share"]) == (5, 2, 0.4)


def test_a_period_s_campaign_targets_are_the_months_it_covers_by_their_days():
    from wardbrief.figures.posts import period_targets

    month = period_targets({"social": 8, "radio": 0}, D("2026-10-15"), D("2026-11-14"))
    assert month["months"] == [{"month": "2026-10", "days": 17, "of": 31},
                               {"month": "2026-11", "days": 14, "of": 30}]
    assert month["targets"] == {"social": 8}  # 8 x 17/31 + 8 x 14/30 = 8,1
    quarter = period_targets({"social": 9}, D("2026-06-15"), D("2026-09-14"))
    assert [m["days"] for m in quarter["months"]] == [16, 31, 31, 14]
    assert quarter["targets"] == {"social": 27}  # 9 x (16/30 + 2 + 14/30)
    week = period_targets({"portal": 10}, D("2026-11-21"), D("2026-11-27"))
    assert week["targets"] == {"portal": 2}  # 10 x 7/30 = 2,33
