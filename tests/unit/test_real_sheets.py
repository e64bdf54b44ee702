"""Real sheets as staff and their software make them (issue 9): a tab without a column it
cannot be read without, the one rule that keeps such a workbook from being briefed,
month-first dates, near tab titles, issues in the sheet's own words, the demo mark."""

from __future__ import annotations

import pytest
from builders import D, case, metrics, read, table, task
from wardbrief import demo
from wardbrief.read.contract import read_workbook
from wardbrief.read.issues import DataIssue
from wardbrief.read.messages import refusal_line
from wardbrief.read.sources.base import RawWorkbook
from wardbrief.read.tables import column_letter

A = D("2026-11-27")
CASES = [case("PA1", D("2026-11-23"), responded=D("2026-11-24")),
         case("PA2", D("2026-11-24")),
         case("PA3", D("2026-11-25"))]


def errors(wb) -> list[tuple]:
    return [(i.sheet, i.row, i.column) for i in wb.issues if i.severity == "error"]


# --- a column a tab cannot be read without -----------------------------------------------
def test_a_renamed_case_id_header_gives_one_error_at_the_header_row():
    wb = read(cases=table("PhanAnh", CASES, rename={"id": "Số phiếu"}))
    assert errors(wb) == [("PhanAnh", 1, "Mã phản ánh")]
    assert wb.rows["PhanAnh"] == {"total": 3, "valid": 0, "rejected": 3}
    assert len(wb.cases) == 0
    issue = next(i for i in wb.issues if i.severity == "error")
    assert issue.blocking and issue.cell is None and issue.header is None
    assert "Mã phản ánh, Ma PA, Case ID" in issue.message  # the names it would accept


def test_both_required_columns_missing_give_one_error_each():
    rows = [["STT", "Đơn vị xử lý", "Ngày trả lời"], [1, "VP", None], [2, "VP", None]]
    wb = read(cases=rows)
    assert errors(wb) == [("PhanAnh", 1, "Mã phản ánh"), ("PhanAnh", 1, "Ngày tiếp nhận")]
    assert wb.rows["PhanAnh"] == {"total": 2, "valid": 0, "rejected": 2}


def test_the_error_is_at_the_header_row_the_sheet_shows():
    rows = [[], *table("PhanAnh", CASES, columns=["received", "department", "responded"])]
    wb = read(cases=rows)
    assert errors(wb) == [("PhanAnh", 2, "Mã phản ánh")]


def test_phananh_without_responded_or_department_is_read_but_flagged():
    wb = read(cases=table("PhanAnh", CASES, columns=["id", "received"]))
    assert sorted(errors(wb)) == [("PhanAnh", 1, "Ngày trả lời"), ("PhanAnh", 1, "Đơn vị xử lý")]
    assert wb.rows["PhanAnh"] == {"total": 3, "valid": 3, "rejected": 0}
    assert not wb.briefable


def test_tasks_without_content_and_posts_without_date():
    rows = table("NhiemVu", [task("NV1"), task("NV2")], columns=["id", "lead"])
    posts = [["Kênh", "Tiêu đề"], ["Facebook", "Bài 1"]]
    wb = read(tasks=rows, posts=posts)
    assert errors(wb) == [("NhiemVu", 1, "Nội dung"), ("TruyenThong", 1, "Ngày đăng")]
    assert wb.rows["NhiemVu"] == {"total": 2, "valid": 0, "rejected": 2}
    assert wb.rows["TruyenThong"] == {"total": 1, "valid": 0, "rejected": 1}


# --- one rule: a workbook that cannot give true figures is not briefed ---------------------
def test_rejected_rows_alone_do_not_block():
    wb = read(cases=[case(None, D("2026-11-23")), *CASES])
    assert [i.row for i in wb.issues if i.severity == "error"] == [2]
    assert wb.briefable and wb.blocking_issues() == []


def test_a_missing_required_tab_blocks():
    wb = read(cases=None)
    assert [(i.sheet, i.row) for i in wb.blocking_issues()] == [("PhanAnh", None)]
    line = refusal_line(wb.blocking_issues(), wb.missing_required)
    assert line == ("KHÔNG LẬP BÁO CÁO: Thiếu trang tính bắt buộc PhanAnh: thêm một trang tên "
                    "PhanAnh (hoặc đổi tên trang đang có cho đúng). / NOT BRIEFED: the workbook "
                    "has no tab 'PhanAnh': add it, or rename the tab that holds it to 'PhanAnh'.")


def test_a_source_level_error_blocks_like_a_missing_tab():
    wb = read(cases=CASES)
    wb.issues.append(DataIssue("PhanAnh", None, None, "error", "Ngôn ngữ bảng tính: Hoa Kỳ"))
    assert not wb.briefable
    assert refusal_line(wb.blocking_issues(), []).startswith(
        "KHÔNG LẬP BÁO CÁO: Ngôn ngữ bảng tính: Hoa Kỳ. / NOT BRIEFED: 'PhanAnh': ")


