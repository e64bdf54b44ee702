"""CONTRACT section 2: every tab's rules and the table "Data issues, exactly".

Issues are compared as the contract compares them: the set of (sheet, row, severity),
`info` aside; rows are the spreadsheet's numbers (header = row 1 here).
"""

from __future__ import annotations

import collections
import unicodedata

import pandas as pd
import pytest
from builders import (
    CODES,
    D,
    book,
    case,
    issue_set,
    issues_at,
    metrics,
    post,
    read,
    table,
    task,
)
from wardbrief.figures import due_dates
from wardbrief.figures.calendar import workbook_calendar
from wardbrief.figures.metrics import compute_metrics
from wardbrief.read.contract import read_workbook

A = D("2026-11-27")
DAY = D("2026-11-16")


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def due_of(wb, case_id: str):
    due = due_dates(wb.cases, workbook_calendar(wb, D("2026-12-31")))
    return due[wb.cases["case_id"].eq(case_id).to_numpy()].iloc[0].date()


# ======================================================================================
# Required and optional tabs
# ======================================================================================
def test_missing_donvi_is_one_error_with_row_null():
    wb = read(departments=None, cases=[case("PA1", DAY)])
    assert issue_set(wb) == {("DonVi", None, "error")}
    assert wb.missing_required == ["DonVi"]
    m = compute_metrics(wb, A)
    assert list(m["cases"]["by_department"]) == ["_unassigned"]
    assert ("DonVi", None, "error") in issue_set(m)


def test_missing_phananh_is_one_error_with_row_null():
    wb = read(cases=None)
    assert issue_set(wb) == {("PhanAnh", None, "error")}
    assert wb.missing_required == ["PhanAnh"]
    assert wb.rows["PhanAnh"] == {"total": 0, "valid": 0, "rejected": 0}
    m = compute_metrics(wb, A)
    assert m["cases"]["totals"]["received"] == 0
    assert set(m["cases"]["by_department"]) == {*CODES, "_unassigned"}


def test_both_required_tabs_missing():
    wb = read(cases=None, departments=None, titles={"PhanAnh": "Phản ánh 2026"})
    assert issue_set(wb) == {("PhanAnh", None, "error"), ("DonVi", None, "error")}


def test_a_title_that_is_not_the_tabs_key_does_not_count():
    wb = read(cases=[case("PA1", DAY)], titles={"PhanAnh": "Phản ánh 2026"})
    assert issue_set(wb) == {("PhanAnh", None, "error")}


@pytest.mark.parametrize("absent", ["categories", "settings", "days_off", "tasks", "posts",
                                    "targets"])
def test_optional_tabs_may_be_absent(absent):
    wb = read(**{"cases": [case("PA1", DAY, department="VP")], absent: None})
    assert issue_set(wb) == set()
    assert wb.cases["department"].tolist() == ["VP"]


EMPTY_TABS = {"categories": "LinhVuc", "tasks": "NhiemVu", "posts": "TruyenThong",
              "targets": "ChiTieu", "cases": "PhanAnh"}


@pytest.mark.parametrize("tab", list(EMPTY_TABS))
@pytest.mark.parametrize("empty", ["header-only", "no-cells"])
def test_tabs_may_be_empty(tab, empty):
    name = EMPTY_TABS[tab]
    rows = table(name, []) if empty == "header-only" else [[], [None, "  "]]
    wb = read(**{tab: rows})
    assert issue_set(wb) == set()
    if name in wb.rows:
        assert wb.rows[name] == {"total": 0, "valid": 0, "rejected": 0}


@pytest.mark.parametrize("empty", ["header-only", "no-cells"])
def test_metrics_over_empty_tabs(empty):
    tabs = {tab: table(name, []) if empty == "header-only" else [[], [None, "  "]]
            for tab, name in EMPTY_TABS.items()}
    m = compute_metrics(read(**tabs), A)
    assert m["rows"]["PhanAnh"] == {"total": 0, "valid": 0, "rejected": 0}
    assert m["cases"]["totals"]["received"] == 0
    assert m["tasks"]["totals"]["total"] == 0
    assert m["communications"]["total"] == 0
    assert set(m["cases"]["by_department"]) == {*CODES, "_unassigned"}


def test_every_tab_absent_but_the_required_ones():
    wb = read(cases=[case("PA1", DAY)], categories=None, tasks=None, posts=None,
              targets=None)
    assert issue_set(wb) == set()
    m = compute_metrics(wb, A)
    assert m["rows"]["NhiemVu"] == {"total": 0, "valid": 0, "rejected": 0}
    assert m["rows"]["TruyenThong"] == {"total": 0, "valid": 0, "rejected": 0}
    assert m["tasks"]["totals"]["total"] == 0
    assert m["communications"]["total"] == 0


