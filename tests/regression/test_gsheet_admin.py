"""`wardbrief sheet init` / `sheet publish`: the pure table builders, then the real gspread
client against the local Sheets stand-in."""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json

import pytest
from builders import FIXTURES
from sheets_standin import Formula, SheetsStandIn, isolate
from wardbrief.briefings import labels
from wardbrief.commands import sheet
from wardbrief.publish import sheet_writeback as sheet_admin
from wardbrief.publish.sheet_writeback import (
    STATUS_CHOICES,
    accountability_rows,
    department_range_formula,
    department_rows,
    locate_code_column,
    missing_tabs,
    plan_init,
    publish_summary,
    sheets_of,
    summary_rows,
)
from wardbrief.read import schema
from wardbrief.read.contract import read_workbook
from wardbrief.read.names import key
from wardbrief.read.sources.gsheet import connect, open_gsheet

MESSY_KEY = "1MessyDongHaiSheet_2026-abc"
EMPTY_KEY = "1BrandNewSheet_DongHai"
PARTIAL_KEY = "1PartlyBuiltSheet_DongHai"
EXPECTED = json.loads((FIXTURES / "messy.expected.json").read_text(encoding="utf-8"))
CANONICAL = {t.name: [c.label for c in t.columns] for t in schema.TABS}


def metadata(*titles: str) -> dict:
    return {"sheets": [{"properties": {"sheetId": i, "title": t, "index": i}}
                       for i, t in enumerate(titles)]}


@pytest.fixture
def standin(monkeypatch, tmp_path):
    isolate(monkeypatch, tmp_path)
    with SheetsStandIn() as server:
        server.add_xlsx(MESSY_KEY, FIXTURES / "messy.xlsx")
        server.add_spreadsheet(EMPTY_KEY, {"Trang tính1": []})
        server.add_spreadsheet(PARTIAL_KEY, {
            "Đơn vị": [[], ["STT", "Mã đơn vị", "Tên đơn vị"], [1, "VP", "Văn phòng"]],
            "Phản ánh": [["Mã phản ánh", "Ngày tiếp nhận"]],
            "cau hinh": [["Tham số", "Giá trị"], ["Sắp đến hạn", 3]],
        })
        monkeypatch.setenv("WARDBRIEF_SHEETS_API", server.base_url)
        yield server


def sheet_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="wardbrief")
    sheet.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["sheet", *argv])
    return args.func(args)


def validations(server: SheetsStandIn, key_: str, title: str) -> list[tuple[int, str, list, bool]]:
    out = []
    for spec in server.sheet(key_, title).validations:
        rule = spec["rule"]
        out.append((spec["range"]["startColumnIndex"], rule["condition"]["type"],
                    [v["userEnteredValue"] for v in rule["condition"]["values"]], rule["strict"]))
        assert spec["range"]["startRowIndex"] == 1  # below the header, to the end
        assert spec["range"]["endColumnIndex"] == spec["range"]["startColumnIndex"] + 1
    return out


# --- pure: init ----------------------------------------------------------------------------

def test_missing_tabs_match_existing_ones_by_key():
    sheets = sheets_of(metadata("Đơn vị", "PHAN ANH", "Cấu hình", "Ghi chú"))
    assert [t.name for t in missing_tabs(sheets)] == [
        "LinhVuc", "NgayNghi", "NhiemVu", "TruyenThong", "ChiTieu"]
    assert missing_tabs(sheets_of(metadata(*CANONICAL))) == []


def test_status_choices_are_words_the_contract_knows():
    for word in STATUS_CHOICES:
        k = key(word)
        known = k in schema.ANSWERED_STATUSES or k in schema.OPEN_STATUSES
        returned = any(s in k for s in schema.RETURNED_SUBSTRINGS) or k in schema.RETURNED_EXACT
        assert known != returned, word  # exactly one kind
    assert {key(w) for w in STATUS_CHOICES} >= {"da tra loi", "dang xu ly", "tra lai"}


def test_department_range_points_at_the_codes():
    assert department_range_formula("DonVi") == "='DonVi'!$A$2:$A"
    assert department_range_formula("Đơn vị", code_column=2, header_row=2) == "='Đơn vị'!$B$3:$B"
    assert locate_code_column([[], ["STT", "Ma don vi", "Ten"], [1, "VP"]]) == (2, 2)
    assert locate_code_column([["Tên đơn vị"], ["Văn phòng"]]) is None