def test_refusal_line_names_tab_title_column_and_fix_and_counts_the_rest():
    wb = read(cases=table("PhanAnh", CASES, columns=["department"]),
              titles={"PhanAnh": "Phản ánh"})
    line = refusal_line(wb.blocking_issues(), wb.missing_required)
    assert line.startswith("KHÔNG LẬP BÁO CÁO: Trang 'Phản ánh' không có cột 'Mã phản ánh' ở "
                           "dòng tiêu đề 1, nên không đọc được dòng nào; thêm cột hoặc đổi tên "
                           "tiêu đề thành một trong: Mã phản ánh, Ma PA, Case ID (và 2 lỗi khác "
                           "như vậy). / NOT BRIEFED: tab 'Phản ánh' has no column 'Mã phản ánh'")
    assert line.endswith("(2 more such errors).")


def test_metrics_of_a_blocked_workbook_say_so():
    m = metrics(A, cases=table("PhanAnh", CASES, rename={"received": "Ngày nhận"}))
    assert m["briefable"] is False
    assert [(i["sheet"], i["row"], i["column"]) for i in m["blocking_issues"]] == [
        ("PhanAnh", 1, "Ngày tiếp nhận")]
    assert m["cases"]["totals"]["received"] == 0
    assert metrics(A, cases=CASES)["briefable"] is True


# --- the data-quality list speaks the sheet's language ------------------------------------
def test_issue_names_tab_title_header_text_and_cell():
    rows = table("PhanAnh", [case("PA1", "31/02/2026")],
                 rename={"received": "Ngay tiep nhan"}, columns=["id", "department", "responded",
                                                                 "received"])
    wb = read(cases=rows, titles={"PhanAnh": "Phản ánh"})
    issue = next(i for i in wb.issues if i.severity == "error")
    assert (issue.sheet, issue.sheet_title, issue.row, issue.column, issue.header, issue.cell) == (
        "PhanAnh", "Phản ánh", 2, "Ngày tiếp nhận", "Ngay tiep nhan", "D2")
    assert issue.as_dict()["cell"] == "D2" and issue.where == "Phản ánh!D2"


def test_column_letters():
    assert [column_letter(n) for n in (1, 8, 26, 27, 52, 703)] == ["A", "H", "Z", "AA", "AZ", "AAA"]


def test_a_duplicate_id_names_the_row_of_its_first_copy():
    wb = read(cases=[case("PA1", D("2026-11-23")), case("PA2", D("2026-11-23")),
                     case("PA1", D("2026-11-24")), case("PA1", D("2026-11-25"))])
    dup = [i for i in wb.issues if i.severity == "error"]
    assert [(i.row, i.message) for i in dup] == [
        (4, "Mã phản ánh PA1 trùng với dòng 2; giữ dòng 2, loại dòng này"),
        (5, "Mã phản ánh PA1 trùng với dòng 2; giữ dòng 2, loại dòng này")]
    wb = read(tasks=[task("NV1"), task("NV1")])
    assert [i.message for i in wb.issues if i.severity == "error"] == [
        "Mã nhiệm vụ NV1 trùng với dòng 2; giữ dòng 2, loại dòng này"]


# --- month-first dates ----------------------------------------------------------------------
def test_month_first_dates_get_one_notice_with_column_example_and_count():
    rows = [case("PA1", D("2026-11-23"), responded="11/24/2026"),
            case("PA2", D("2026-11-23"), responded="11/05/2026"),  # swapped, no sign alone
            case("PA3", D("2026-11-23"), responded="11/30/2026"),
            case("PA4", D("2026-11-23"), responded="24/11/2026")]
    wb = read(cases=table("PhanAnh", rows, rename={"responded": "Ngay tra loi"}))
    notices = [i for i in wb.issues if i.severity == "info"]
    assert [(i.row, i.column, i.header) for i in notices] == [(1, "Ngày trả lời", "Ngay tra loi")]
    assert "có 2 ngày chỉ đọc được theo kiểu tháng/ngày/năm (ví dụ '11/24/2026' ở ô M2)" in (
        notices[0].message)
    # the contract's own warning for each unreadable cell stays (rows 2 and 4); row 3 was
    # read as 11 May, before its receipt: the swap the notice warns of
    assert sorted(i.row for i in wb.issues if i.severity == "warning") == [2, 3, 4]
    assert wb.notices == [("Trang PhanAnh, cột Ngay tra loi: 2 ngày ghi theo kiểu tháng/ngày/năm "
                           "(ví dụ 11/24/2026 ở ô M2); các ngày trong cột này có thể bị đọc sai "
                           "cho đến khi sửa thành dd/mm/yyyy.")]
    assert wb.briefable  # a notice, not a refusal
    # the period (21-27/11) begins before the sheet's first case (23/11): that is said too
    assert metrics(A, cases=table("PhanAnh", rows))["notices"] == [
        wb.notices[0].replace("Ngay tra loi", "Ngày trả lời"),
        ("Số liệu của kỳ báo cáo này tính từ ngày 23/11/2026, ngày tiếp nhận phản ánh, kiến nghị "
        "đầu tiên trong bảng tính; trước ngày đó bảng tính chưa có dữ liệu.")]