# ======================================================================================
# DonVi and department references
# ======================================================================================
DONVI_ROWS = [
    {"code": "VP", "name": "Văn phòng", "head": "Nguyễn Văn An", "aliases": "VP UBND"},  # 2
    {"code": None, "name": "Phòng Ma", "head": "X", "aliases": "Ma"},                      # 3
    {"code": "VP", "name": "Văn phòng cũ", "head": "Y", "aliases": "VP cũ"},               # 4
    {"code": "VHXH", "name": "Phòng Văn hoá - Xã hội", "head": "Trần Thị Bình",
     "aliases": "Văn hóa;  VH-XH ; Phòng VHXH"},                                           # 5
    {"code": "   ", "name": "Phòng Trắng", "head": "Z", "aliases": "Trắng"},               # 6
    {"code": "KTHTDT", "name": "Phòng Kinh tế, Hạ tầng và Đô thị", "head": "Lê Văn Cường",
     "aliases": "Kinh tế"},                                                               # 7
]


def test_donvi_blank_and_duplicate_codes_are_errors_and_the_first_stands():
    wb = read(departments=DONVI_ROWS, cases=[
        case("PA1", DAY, department="VP"),
        case("PA2", DAY, department="Văn phòng cũ"),   # the duplicate row is ignored
        case("PA3", DAY, department="Phòng Ma"),       # the blank-code row is ignored
        case("PA4", DAY, department="Văn phòng"),
    ])
    assert issue_set(wb, "DonVi") == {("DonVi", 3, "error"), ("DonVi", 4, "error"),
                                      ("DonVi", 6, "error")}
    assert list(wb.departments.index) == ["VP", "VHXH", "KTHTDT"]
    assert wb.departments.loc["VP", "head"] == "Nguyễn Văn An"
    assert list(wb.cases["department"]) == ["VP", "_unassigned", "_unassigned", "VP"]
    assert issue_set(wb, "PhanAnh") == {("PhanAnh", 3, "warning"), ("PhanAnh", 4, "warning")}
    m = compute_metrics(wb, A)
    assert list(m["cases"]["by_department"]) == ["VP", "VHXH", "KTHTDT", "_unassigned"]


REFERENCES = [
    ("VHXH", "VHXH"), ("vhxh", "VHXH"), (" VHXH ", "VHXH"),
    ("Phòng Văn hoá - Xã hội", "VHXH"), ("Phòng Văn hóa - Xã hội", "VHXH"),
    ("PHONG VAN HOA XA HOI", "VHXH"), ("phong  van-hoa xa hoi", "VHXH"),
    (nfd("Phòng Văn hoá - Xã hội"), "VHXH"), ("Văn hóa", "VHXH"), ("van hoa", "VHXH"),
    ("VH-XH", "VHXH"), ("vh xh", "VHXH"), ("Phòng VHXH", "VHXH"), ("VĂN HOÁ", "VHXH"),
    ("Kinh tế", "KTHTDT"), ("Phòng Kinh tế, Hạ tầng và Đô thị", "KTHTDT"),
    ("phong kinh te ha tang va do thi", "KTHTDT"), ("kthtdt", "KTHTDT"),
    ("VP UBND", "VP"), ("Văn phòng", "VP"),
]


@pytest.fixture(scope="module")
def references():
    refs = [r for r, _ in REFERENCES]
    return read(departments=DONVI_ROWS,
                cases=[case(f"PA{i}", DAY, department=r) for i, r in enumerate(refs)],
                tasks=[task(f"T{i}", lead=r, support=r) for i, r in enumerate(refs)],
                posts=[post(DAY, department=r) for r in refs])


@pytest.mark.parametrize("i", range(len(REFERENCES)), ids=[r for r, _ in REFERENCES])
def test_a_department_reference_resolves_by_code_name_or_alias(references, i):
    code = REFERENCES[i][1]
    wb = references
    for sheet in ("PhanAnh", "NhiemVu", "TruyenThong"):
        assert issues_at(wb, sheet, i + 2) == []
    assert wb.cases["department"].iloc[i] == code
    assert wb.tasks["lead"].iloc[i] == code
    assert wb.posts["department"].iloc[i] == code


def test_unresolvable_goes_to_unassigned_with_a_warning_and_blank_without():
    wb = read(cases=[
        case("PA1", DAY, department="Phòng Tư pháp"),  # 2: warning
        case("PA2", DAY, department=None),             # 3
        case("PA3", DAY, department="   "),            # 4
        case("PA4", DAY, department="Văn hoá"),        # 5 (alias "Văn hóa")
    ])
    assert issue_set(wb) == {("PhanAnh", 2, "warning")}
    assert wb.cases["department"].tolist() == ["_unassigned"] * 3 + ["VHXH"]
    m = compute_metrics(wb, A)
    assert m["cases"]["by_department"]["_unassigned"]["open"] == 3
    assert m["cases"]["by_department"]["VHXH"]["open"] == 1


def test_a_department_without_other_names():
    # `Tên gọi khác` is blank for a department that has no other name
    departments = [
        {"code": "VP", "name": "Văn phòng", "head": "Nguyễn Văn An", "aliases": None},
        {"code": "CA", "name": "Công an phường", "head": "Phạm Văn Dũng", "aliases": "Công an"},
    ]
    wb = read(departments=departments, cases=[case("PA1", DAY, department="van phong"),
                                              case("PA2", DAY, department="Công an")])
    assert issue_set(wb) == set()
    assert wb.cases["department"].tolist() == ["VP", "CA"]