def test_plan_for_a_partial_sheet_uses_its_donvi_columns():
    plan = plan_init(metadata("Đơn vị", "PhanAnh"), [[], ["STT", "Mã đơn vị"]])
    assert plan.present == {"DonVi": "Đơn vị", "PhanAnh": "PhanAnh"}
    assert plan.added == ["LinhVuc", "CauHinh", "NgayNghi", "NhiemVu", "TruyenThong", "ChiTieu"]
    ranges = [r["setDataValidation"]["rule"]["condition"]["values"][0]["userEnteredValue"]
              for r in plan.requests if "setDataValidation" in r
              and r["setDataValidation"]["rule"]["condition"]["type"] == "ONE_OF_RANGE"]
    assert ranges == ["='Đơn vị'!$B$3:$B"] * 2  # NhiemVu lead, TruyenThong department
    assert plan_init(metadata(*CANONICAL), [["Mã đơn vị"]]).requests == []


# --- pure: publish ---------------------------------------------------------------------------

def test_department_rows_from_the_metrics():
    rows = department_rows(EXPECTED)
    # the CSV's headers (figures.exports), the same words as departments.csv
    assert rows[0] == ["Mã đơn vị", "Tên đơn vị", "Thủ trưởng", "Tiếp nhận trong kỳ",
                       "Đã xử lý, trả lời trong kỳ", "Xử lý đúng hạn", "Xử lý quá hạn",
                       "Đang xử lý", "Chưa trả lời, đã quá hạn", "Tỷ lệ xử lý đúng hạn",
                       "Tỷ lệ tuân thủ thời hạn"]
    by_code = {r[0]: r for r in rows[1:]}
    # no `departments` extra in the expected file: the code stands in for the name
    assert by_code["KTHTDT"] == ["KTHTDT", "KTHTDT", "", 34, 25, 24, 1, 20, 7, 0.96, 0.75]
    assert by_code["QS"][3:9] == [0] * 6 and by_code["QS"][9:] == ["", ""]  # null rates
    assert rows[-1] == ["", labels.TOTAL, "", 69, 58, 54, 4, 32, 9,
                        round(0.9310344827586207, 6), round(0.8059701492537313, 6)]
    codes = [r[0] for r in rows[1:-1]]
    assert codes == [c for c in EXPECTED["cases"]["by_department"] if c != "_unassigned"]

    with_names = copy.deepcopy(EXPECTED)
    with_names["departments"] = {"VP": {"name": "Văn phòng HĐND và UBND phường",
                                        "head": "Nguyễn Thị Thu Hà"}}
    with_names["cases"]["by_department"]["_unassigned"]["received"] = 2
    rows = department_rows(with_names)
    assert rows[1][:3] == ["VP", "Văn phòng HĐND và UBND phường", "Nguyễn Thị Thu Hà"]
    assert rows[-2][:4] == ["", labels.UNASSIGNED, "", 2]


def test_accountability_rows_list_overdue_then_late():
    rows = accountability_rows(EXPECTED)
    overdue, late = EXPECTED["cases"]["overdue_cases"], EXPECTED["cases"]["late_cases"]
    assert len(rows) == 1 + len(overdue) + len(late) == 14
    assert rows[0] == ["Mã phản ánh", "Mã đơn vị", "Thủ trưởng đơn vị", "Hạn xử lý",
                       "Ngày trả lời", "Số ngày làm việc quá hạn", "Nội dung (tóm tắt)"]
    assert rows[1] == ["PA-2026-000509", "KTHTDT", "", "11/08/2026", labels.NOT_ANSWERED, 75, ""]
    assert rows[-1] == ["PA-2026-000724", "CA", "", "09/11/2026", "10/11/2026", 1, ""]
    assert [r[0] for r in rows[1:]] == [c["case_id"] for c in overdue + late]
    assert [r[5] for r in rows[1:]] == [c["working_days_late"] for c in overdue + late]


