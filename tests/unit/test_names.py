"""CONTRACT section 1 (matching names) and the header/row rules of section 2."""

from __future__ import annotations

import unicodedata

import pytest
from builders import HEADERS, D, book, case, issue_set, read, table
from wardbrief.read.contract import read_workbook
from wardbrief.read.names import key, tab_key


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# -- key() --------------------------------------------------------------------------------
def test_key_of_the_contracts_example_is_one_key():
    assert key("Phòng Văn hoá - Xã hội") == "phong van hoa xa hoi"
    assert key("PHONG VAN HOA XA HOI") == "phong van hoa xa hoi"
    assert key("phong  van-hoa xa hoi") == "phong van hoa xa hoi"


@pytest.mark.parametrize("text, expected", [
    ("Đông Hải", "dong hai"),
    ("ĐỐNG ĐA", "dong da"),
    ("đường", "duong"),
    ("Đ", "d"),
    ("Địa bàn", "dia ban"),
])
def test_key_maps_d_with_stroke(text, expected):
    assert key(text) == expected


@pytest.mark.parametrize("text", [
    "Phòng Văn hoá - Xã hội", "Đơn vị xử lý", "Người phản ánh", "Thủ trưởng", "Hải Phòng",
])
def test_key_is_the_same_for_nfc_and_nfd(text):
    assert unicodedata.normalize("NFC", text) != nfd(text)
    assert key(nfd(text)) == key(unicodedata.normalize("NFC", text))
    assert key(nfd(text)) == key(text)


@pytest.mark.parametrize("old, new, expected", [
    ("hoá", "hóa", "hoa"),
    ("thuỷ", "thủy", "thuy"),
    ("Văn hoá", "Văn hóa", "van hoa"),
    ("Thuỷ lợi", "Thủy lợi", "thuy loi"),
    ("khoẻ", "khỏe", "khoe"),
    ("Huỷ", "Hủy", "huy"),
])
def test_key_ignores_old_or_new_tone_placement(old, new, expected):
    assert old != new
    assert key(old) == key(new) == expected


@pytest.mark.parametrize("text, expected", [
    ("  Mã PA  ", "ma pa"),
    ("Ma_PA", "ma pa"),
    ("Tiến độ (%)", "tien do"),
    ("Tổ 5 / Khu 2", "to 5 khu 2"),
    ("Số tin bài/tháng", "so tin bai thang"),
    ("VH-XH", "vh xh"),
    ("a\t\nb", "a b"),
    ("", ""),
    ("   ", ""),
    ("---", ""),
])
def test_key_collapses_non_alphanumeric_runs_and_strips(text, expected):
    assert key(text) == expected


@pytest.mark.parametrize("title", ["Phản ánh", "PhanAnh", "phan anh", "PHẢN ÁNH", "Phan_Anh",
                                   nfd("Phản ánh"), " phản  ánh "])
def test_tab_key_drops_spaces(title):
    assert tab_key(title) == "phananh"


# -- tab titles ---------------------------------------------------------------------------
@pytest.mark.parametrize("title", ["Phản ánh", "PhanAnh", "phan anh", "PHAN ANH", nfd("Phản ánh")])
def test_phananh_tab_is_found_by_its_title_key(title):
    wb = read(cases=[case("PA1", D("2026-11-02"))], titles={"PhanAnh": title})
    assert wb.missing_required == []
    assert list(wb.cases["case_id"]) == ["PA1"]
    assert wb.rows["PhanAnh"] == {"total": 1, "valid": 1, "rejected": 0}


OTHER_TITLES = [
    {"DonVi": "Đơn Vị", "NhiemVu": "Nhiệm vụ", "TruyenThong": "Truyền thông",
     "LinhVuc": "Lĩnh vực", "NgayNghi": "Ngày nghỉ", "CauHinh": "CẤU HÌNH",
     "ChiTieu": "Chỉ tiêu"},
    {"DonVi": "don vi", "NhiemVu": "NHIEM VU", "TruyenThong": "truyen_thong",
     "LinhVuc": "linh vuc", "NgayNghi": "ngay nghi", "CauHinh": "cau hinh",
     "ChiTieu": "chi tieu"},
]