def test_donvi_without_an_aliases_column():
    departments = [["Mã đơn vị", "Tên đơn vị", "Thủ trưởng"],
                   ["VP", "Văn phòng", "Nguyễn Văn An"], ["CA", "Công an phường", "Phạm Văn Dũng"]]
    wb = read(departments=departments, cases=[case("PA1", DAY, department="Văn phòng")])
    assert issue_set(wb) == set()
    assert wb.cases["department"].tolist() == ["VP"]
    assert list(wb.departments.index) == ["VP", "CA"]


# ======================================================================================
# LinhVuc
# ======================================================================================
LINHVUC_ROWS = [
    {"name": "Môi trường", "limit": 3},      # 2
    {"name": None, "limit": 5},              # 3: blank name -> warning, ignored
    {"name": "Cây xanh", "limit": "abc"},    # 4: warning, default applies
    {"name": "Chiếu sáng", "limit": 0},      # 5: warning
    {"name": "Thoát nước", "limit": -2},     # 6: warning
    {"name": "Giao thông", "limit": 2.5},    # 7: warning
    {"name": "Dân số", "limit": None},       # 8: warning
    {"name": "Đất đai", "limit": 5.0},       # 9
    {"name": "Xây dựng", "limit": "4"},      # 10
    {"name": "  ", "limit": 4},              # 11: blank name -> warning
]


def test_linhvuc_warnings_and_defaults():
    wb = read(categories=LINHVUC_ROWS, cases=[
        case("PA1", DAY, category="Cây xanh"),     # in LinhVuc, its limit is bad: default 10
        case("PA2", DAY, category="Xây dựng"),     # 4
        case("PA3", DAY, category="dat dai"),      # 5
        case("PA4", DAY, category="MÔI TRƯỜNG"),   # 3
        case("PA5", DAY, category="Dân số"),       # default 10
        case("PA6", DAY, category="Thủy lợi"),     # not in LinhVuc: warning, default
    ])
    assert issue_set(wb) == {("LinhVuc", r, "warning") for r in (3, 4, 5, 6, 7, 8, 11)} | {
        ("PhanAnh", 7, "warning")}
    # received Mon 16 Nov 2026; 24 Nov is a holiday
    assert due_of(wb, "PA1") == D("2026-12-01")
    assert due_of(wb, "PA2") == D("2026-11-20")
    assert due_of(wb, "PA3") == D("2026-11-23")
    assert due_of(wb, "PA4") == D("2026-11-19")
    assert due_of(wb, "PA5") == D("2026-12-01")
    assert due_of(wb, "PA6") == D("2026-12-01")


def test_category_names_match_by_key():
    cats = [{"name": "Thuỷ lợi", "limit": 2}, {"name": "Trật tự đô thị", "limit": 7}]
    wb = read(categories=cats, cases=[case("PA1", DAY, category="Thủy lợi"),
                                      case("PA2", DAY, category=nfd("trật tự - đô thị"))])
    assert issue_set(wb) == set()
    assert due_of(wb, "PA1") == D("2026-11-18")
    assert due_of(wb, "PA2") == D("2026-11-26")


def test_without_linhvuc_every_category_is_unknown():
    wb = read(categories=None, cases=[case("PA1", DAY, category="Môi trường"),
                                      case("PA2", DAY)])
    assert issue_set(wb) == {("PhanAnh", 2, "warning")}
    assert due_of(wb, "PA1") == D("2026-12-01")


# ======================================================================================
# CauHinh
# ======================================================================================
def test_cauhinh_values_apply():
    wb = read(settings={"Tên phường": "Phường Hải An", "Thời hạn mặc định": 7,
                        "Sắp đến hạn": 0, "Chỉ tiêu đúng hạn": 90})
    assert issue_set(wb) == set()
    s = wb.settings
    assert (s.ward_name, s.default_limit, s.due_soon_days, s.on_time_target) == (
        "Phường Hải An", 7, 0, 90)


def test_cauhinh_defaults():
    s = read().settings
    assert (s.ward_name, s.default_limit, s.due_soon_days, s.on_time_target) == (
        "Phường Đông Hải", 10, 2, 95)


def test_cauhinh_parameters_match_by_key():
    wb = read(settings={"thoi han mac dinh": "7", "SẮP ĐẾN HẠN": "3"})
    assert issue_set(wb) == set()
    assert (wb.settings.default_limit, wb.settings.due_soon_days) == (7, 3)


@pytest.mark.parametrize("value", ["abc", 0, 7.5, None, "-1"])
def test_default_limit_not_a_positive_integer_is_a_warning(value):
    wb = read(settings={"Tên phường": "Phường Hải An", "Thời hạn mặc định": value},
              cases=[case("PA1", DAY)])
    assert issue_set(wb) == {("CauHinh", 3, "warning")}
    assert wb.settings.default_limit == 10
    assert due_of(wb, "PA1") == D("2026-12-01")