def test_summary_rows_say_period_source_and_staleness():
    stale = copy.deepcopy(EXPECTED)
    stale["source"].update(stale=True, taken_at="2026-11-26T01:30:00+00:00")
    rows = summary_rows(stale, dt.datetime(2026, 11, 27, 8, 5))
    text = [r[0] for r in rows if r]
    assert text[0] == f"{sheet_admin.SUMMARY_TITLE} - Phường Đông Hải"
    assert text[1] == "Kỳ báo cáo: từ ngày 01/11/2026 đến ngày 27/11/2026"
    assert text[2].startswith("Cập nhật lúc 27/11/2026 08:05")
    assert "1d2f5f780115" in text[3]
    assert text[4].startswith("Lưu ý: không kết nối được bảng tính trực tuyến")
    assert "26/11/2026" in text[4]
    nothing = copy.deepcopy(EXPECTED)
    nothing["cases"]["overdue_cases"] = nothing["cases"]["late_cases"] = []
    assert summary_rows(nothing, dt.datetime(2026, 11, 27))[-1] == [labels.ACCOUNTABILITY_EMPTY]


# --- init against the stand-in ---------------------------------------------------------------

def test_init_adds_every_tab_to_a_new_sheet(standin, capsys):
    assert sheet_command(["init", "--key", EMPTY_KEY]) == 0
    book = standin.spreadsheets[EMPTY_KEY]
    assert [s.title for s in book.sheets] == ["Trang tính1", *CANONICAL]
    for name, headers in CANONICAL.items():
        rows = standin.sheet(EMPTY_KEY, name).values()
        assert rows[0] == headers, name
    assert standin.sheet(EMPTY_KEY, "CauHinh").values()[1:] == [
        ["Tên phường", "Phường Đông Hải"], ["Thời hạn mặc định", 10], ["Sắp đến hạn", 2],
        ["Chỉ tiêu đúng hạn", 95], ["Ngày chốt số liệu", 14], ["Người ký"],
        ["Chức vụ người ký", "CHỦ TỊCH"], ["Ký hiệu", "/BC-UBND"]]

    donvi = "='DonVi'!$A$2:$A"
    assert validations(standin, EMPTY_KEY, "PhanAnh") == [
        (13, "ONE_OF_LIST", list(STATUS_CHOICES), False),
        (14, "ONE_OF_LIST", ["Hài lòng", "Chưa hài lòng"], True),
        (8, "ONE_OF_RANGE", [donvi], False),
    ]
    assert validations(standin, EMPTY_KEY, "NgayNghi") == [
        (1, "ONE_OF_LIST", ["Nghỉ", "Làm bù"], True)]
    assert validations(standin, EMPTY_KEY, "NhiemVu") == [(4, "ONE_OF_RANGE", [donvi], False)]
    assert validations(standin, EMPTY_KEY, "TruyenThong") == [(2, "ONE_OF_RANGE", [donvi], False)]
    assert validations(standin, EMPTY_KEY, "DonVi") == []

    # one metadata request, one atomic batchUpdate
    assert [(r.method, r.path) for r in standin.requests] == [
        ("GET", f"/v4/spreadsheets/{EMPTY_KEY}"), ("POST", f"/v4/spreadsheets/{EMPTY_KEY}:batchUpdate")]
    assert "added: PhanAnh" in capsys.readouterr().out


def test_a_freshly_initialised_sheet_reads_as_a_valid_workbook(standin):
    assert sheet_command(["init", "--key", EMPTY_KEY]) == 0
    standin.sheet(EMPTY_KEY, "DonVi").rows.append(["VP", "Văn phòng", "Nguyễn Thị Thu Hà"])
    standin.sheet(EMPTY_KEY, "PhanAnh").rows.append(["PA-1", 46353, "", "", "", "", "", "",
                                                     "VP"])
    workbook = read_workbook(open_gsheet(f"gsheet:{EMPTY_KEY}"))
    assert workbook.missing_required == [] and workbook.issues == []
    assert workbook.settings.due_soon_days == 2 and workbook.settings.default_limit == 10
    assert list(workbook.departments.index) == ["VP"] and len(workbook.cases) == 1