@pytest.mark.parametrize("titles", OTHER_TITLES, ids=["diacritics", "plain"])
def test_other_tabs_are_found_by_their_title_key(titles):
    raw = book(cases=[case("PA1", D("2026-11-02"), department="VP", category="Đất đai")],
               tasks=[{"id": "NV1", "content": "x"}], posts=[{"date": D("2026-11-02")}],
               settings={"Thời hạn mặc định": 7}, days_off=[(D("2026-11-03"), "Nghỉ")],
               targets=[{"channel": "Loa", "target": 4}], titles=titles)
    wb = read_workbook(raw)
    assert issue_set(wb) == set()
    assert list(wb.cases["department"]) == ["VP"]
    assert wb.rows["NhiemVu"]["valid"] == 1
    assert wb.rows["TruyenThong"]["valid"] == 1
    assert wb.settings.default_limit == 7
    assert D("2026-11-03") in wb.days_off
    assert wb.targets.get("radio") == 4


# -- headers ------------------------------------------------------------------------------
PHANANH_ALIASES = {
    "id": ["Ma PA", "Case ID"], "received": ["Ngay tiep nhan", "Received"],
    "channel": ["Kenh", "Channel"], "category": ["Linh vuc", "Category"],
    "summary": ["Noi dung", "Summary"], "reporter": ["Nguoi phan anh", "Reporter"],
    "phone": ["So dien thoai", "Phone"], "area": ["Dia ban", "Area"],
    "department": ["Don vi xu ly", "Department"], "assigned": ["Ngay giao", "Assigned"],
    "due": ["Han xu ly", "Due"], "extended": ["Gia han den", "Extended to"],
    "responded": ["Ngay tra loi", "Responded"], "status": ["Trang thai", "Status"],
    "rating": ["Danh gia", "Rating"],
}
# field of the builder -> column of Workbook.cases
CASE_COLUMN = {"id": "case_id", "due": "due_explicit", "extended": "extended_to"}
FULL_CASE = case(
    "PA-77", D("2026-11-02"), channel="Tổng đài 1022", category="Đất đai",
    summary="Đèn đường hỏng", reporter="Nguyễn Thị Hoa", phone="0912345678", area="Tổ 3",
    department="VHXH", assigned=D("2026-11-03"), due=D("2026-11-20"),
    extended=D("2026-11-30"), responded=D("2026-11-25"), status="Đã xử lý", rating="Hài lòng")
EXPECTED_CASE = {
    "case_id": "PA-77", "received": D("2026-11-02"), "channel": "Tổng đài 1022",
    "category": "Đất đai", "summary": "Đèn đường hỏng", "reporter": "Nguyễn Thị Hoa",
    "phone": "0912345678", "area": "Tổ 3", "department": "VHXH",
    "assigned": D("2026-11-03"), "due_explicit": D("2026-11-20"),
    "extended_to": D("2026-11-30"), "responded": D("2026-11-25"), "status": "Đã xử lý",
    "rating": "Hài lòng",
}


def _case_values(wb) -> dict:
    row = wb.cases.iloc[0]
    out = {}
    for name in EXPECTED_CASE:
        value = row[name]
        out[name] = value.date() if hasattr(value, "date") and not isinstance(value, str) else value
    return out


@pytest.mark.parametrize("which", [0, 1], ids=["without-diacritics", "english"])
def test_every_phananh_header_alias_is_accepted(which):
    rename = {f: aliases[which] for f, aliases in PHANANH_ALIASES.items()}
    wb = read(cases=table("PhanAnh", [FULL_CASE], rename=rename))
    assert issue_set(wb) == set()
    assert _case_values(wb) == EXPECTED_CASE