@pytest.mark.parametrize("value", [7, 7.0, "7"])
def test_default_limit_positive_integer(value):
    wb = read(settings={"Thời hạn mặc định": value}, cases=[case("PA1", DAY)])
    assert issue_set(wb) == set()
    assert wb.settings.default_limit == 7
    assert due_of(wb, "PA1") == D("2026-11-26")  # 17,18,19,20,23,25,26


@pytest.mark.parametrize("value", [-1, 1.5, "abc", None])
def test_due_soon_not_a_whole_number_at_least_zero_is_a_warning(value):
    wb = read(settings={"Sắp đến hạn": value})
    assert issue_set(wb) == {("CauHinh", 2, "warning")}
    assert wb.settings.due_soon_days == 2


@pytest.mark.parametrize("value, expected", [(0, 0), ("3", 3), (3.0, 3)])
def test_due_soon_whole_number(value, expected):
    wb = read(settings={"Sắp đến hạn": value})
    assert issue_set(wb) == set()
    assert wb.settings.due_soon_days == expected


# ======================================================================================
# NgayNghi
# ======================================================================================
def test_ngaynghi_warnings_and_ignored_rows():
    wb = read(cases=[case("PA1", DAY)], days_off=[
        (D("2026-11-25"), "Nghỉ"),       # 2
        (None, "Nghỉ"),                  # 3: blank date
        ("32/12/2026", "Nghỉ"),          # 4: unreadable
        (D("2026-11-26"), "Nghỉ lễ"),    # 5: neither word
        (D("2026-11-27"), None),         # 6: blank Loại
        (D("2026-11-28"), "Làm bù"),     # 7
        ("  ", "Làm bù"),                # 8: blank date
        (D("2026-11-30"), "Làm"),        # 9: neither word
    ])
    assert issue_set(wb) == {("NgayNghi", r, "warning") for r in (3, 4, 5, 6, 8, 9)}
    assert wb.days_off == [D("2026-11-25")]
    assert wb.make_up_days == [D("2026-11-28")]
    cal = workbook_calendar(wb, D("2026-12-31"))
    assert cal.is_working_day(D("2026-11-26"))
    assert cal.is_working_day(D("2026-11-27"))
    assert not cal.is_working_day(D("2026-11-25"))
    assert cal.is_working_day(D("2026-11-28"))


NGAYNGHI_WORDS = [("Nghỉ", True), ("nghi", True), ("NGHỈ", True), (nfd("Nghỉ"), True),
                  ("Làm bù", False), ("lam bu", False), ("LÀM  BÙ", False)]


def test_ngaynghi_words_match_by_key():
    days = [D(f"2026-12-{i + 1:02d}") for i in range(len(NGAYNGHI_WORDS))]
    wb = read(days_off=[(day, word) for day, (word, _) in zip(days, NGAYNGHI_WORDS)])
    assert issue_set(wb) == set()
    assert wb.days_off == [day for day, (_, off) in zip(days, NGAYNGHI_WORDS) if off]
    assert wb.make_up_days == [day for day, (_, off) in zip(days, NGAYNGHI_WORDS) if not off]


# ======================================================================================
# PhanAnh
# ======================================================================================
PHANANH_ROWS = [
    case("PA1", DAY),                                                  # 2: valid
    case(None, DAY),                                                   # 3: blank id
    case("   ", DAY),                                                  # 4: blank id
    case("PA1", D("2026-11-17")),                                      # 5: duplicate
    case("PA6", None),                                                 # 6: received blank
    case("PA7", "31/02/2026"),                                         # 7: unreadable
    case("PA6", DAY),                                                  # 8: dup of rejected
    case(None, None, summary="chỉ có nội dung"),                       # 9: blank id (1 err)
    case("PA1", "abc", category="Lạ", department="Lạ"),                # 10: dup (1 error)
    case("PA11", DAY, category="Không có"),                            # 11: warning
    case("PA12", DAY, department="Phòng Tư pháp"),                     # 12: warning
    case("PA13", D("2026-11-10"), responded=D("2026-11-09")),          # 13: warning
    case("PA14", DAY, status="Đã trả lời"),                            # 14: warning
    case("PA15", DAY, status="Chờ ý kiến lãnh đạo"),                   # 15: warning
    case("PA16", DAY, assigned="hôm qua"),                             # 16: warning
    case("PA17", DAY, category="moi truong", department="vhxh",
         status="đang xử lý"),                                         # 17
    case("PA18", DAY, status="Đã trả lời", responded="99/99/2026"),    # 18: warning(s)
    case("PA19", DAY, department="  ", category="  ", status=" "),     # 19
    case("PA20", DAY, responded=DAY, status="Đã xử lý"),               # 20
    case(" PA1 ", DAY),                                                # 21: duplicate
]


@pytest.fixture(scope="module")
def phananh():
    return read(cases=PHANANH_ROWS)


def test_phananh_issues_exactly(phananh):
    errors = {("PhanAnh", r, "error") for r in (3, 4, 5, 6, 7, 8, 9, 10, 21)}
    warnings = {("PhanAnh", r, "warning") for r in (11, 12, 13, 14, 15, 16, 18)}
    assert issue_set(phananh) == errors | warnings