def test_init_adds_exactly_the_missing_tabs_and_leaves_others_alone(standin, capsys):
    before = {t: copy.deepcopy(standin.sheet(PARTIAL_KEY, t).rows)
              for t in ("Đơn vị", "Phản ánh", "cau hinh")}
    assert sheet_command(["init", "--key", PARTIAL_KEY]) == 0
    titles = [s.title for s in standin.spreadsheets[PARTIAL_KEY].sheets]
    assert titles == ["Đơn vị", "Phản ánh", "cau hinh",
                      "LinhVuc", "NgayNghi", "NhiemVu", "TruyenThong", "ChiTieu"]
    for title, rows in before.items():
        assert standin.sheet(PARTIAL_KEY, title).rows == rows
        assert standin.sheet(PARTIAL_KEY, title).validations == []
    # dropdowns follow the existing DonVi: codes in column B below its header on row 2
    assert validations(standin, PARTIAL_KEY, "NhiemVu") == [
        (4, "ONE_OF_RANGE", ["='Đơn vị'!$B$3:$B"], False)]
    assert "present: DonVi (tab 'Đơn vị')" in capsys.readouterr().out

    standin.requests.clear()
    assert sheet_command(["init", "--key", PARTIAL_KEY]) == 0  # again: nothing to add
    assert "nothing to add" in capsys.readouterr().out
    assert not standin.requests_to(":batchUpdate")


def test_init_dry_run_writes_nothing(standin, capsys):
    assert sheet_command(["init", "--key", EMPTY_KEY, "--dry-run"]) == 0
    assert "would add: ChiTieu" in capsys.readouterr().out
    assert [s.title for s in standin.spreadsheets[EMPTY_KEY].sheets] == ["Trang tính1"]
    assert all(r.method == "GET" for r in standin.requests)


# --- publish against the stand-in --------------------------------------------------------------

def test_publish_writes_raw_so_formula_text_stays_text(standin):
    metrics = copy.deepcopy(EXPECTED)
    metrics["cases"]["overdue_cases"][0]["summary"] = '=HYPERLINK("x")'
    metrics["cases"]["late_cases"][0]["summary"] = "+84 912 345 678 @ tổ 5 - gọi lại"
    result = publish_summary(connect(write=True), PARTIAL_KEY, metrics)
    assert result.created and result.title == "Tổng hợp"

    put = standin.requests_to("/values/'Tổng hợp'!A1", "PUT")
    assert len(put) == 1 and put[0].param("valueInputOption") == "RAW"
    sent = [c for row in put[0].body["values"] for c in row]
    assert '=HYPERLINK("x")' in sent

    stored = standin.sheet(PARTIAL_KEY, "Tổng hợp").rows
    cells = [c for row in stored for c in row]
    assert '=HYPERLINK("x")' in cells and "+84 912 345 678 @ tổ 5 - gọi lại" in cells
    assert not any(isinstance(c, Formula) for c in cells)
    assert result.url.endswith(f"/edit#gid={result.sheet_id}")


def test_publish_command_from_the_sheet_itself_then_rewrites(standin, tmp_path, capsys):
    before = open_gsheet(f"gsheet:{MESSY_KEY}", snapshot_dir=tmp_path / "snaps")
    argv = ["publish", "--key", MESSY_KEY, "--as-of", "2026-11-27",
            "--period-start", "01/11/2026", "--snapshot-dir", str(tmp_path / "snaps")]
    assert sheet_command(argv) == 0
    assert "'Tổng hợp' created" in capsys.readouterr().out
    rows = standin.sheet(MESSY_KEY, "Tổng hợp").values()
    vp = next(r for r in rows if r and r[0] == "VP")
    assert vp == ["VP", "Văn phòng HĐND và UBND phường", "Nguyễn Thị Thu Hà", 3, 2, 2, 0, 2, 0,
                  1.0, 1.0]
    total = next(r for r in rows if len(r) > 1 and r[1] == labels.TOTAL)
    assert total[3:9] == [69, 58, 54, 4, 32, 9]
    case_ids = [r[0] for r in rows if r and str(r[0]).startswith("PA-")]
    assert case_ids[0] == "PA-2026-000509" and len(case_ids) == 13
    formats = standin.sheet(MESSY_KEY, "Tổng hợp").formats
    assert any("repeatCell" in f and f["repeatCell"]["cell"]["userEnteredFormat"]["numberFormat"]
               ["type"] == "PERCENT" for f in formats)

    # the next pull does not read the summary back: same cells, same fingerprint
    after = open_gsheet(f"gsheet:{MESSY_KEY}", snapshot_dir=tmp_path / "snaps")
    assert "Tổng hợp" not in after.tabs and after.fingerprint == before.fingerprint

    standin.requests.clear()
    standin.sheet(MESSY_KEY, "Tổng hợp").rows.append(["old leftover"] * 3)
    assert sheet_command(argv) == 0
    assert "'Tổng hợp' rewritten" in capsys.readouterr().out
    assert len(standin.requests_to("/values/'Tổng hợp':clear", "POST")) == 1
    assert ["old leftover"] * 3 not in standin.sheet(MESSY_KEY, "Tổng hợp").values()