@pytest.mark.parametrize("transform", [
    str.upper, str.lower, lambda h: h + "  ", lambda h: "  " + h, nfd,
    lambda h: h.replace("hoá", "hóa"),
], ids=["upper", "lower", "trailing", "leading", "nfd", "tone"])
def test_headers_match_in_any_case_spacing_and_normalization(transform):
    rename = {f: transform(h) for f, h in HEADERS["PhanAnh"].items()}
    wb = read(cases=table("PhanAnh", [FULL_CASE], rename=rename))
    assert issue_set(wb) == set()
    assert _case_values(wb) == EXPECTED_CASE


def test_english_aliases_in_upper_case_with_trailing_spaces():
    rename = {f: PHANANH_ALIASES[f][1].upper() + "   " for f in HEADERS["PhanAnh"]}
    wb = read(cases=table("PhanAnh", [FULL_CASE], rename=rename))
    assert _case_values(wb) == EXPECTED_CASE


DONVI_ALIASES = [
    {"code": "Ma don vi", "name": "Ten don vi", "head": "Thu truong", "aliases": "Ten goi khac"},
    {"code": "Code", "name": "Name", "head": "Head", "aliases": "Aliases"},
]


@pytest.mark.parametrize("rename", DONVI_ALIASES, ids=["without-diacritics", "english"])
def test_every_donvi_header_alias_is_accepted(rename):
    departments = table("DonVi", [{"code": "VHXH", "name": "Phòng Văn hoá - Xã hội",
                                   "head": "Trần Thị Bình", "aliases": "VH-XH"}],
                        rename=rename)
    cases = [case("A", D("2026-11-02"), department="VHXH"),
             case("B", D("2026-11-02"), department="phong van hoa xa hoi"),
             case("C", D("2026-11-02"), department="vh xh")]
    wb = read(departments=departments, cases=cases)
    assert issue_set(wb) == set()
    assert list(wb.departments.index) == ["VHXH"]
    assert wb.departments.loc["VHXH", "head"] == "Trần Thị Bình"
    assert list(wb.cases["department"]) == ["VHXH"] * 3


def test_column_order_is_free():
    order = list(reversed(HEADERS["PhanAnh"]))
    wb = read(cases=table("PhanAnh", [FULL_CASE], columns=order))
    assert _case_values(wb) == EXPECTED_CASE


def test_unknown_columns_are_ignored():
    rows = table("PhanAnh", [FULL_CASE])
    rows = [["STT", *rows[0][:5], "Ghi chú nội bộ", *rows[0][5:], "Cột lạ"],
            [1, *rows[1][:5], "chỉ để xem", *rows[1][5:], "=SUM(A1:A2)"]]
    wb = read(cases=rows)
    assert issue_set(wb) == set()
    assert _case_values(wb) == EXPECTED_CASE
    assert wb.rows["PhanAnh"] == {"total": 1, "valid": 1, "rejected": 0}


def test_only_a_few_columns_present():
    """Read as usual, but without `Ngày trả lời` and `Đơn vị xử lý` every case would look
    unanswered and unassigned: one error at the header row for each (CONTRACT 2026-12-01)."""
    rows = [["Mã phản ánh", "Ngày tiếp nhận"], ["PA1", D("2026-11-02")]]
    wb = read(cases=rows)
    assert issue_set(wb) == {("PhanAnh", 1, "error")}
    assert sorted(i.column for i in wb.issues if i.severity == "error") == [
        "Ngày trả lời", "Đơn vị xử lý"]
    assert list(wb.cases["case_id"]) == ["PA1"]
    assert wb.cases["department"].tolist() == ["_unassigned"]