def test_phananh_row_totals(phananh):
    assert phananh.rows["PhanAnh"] == {"total": 20, "valid": 11, "rejected": 9}
    assert len(phananh.cases) == 11


def test_a_rejected_row_has_one_error_first_reason_wins(phananh):
    per_row = collections.Counter(i.row for i in phananh.issues
                                  if i.sheet == "PhanAnh" and i.severity == "error")
    assert per_row == {r: 1 for r in (3, 4, 5, 6, 7, 8, 9, 10, 21)}


def test_the_first_of_duplicate_ids_stands(phananh):
    first = phananh.cases.set_index("case_id").loc["PA1"]
    assert first["sheet_row"] == 2
    assert first["received"] == pd.Timestamp(DAY)
    assert "PA6" not in set(phananh.cases["case_id"])


def test_rejected_rows_are_error_issues_in_metrics(phananh):
    m = compute_metrics(phananh, A)
    assert m["rows"]["PhanAnh"] == {"total": 20, "valid": 11, "rejected": 9}
    errors = [i for i in m["data_issues"] if i["sheet"] == "PhanAnh" and i["severity"] == "error"]
    assert len(errors) == m["rows"]["PhanAnh"]["rejected"]


def test_responded_on_the_received_day_is_not_before_it():
    wb = read(cases=[case("PA1", D("2026-11-10"), responded="10/11/2026 07:00"),
                     case("PA2", "10/11/2026 16:00", responded=D("2026-11-10"))])
    assert issue_set(wb) == set()


def test_an_answered_status_without_a_date_stays_open():
    wb = read(cases=[case("PA1", DAY, department="VP", status="Đã trả lời")])
    assert issue_set(wb) == {("PhanAnh", 2, "warning")}
    m = compute_metrics(wb, A)
    vp = m["cases"]["by_department"]["VP"]
    assert (vp["open"], vp["resolved"]) == (1, 0)


def test_an_answered_status_with_a_date_after_as_of_stays_open():
    wb = read(cases=[case("PA1", DAY, department="VP", status="Đã trả lời",
                          responded=D("2026-11-30"))])
    assert issue_set(wb) == set()
    vp = compute_metrics(wb, A)["cases"]["by_department"]["VP"]
    assert (vp["open"], vp["resolved"]) == (1, 0)


# -- status words ---------------------------------------------------------------------
RETURNED = ["Trả lại", "Đã trả lại đơn vị", "Từ chối tiếp nhận", "Không thuộc thẩm quyền",
            "Trùng lặp", "Đơn trùng lặp", "Đã hủy", "Đã huỷ", "Hủy bỏ", "Huỷ bỏ", "Hủy",
            "Huỷ", "HUỶ", "huy", "  hủy. ", nfd("Đã hủy"), "TRẢ LẠI", "tra lai",
            "Trả lại - không thuộc thẩm quyền"]
NOT_WHOLE_HUY = ["Huy động nguồn lực", "Hủy hẹn", "Chưa hủy"]
ANSWERED = ["Đã trả lời", "Đã xử lý", "Hoàn thành", "Đã hoàn thành", "Đã giải quyết", "Xong",
            "Đã xong", "Đã phản hồi"]
OPEN = ["Đang xử lý", "Chờ xử lý", "Chưa xử lý", "Đã giao", "Mới", "Mới tiếp nhận",
        "Đã tiếp nhận", "Tiếp nhận", "Đang giải quyết", "Chưa trả lời", "Gia hạn", "Đã gia hạn",
        "Quá hạn", "Đang xác minh", "Đã chuyển", "Chờ phân công"]
KNOWN_SPELLINGS = ["ĐÃ XỬ LÝ", "đã  xử  lý.", "da xu ly", nfd("Đã xử lý"), "xong!"]
UNKNOWN = ["Chờ ý kiến", "Đã trả lời một phần", "OK", "Xong rồi", "Đang xử lý gấp", "1"]

# group -> (statuses, department, responded); one workbook holds every group
STATUS_GROUPS = {
    "returned": (RETURNED, "CA", None),
    "not_whole_huy": (NOT_WHOLE_HUY, "CA", None),
    "known_dated": (ANSWERED + OPEN + KNOWN_SPELLINGS, "VP", D("2026-11-20")),
    "open_undated": (OPEN + ["  ", None], "KTHTDT", None),
    "answered_undated": (ANSWERED, "VHXH", None),
    "unknown": (UNKNOWN, "CA", D("2026-11-20")),
}


def _status_params(group: str) -> list:
    statuses = STATUS_GROUPS[group][0]
    return [pytest.param(group, i, id=repr(s)) for i, s in enumerate(statuses)]


@pytest.fixture(scope="module")
def statuses():
    cases, rows = [], {}
    for group, (words, department, responded) in STATUS_GROUPS.items():
        for i, word in enumerate(words):
            rows[group, i] = len(cases) + 2
            cases.append(case(f"{group}-{i}", DAY, status=word, department=department,
                              responded=responded))
    wb = read(cases=cases)
    return wb, rows, compute_metrics(wb, A, DAY)