def test_received_month_first_dates_are_still_rejected_each():
    wb = read(cases=[case("PA1", "8/13/2026"), case("PA2", "13/8/2026")])
    assert {(i.row, i.severity) for i in wb.issues} == {(1, "info"), (2, "error")}


def test_day_first_dates_give_no_notice():
    wb = read(cases=[case("PA1", "13/8/2026", responded="14/08/2026")])
    assert wb.issues == [] and wb.notices == []


# --- near tab titles --------------------------------------------------------------------------
@pytest.mark.parametrize(("title", "tab"), [("Nhiệm vụ 2026", "NhiemVu"), ("Tin bai", "TruyenThong"),
                                            ("Bài đăng T11", "TruyenThong")])
def test_a_near_tab_title_gets_an_info_issue_naming_both(title, tab):
    kwargs = {"tasks": None} if tab == "NhiemVu" else {"posts": None}
    wb = read(extra={title: [["x"], [1]]}, **kwargs)
    near = [i for i in wb.issues if i.severity == "info"]
    assert [(i.sheet, i.row, i.sheet_title) for i in near] == [(tab, None, title)]
    assert f"'{title}'" in near[0].message and f"'{tab}'" in near[0].message
    assert wb.tabs_present()[tab] is False and wb.briefable


def test_no_near_issue_when_the_tab_is_there():
    wb = read(extra={"Nhiệm vụ 2025 (cũ)": [["x"], [1]], "HuongDan": [["x"]]})
    assert wb.issues == []
    assert wb.tabs_present() == {"DonVi": True, "LinhVuc": True, "CauHinh": False,
                                 "NgayNghi": False, "PhanAnh": True, "NhiemVu": True,
                                 "TruyenThong": True, "ChiTieu": True}


# --- the synthetic sample is never mistaken for the ward's data ----------------------------
def _raw(workbook: demo.DemoWorkbook) -> RawWorkbook:
    return RawWorkbook("xlsx", "x", {t.title: workbook.cells(t.title) for t in workbook.tabs})


def test_a_generated_workbook_is_marked_demo_whatever_its_name():
    wb = read_workbook(_raw(demo.generate(cases=20)))
    assert wb.demo and wb.issues == []
    assert wb.notices[0].startswith("DỮ LIỆU MẪU: ")
    m = metrics(A, settings={"Dữ liệu mẫu": "Có"})
    assert m["source"]["demo"] is True and m["notices"][0].startswith("DỮ LIỆU MẪU")


@pytest.mark.parametrize("value", ["Không", "no", "0", ""])
def test_the_mark_can_be_taken_off(value):
    m = metrics(A, settings={"Dữ liệu mẫu": value})
    assert "demo" not in m["source"] and m["notices"] == []


def test_month_first_dates_in_tasks_and_posts_are_noticed_too():
    wb = read(tasks=[task("NV1", due="12/31/2026")], posts=[{"date": "11/25/2026",
                                                            "channel": "Zalo"}])
    notices = [(i.sheet, i.row, i.column) for i in wb.issues if i.severity == "info"]
    assert notices == [("NhiemVu", 1, "Hạn hoàn thành"), ("TruyenThong", 1, "Ngày đăng")]
    assert [n.split(":")[0] for n in wb.notices] == ["Trang NhiemVu, cột Hạn hoàn thành",
                                                     "Trang TruyenThong, cột Ngày đăng"]


def test_a_missing_required_tab_with_a_near_title_names_it_in_the_refusal():
    wb = read(cases=None, extra={"Phản ánh T11": table("PhanAnh", CASES)})
    assert [(i.sheet, i.row, i.severity, i.sheet_title) for i in wb.issues_sorted()] == [
        ("PhanAnh", None, "error", "Phản ánh T11"), ("PhanAnh", None, "info", "Phản ánh T11")]
    assert refusal_line(wb.blocking_issues(), wb.missing_required) == (
        "KHÔNG LẬP BÁO CÁO: Thiếu trang tính bắt buộc PhanAnh; trang 'Phản ánh T11' có tên gần "
        "giống: nếu đó là trang PhanAnh, đổi tên trang thành 'PhanAnh'. / NOT BRIEFED: the "
        "workbook has no tab 'PhanAnh': if the tab 'Phản ánh T11' is that one, rename it to "
        "'PhanAnh'.")