# -- header row and row numbers -----------------------------------------------------------
def test_header_is_the_first_non_blank_row_and_rows_are_the_sheets_numbers():
    header = table("PhanAnh", [])[0]
    width = len(header)
    rows = [
        [],                                   # row 1: empty
        [None] * width,                       # row 2: all None
        ["   ", "\t", None, ""],              # row 3: white space only
        header,                               # row 4: header
        ["PA1", D("2026-11-02")],             # row 5: valid
        [],                                   # row 6: blank
        [None, D("2026-11-02")],              # row 7: blank id -> error
        ["  ", " "],                          # row 8: blank (white space)
        ["PA1", D("2026-11-03")],             # row 9: duplicate -> error
        ["PA2", "31/02/2026"],                # row 10: unreadable received -> error
        ["PA3", D("2026-11-02"), None, "Lĩnh vực lạ"],  # row 11: warning (category)
    ]
    wb = read(cases=rows)
    assert wb.rows["PhanAnh"] == {"total": 5, "valid": 2, "rejected": 3}
    assert issue_set(wb) == {
        ("PhanAnh", 7, "error"), ("PhanAnh", 9, "error"), ("PhanAnh", 10, "error"),
        ("PhanAnh", 11, "warning"),
    }
    assert list(wb.cases["sheet_row"]) == [5, 11]
    assert list(wb.cases["case_id"]) == ["PA1", "PA3"]
    # issue rows equal list index + 1
    for issue in wb.issues:
        if issue.row is not None and issue.sheet == "PhanAnh":
            assert any(rows[issue.row - 1])


def test_a_title_line_above_the_header_would_be_the_header():
    # the first non-blank row is the header, even when it is not one we know
    rows = [["DANH SÁCH PHẢN ÁNH"], *table("PhanAnh", [case("PA1", D("2026-11-02"))])]
    wb = read(cases=rows)
    assert len(wb.cases) == 0
    # both following lines are counted rows (the real header row included) and rejected,
    # without an issue of their own: one error per missing column at the header row
    assert wb.rows["PhanAnh"] == {"total": 2, "valid": 0, "rejected": 2}
    assert issue_set(wb) == {("PhanAnh", 1, "error")}
    assert [i.column for i in wb.issues if i.severity == "error"] == [
        "Mã phản ánh", "Ngày tiếp nhận", "Ngày trả lời", "Đơn vị xử lý"]


def test_all_blank_rows_are_not_counted():
    rows = table("PhanAnh", [None, case("PA1", D("2026-11-02")), None, None,
                             {"summary": "   "}, case("PA2", D("2026-11-03")), None])
    wb = read(cases=rows)
    assert wb.rows["PhanAnh"] == {"total": 2, "valid": 2, "rejected": 0}
    assert list(wb.cases["sheet_row"]) == [3, 7]
    assert issue_set(wb) == set()


def test_a_row_with_only_an_unknown_column_filled_is_counted():
    rows = [["STT", "Mã phản ánh", "Ngày tiếp nhận", "Ngày trả lời", "Đơn vị xử lý"],
            [1, "PA1", D("2026-11-02")], [2, None, None]]
    wb = read(cases=rows)
    assert wb.rows["PhanAnh"] == {"total": 2, "valid": 1, "rejected": 1}
    assert issue_set(wb) == {("PhanAnh", 3, "error")}


def test_tab_with_only_a_header_has_no_rows():
    wb = read(cases=table("PhanAnh", []))
    assert wb.rows["PhanAnh"] == {"total": 0, "valid": 0, "rejected": 0}
    assert issue_set(wb) == set()


def test_every_other_row_is_valid_or_rejected_and_rejected_rows_are_errors():
    rows = table("PhanAnh", [
        case("PA1", D("2026-11-02")), case(None, D("2026-11-02")), case("PA1", D("2026-11-02")),
        case("PA3", None), case("PA4", "hôm qua"), case("PA5", "02/11/2026"),
    ])
    wb = read(cases=rows)
    counts = wb.rows["PhanAnh"]
    assert counts == {"total": 6, "valid": 2, "rejected": 4}
    errors = [i for i in wb.issues if i.sheet == "PhanAnh" and i.severity == "error"]
    assert sorted(i.row for i in errors) == [3, 4, 5, 6]