def _status_case(statuses, group, i):
    wb, rows, _ = statuses
    row = rows[group, i]
    flags = wb.cases.set_index("sheet_row").loc[row]
    return issues_at(wb, "PhanAnh", row), bool(flags["returned"])


@pytest.mark.parametrize("group, i", _status_params("returned"))
def test_returned_status_words(statuses, group, i):
    assert _status_case(statuses, group, i) == ([], True)


@pytest.mark.parametrize("group, i", _status_params("not_whole_huy"))
def test_huy_must_be_the_whole_key(statuses, group, i):
    issues, returned = _status_case(statuses, group, i)
    assert not returned
    assert [x.severity for x in issues] == ["warning"]  # an unknown status word


@pytest.mark.parametrize("group, i", _status_params("known_dated"))
def test_known_status_words_with_an_answer_date_are_fine(statuses, group, i):
    assert _status_case(statuses, group, i) == ([], False)


def test_whether_answered_is_decided_by_the_answer_date_alone(statuses):
    # every known word, answered or open, with Ngày trả lời 20/11: all resolved (VP);
    # answered words without a date: all open (VHXH)
    by_department = statuses[2]["cases"]["by_department"]
    assert by_department["VP"]["resolved"] == len(STATUS_GROUPS["known_dated"][0])
    assert by_department["VP"]["open"] == 0
    assert by_department["VHXH"]["resolved"] == 0
    assert by_department["VHXH"]["open"] == len(ANSWERED)
    # returned words are neither resolved nor open; the rest of CA is resolved
    assert by_department["CA"]["returned"] == len(RETURNED)
    assert by_department["CA"]["resolved"] == len(UNKNOWN)
    assert by_department["CA"]["open"] == len(NOT_WHOLE_HUY)


@pytest.mark.parametrize("group, i", _status_params("open_undated"))
def test_open_status_words_without_a_date_are_fine(statuses, group, i):
    assert _status_case(statuses, group, i) == ([], False)


@pytest.mark.parametrize("group, i", _status_params("answered_undated"))
def test_answered_status_words_without_a_date_warn(statuses, group, i):
    issues, returned = _status_case(statuses, group, i)
    assert not returned
    assert [x.severity for x in issues] == ["warning"]


@pytest.mark.parametrize("group, i", _status_params("unknown"))
def test_unknown_status_words_warn(statuses, group, i):
    issues, returned = _status_case(statuses, group, i)
    assert not returned
    assert [x.severity for x in issues] == ["warning"]


def test_the_status_workbook_rejects_nothing(statuses):
    wb = statuses[0]
    total = sum(len(words) for words, _, _ in STATUS_GROUPS.values())
    assert wb.rows["PhanAnh"] == {"total": total, "valid": total, "rejected": 0}


# ======================================================================================
# NhiemVu
# ======================================================================================
NHIEMVU_ROWS = [
    task("T1", "Nội dung 1"),                                        # 2
    task(None, "x"),                                                 # 3: blank id
    task("T1", "y"),                                                 # 4: duplicate
    task("T5", None),                                                # 5: blank content
    task("T6", "  "),                                                # 6: blank content
    task("T1", None),                                                # 7: dup (one error)
    task("T8", "x", assigned="31/02/2026"),                          # 8: warning
    task("T9", "x", due="abc"),                                      # 9: warning
    task("T10", "x", completed="15/13/2026"),                        # 10: warning
    task("T11", "x", progress="nhiều"),                              # 11: warning
    task("T12", "x", lead="Phòng Tư pháp"),                          # 12: warning
    task("T13", "x", support="VP; Phòng ABC"),                       # 13: warning
    task("T14", "x", lead="Văn hóa", support="vp;  Kinh tế ; VH-XH",
         progress="60%"),                                            # 14
    task("T15", "x", lead="  ", support=" "),                        # 15
    task("T5", "Nội dung"),                                          # 16: dup of rejected
]


def test_nhiemvu_issues_exactly():
    wb = read(tasks=NHIEMVU_ROWS)
    assert issue_set(wb) == (
        {("NhiemVu", r, "error") for r in (3, 4, 5, 6, 7, 16)}
        | {("NhiemVu", r, "warning") for r in (8, 9, 10, 11, 12, 13)})
    assert wb.rows["NhiemVu"] == {"total": 15, "valid": 9, "rejected": 6}
    per_row = collections.Counter(i.row for i in wb.issues
                                  if i.sheet == "NhiemVu" and i.severity == "error")
    assert set(per_row.values()) == {1}
    tasks = wb.tasks.set_index("task_id")
    assert tasks.loc["T1", "content"] == "Nội dung 1"
    assert tasks.loc["T14", "lead"] == "VHXH"
    assert tasks.loc["T12", "lead"] == "_unassigned"
    assert tasks.loc["T15", "lead"] == "_unassigned"
    # unreadable dates are then blank: T9 is a standing task, T10 not completed
    assert tasks[["assigned", "due", "completed"]].loc[["T8", "T9", "T10"]].isna().sum().sum() == 9