def test_publish_from_a_local_workbook(standin, capsys):
    argv = ["publish", "--key", EMPTY_KEY, "--source", str(FIXTURES / "clean.xlsx"),
            "--as-of", "2026-11-27", "--period-start", "2026-11-01"]
    assert sheet_command(argv) == 0
    rows = standin.sheet(EMPTY_KEY, "Tổng hợp").values()
    clean = json.loads((FIXTURES / "clean.expected.json").read_text(encoding="utf-8"))
    total = next(r for r in rows if len(r) > 1 and r[1] == labels.TOTAL)
    totals = clean["cases"]["totals"]
    assert total[3:9] == [totals[k] for k in ("received", "resolved", "resolved_on_time",
                                              "resolved_late", "open", "open_overdue")]
    assert not standin.requests_to("values:batchGet")  # the figures came from the file


def test_publish_reports_an_unreachable_sheet(standin, monkeypatch, capsys):
    from wardbrief.read.sources import gsheet

    monkeypatch.setattr(gsheet, "_sleep", lambda seconds: None)
    standin.fail(":batchUpdate", status=503)
    argv = ["publish", "--key", EMPTY_KEY, "--source", str(FIXTURES / "clean.xlsx"),
            "--as-of", "2026-11-27"]
    assert sheet_command(argv) == 2
    err = capsys.readouterr().err
    assert f"POST spreadsheets/{EMPTY_KEY}:batchUpdate failed 5 times" in err
    assert len(standin.requests_to(":batchUpdate")) == 5


# --- init sets the Vietnamese locale -----------------------------------------------------------

US_KEY = "1EnglishAccountSheet_DongHai"


def test_init_sets_vietnamese_locale_and_time_zone(standin, capsys):
    standin.add_spreadsheet(US_KEY, {"Sheet1": []}, locale="en_US",
                            time_zone="America/Los_Angeles")
    assert sheet_command(["init", "--key", US_KEY]) == 0
    book = standin.spreadsheets[US_KEY]
    assert (book.locale, book.time_zone) == ("vi_VN", "Asia/Ho_Chi_Minh")
    meta, update = standin.requests
    assert "locale" in meta.param("fields") and "timeZone" in meta.param("fields")
    requests = update.body["requests"]
    assert requests[-1] == {"updateSpreadsheetProperties": {
        "properties": {"locale": "vi_VN", "timeZone": "Asia/Ho_Chi_Minh"},
        "fields": "locale,timeZone"}}
    out = capsys.readouterr().out
    assert "en_US -> vi_VN" in out and "kiểm tra" in out
    # set once: a second init changes nothing
    standin.requests.clear()
    assert sheet_command(["init", "--key", US_KEY]) == 0
    assert not standin.requests_to(":batchUpdate")


def test_init_on_a_complete_sheet_only_fixes_the_locale(standin):
    standin.add_spreadsheet(US_KEY, {name: [headers] for name, headers in CANONICAL.items()},
                            locale="en_US")
    before = [s.title for s in standin.spreadsheets[US_KEY].sheets]
    assert sheet_command(["init", "--key", US_KEY]) == 0
    book = standin.spreadsheets[US_KEY]
    assert [s.title for s in book.sheets] == before
    assert book.locale == "vi_VN"
    (update,) = standin.requests_to(":batchUpdate")
    assert [next(iter(r)) for r in update.body["requests"]] == ["updateSpreadsheetProperties"]


def test_init_dry_run_leaves_the_locale(standin, capsys):
    standin.add_spreadsheet(US_KEY, {"Sheet1": []}, locale="en_US")
    assert sheet_command(["init", "--key", US_KEY, "--dry-run"]) == 0
    assert standin.spreadsheets[US_KEY].locale == "en_US"
    assert "en_US -> vi_VN" in capsys.readouterr().out