PROGRESS = [(60, 60), (60.0, 60), ("60", 60), ("60%", 60), (0.6, 60), ("0.6", 60),
            ("100%", 100), (100, 100), (0, 0), ("0%", 0), (0.25, 25), ("25%", 25), ("5", 5)]
PROGRESS_UNREADABLE = ["nhiều", "abc%", "một nửa"]


@pytest.fixture(scope="module")
def progress():
    cells = [c for c, _ in PROGRESS] + PROGRESS_UNREADABLE
    return read(tasks=[task(f"T{i}", progress=c) for i, c in enumerate(cells)])


@pytest.mark.parametrize("i", range(len(PROGRESS)), ids=[repr(c) for c, _ in PROGRESS])
def test_progress_60_60_percent_and_0_6_all_mean_60(progress, i):
    assert issues_at(progress, "NhiemVu", i + 2) == []
    assert progress.tasks["progress"].iloc[i] == pytest.approx(PROGRESS[i][1])


@pytest.mark.parametrize("i", range(len(PROGRESS_UNREADABLE)), ids=PROGRESS_UNREADABLE)
def test_progress_unreadable_is_a_warning(progress, i):
    row = len(PROGRESS) + i + 2
    assert [x.severity for x in issues_at(progress, "NhiemVu", row)] == ["warning"]
    assert row in set(progress.tasks["sheet_row"])


BLOCKED = [("Vướng mắc", True), ("Đang vướng mắc về mặt bằng", True), ("Tạm dừng", True),
           ("TAM DUNG", True), (nfd("tạm dừng chờ vốn"), True), ("Đang thực hiện", False),
           ("Hoàn thành", False), (None, False)]


def test_progress_out_of_range_is_readable_but_not_used():
    wb = read(tasks=[task("T1", progress="150%"), task("T2", progress=-5)])
    for row in (2, 3):
        assert issues_at(wb, "NhiemVu", row) == []  # readable: no contract warning
        assert [i.severity for i in wb.issues if i.sheet == "NhiemVu" and i.row == row] == [
            "info"]
    assert wb.tasks["progress"].isna().all()


def test_blocked_tasks():
    wb = read(tasks=[task(f"T{i}", status=s) for i, (s, _) in enumerate(BLOCKED)])
    assert wb.tasks["blocked"].tolist() == [b for _, b in BLOCKED]


# ======================================================================================
# TruyenThong and channels
# ======================================================================================
def test_truyenthong_issues_exactly():
    wb = read(posts=[
        post(DAY, "Facebook"),                          # 2
        post(None, "Facebook"),                         # 3: error
        post("31/02/2026", "Zalo"),                     # 4: error
        post(DAY, "Zalo", department="Phòng ABC"),      # 5: warning
        post(DAY, "Loa", department="văn hoá"),         # 6
        post("  ", "Loa"),                              # 7: error
        post("16/11/2026 08:00", "Website"),            # 8
    ])
    assert issue_set(wb) == ({("TruyenThong", r, "error") for r in (3, 4, 7)}
                             | {("TruyenThong", 5, "warning")})
    assert wb.rows["TruyenThong"] == {"total": 7, "valid": 4, "rejected": 3}
    assert wb.posts["department"].tolist() == ["_unassigned", "_unassigned", "VHXH",
                                               "_unassigned"]


CHANNELS = [
    ("Hệ  thống loa truyền thanh", "radio"), ("Đài truyền thanh phường", "radio"),
    ("Loa", "radio"), ("Radio", "radio"), ("LOA PHÁT THANH", "radio"),
    ("Cổng TTĐT", "portal"), ("Cổng thông tin điện tử phường", "portal"),
    ("Website", "portal"), ("Portal", "portal"), ("cong ttdt", "portal"),
    ("Zalo OA", "social"), ("Facebook", "social"), ("Trang Facebook phường", "social"),
    ("Mạng xã hội", "social"), ("Fanpage", "social"), ("YouTube", "social"),
    ("TikTok", "social"), ("ZALO", "social"),
    ("Bảng tin tổ dân phố", "other"), ("Tờ rơi", "other"), (None, "other"),
    ("Smart Hải Phòng", "other"),
]


def test_channels_are_normalized():
    wb = read(posts=[post(DAY, text) for text, _ in CHANNELS])
    assert wb.posts["channel"].tolist() == [want for _, want in CHANNELS]


def test_posts_by_channel_in_metrics():
    m = metrics(A, D("2026-11-16"), posts=[post(DAY, text) for text, _ in CHANNELS])
    expected = collections.Counter(want for _, want in CHANNELS)
    assert m["communications"] == {**m["communications"], "total": len(CHANNELS),
                                   "by_channel": dict(expected)}


def test_a_workbook_with_every_problem_at_once_still_reads():
    raw = book(cases=PHANANH_ROWS, tasks=NHIEMVU_ROWS, departments=DONVI_ROWS,
               categories=LINHVUC_ROWS, settings={"Thời hạn mặc định": "x", "Sắp đến hạn": -1},
               days_off=[(None, "Nghỉ")])
    wb = read_workbook(raw)
    m = compute_metrics(wb, A)
    assert m["rows"]["PhanAnh"] == {"total": 20, "valid": 11, "rejected": 9}
    assert ("CauHinh", 2, "warning") in issue_set(m)
    assert ("NgayNghi", 2, "warning") in issue_set(m)


# ======================================================================================
# Text columns decided once per distinct cell (cells.TextColumn)
# ======================================================================================
def _csv_phananh(tmp_path, records):
    """A CSV folder (DonVi, LinhVuc, PhanAnh) read as the CSV reader reads it: each column
    a categorical whose categories start with the header's cell."""
    import csv

    from wardbrief.read.sources import open_source

    tabs = {**{name: book().tabs[name] for name in ("DonVi", "LinhVuc")},
            "PhanAnh": table("PhanAnh", records)}
    for name, rows in tabs.items():
        with (tmp_path / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([["" if v is None else v for v in r] for r in rows])
    return read_workbook(open_source(str(tmp_path)))


def test_first_spelling_is_the_first_row_s_not_the_header_s(tmp_path):
    """Areas (and categories not in LinhVuc) take the first spelling the rows hold of
    their key, even when the header cell, read first, is spelled like one of them."""
    wb = _csv_phananh(tmp_path, [
        case("PA1", "16/11/2026", area="dia ban", category="linh vuc"),
        case("PA2", "16/11/2026", area="Địa bàn", category="Lĩnh vực"),
        case("PA3", "16/11/2026", area="Tổ 4", category="Môi trường"),
        case("PA4", "16/11/2026", area="TO  4", category="MOI TRUONG"),
        case("PA5", "16/11/2026", area=None, category=None),
    ])
    assert wb.cases["area"].tolist()[:4] == ["dia ban", "dia ban", "Tổ 4", "Tổ 4"]
    assert pd.isna(wb.cases["area"].iloc[4])
    assert wb.cases["category_name"].tolist()[:4] == ["linh vuc", "linh vuc", "Môi trường",
                                                      "Môi trường"]
    assert pd.isna(wb.cases["category_name"].iloc[4])
    assert wb.cases["limit_days"].tolist() == [10, 10, 3, 3, 10]  # LinhVuc, else the default


def test_text_columns_spread_over_every_row(tmp_path):
    wb = _csv_phananh(tmp_path, [
        case("PA1", "16/11/2026", department="vp", status=" Đã trả lời ", rating="hai long",
             channel="Tổng đài 1022", responded="17/11/2026"),
        case("PA2", "16/11/2026", department="Phòng Lạ", status="Trả lại", rating="5 sao",
             channel=None),
        case("PA3", "16/11/2026", department=None, status="chờ", rating=None,
             channel="Smart Hải Phòng"),
    ])
    cases = wb.cases
    assert cases["department"].tolist() == ["VP", "_unassigned", "_unassigned"]
    assert cases["status"].tolist() == ["Đã trả lời", "Trả lại", "chờ"]
    assert cases["returned"].tolist() == [False, True, False]
    assert cases["satisfied"].tolist() == [True, False, False]
    assert cases["intake"].tolist() == ["system_1022", "unknown", "smart_app"]
    assert cases["channel"].iloc[[0, 2]].tolist() == ["Tổng đài 1022", "Smart Hải Phòng"]
    assert pd.isna(cases["channel"].iloc[1])
    assert issue_set(wb) == {("PhanAnh", 3, "warning"), ("PhanAnh", 4, "warning")}
    assert [i.column for i in wb.issues if i.severity != "info"] == [
        "Đơn vị xử lý", "Trạng thái"]


def test_a_duplicate_id_names_the_row_it_was_first_seen_on():
    wb = read(cases=[case("PA1", DAY), case("PA2", DAY), case(" PA1", DAY), case("PA3", DAY)])
    [issue] = issues_at(wb, "PhanAnh", 4)
    assert "trùng với dòng 2; giữ dòng 2" in issue.message
    wb = read(cases=[case("PA1", DAY), case(None, DAY), case(None, DAY), case("PA3", DAY)])
    assert issue_set(wb) == {("PhanAnh", 3, "error"), ("PhanAnh", 4, "error")}
    assert all("Thiếu mã" in i.message for i in wb.issues if i.severity == "error")


def test_reporter_names_are_the_valid_rows_in_row_order():
    wb = read(cases=[case("PA1", DAY, reporter="Trần Thị Mơ"), case(None, DAY, reporter="Lê Tư"),
                     case("PA3", DAY, reporter=" Bùi Thế Dũng "), case("PA4", DAY, reporter=None),
                     case("PA5", DAY, reporter="Trần Thị Mơ"), case("PA6", DAY, reporter="An")])
    assert wb.reporter_names == ["Trần Thị Mơ", "Bùi Thế Dũng", "An"]
    assert wb.name_matcher.mask("gặp Lê Tư") == "gặp L.T."  # a rejected row's too
