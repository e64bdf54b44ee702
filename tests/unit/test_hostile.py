"""Hostile cells, one fault at a time: out-of-range dates and numbers, blank names, raw
personal data in issue messages (issue 14). The property tests (test_properties.py)
throw random combinations of the same at the reader."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from builders import CODES, DEPARTMENTS, D, case, issues_at, metrics, read, task
from wardbrief.briefings import reminder
from wardbrief.briefings.briefing import Briefing
from wardbrief.figures.calendar import workbook_calendar
from wardbrief.figures.metrics import compute_metrics
from wardbrief.figures.metrics_files import csv_tables, metrics_json
from wardbrief.publish.file_names import reminder_file_names, safe_file_name

AS_OF, START = D("2026-11-27"), D("2026-11-01")


def _messages(wb, sheet: str) -> list[str]:
    return [i.message for i in wb.issues if i.sheet == sheet]


# --- dates ------------------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["27/11/2620", "2620-11-27", 132322, 2958465.0,
                                  dt.date(2620, 11, 27), dt.datetime(1500, 1, 1),
                                  "31/12/1899", float("inf")])
def test_a_received_date_out_of_range_rejects_the_row(cell):
    wb = read(cases=[case("PA1", cell), case("PA2", D("2026-11-20"))])
    assert wb.rows["PhanAnh"] == {"total": 2, "valid": 1, "rejected": 1}
    [issue] = issues_at(wb, "PhanAnh", 2)
    assert issue.column == "Ngày tiếp nhận" and issue.severity == "error"
    assert "không đọc được" in issue.message
    compute_metrics(wb, AS_OF, START)  # and the figures are made


@pytest.mark.parametrize("field", ["assigned", "due", "extended", "responded"])
def test_other_case_dates_out_of_range_are_warnings(field):
    wb = read(cases=[case("PA1", D("2026-11-20"), **{field: "27/11/2620"})])
    [issue] = issues_at(wb, "PhanAnh", 2)
    assert issue.severity == "warning" and "27/11/2620" in issue.message
    json.loads(metrics_json(compute_metrics(wb, AS_OF, START)))


def test_task_and_post_dates_out_of_range():
    wb = read(tasks=[task("NV1", assigned=dt.date(2620, 1, 1), due=99999999)],
              posts=[{"date": "01/01/3000", "channel": "Zalo"}])
    assert len(issues_at(wb, "NhiemVu", 2)) == 2
    assert wb.rows["TruyenThong"] == {"total": 1, "valid": 0, "rejected": 1}
    json.loads(metrics_json(compute_metrics(wb, AS_OF, START)))


def test_the_latest_dates_with_the_longest_limit_make_figures():
    """Received 31/12/2100 + 365 working days: the calendar reaches that far, no further."""
    wb = read(cases=[case("PA1", "31/12/2100", category="Dài"),
                     case("PA2", "01/01/1900")],
              categories=[{"name": "Dài", "limit": 365}],
              tasks=[task("NV1", assigned="31/12/2100", due="31/12/2100")])
    m = compute_metrics(wb, D("2100-12-31"), D("2100-12-01"))
    assert m["cases"]["totals"]["received"] == 1 and m["cases"]["totals"]["open"] == 2
    assert m["tasks"]["totals"]["total"] == 1
    cal = workbook_calendar(wb)
    assert len(cal.cum) < 45_000  # 1990-2100 and a tail of 400 + 2 * 365 days at most
    assert str(cal.days[0]) == "1989-12-31" and str(cal.days[-1]) > "2102-06-01"


# --- numbers -------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [10**7, 10**10, "1e400", float("inf"), "nan", 0, 366, -3,
                                   2.5, "abc", 10**400])
def test_default_limit_out_of_range_is_a_warning_and_costs_nothing(value):
    """The value never reaches the cases' limits nor the working-day calendar (its tail
    is twice the longest limit): the figures are made on the calendar of the default."""
    cases = [case("PA1", D("2026-11-20"))]
    wb = read(settings={"Thời hạn mặc định": value}, cases=cases)
    m = compute_metrics(wb, AS_OF, START)
    assert m["settings"]["default_limit"] == 10
    [issue] = [i for i in m["data_issues"] if i["sheet"] == "CauHinh"]
    assert issue["severity"] == "warning" and "từ 1 đến 365" in issue["message"]
    assert wb.cases["limit_days"].tolist() == [10]
    default = read(cases=cases)
    compute_metrics(default, AS_OF, START)
    assert wb.calendar_cache.days[-1] == default.calendar_cache.days[-1]
    assert len(wb.calendar_cache.cum) == len(default.calendar_cache.cum) < 2_000


@pytest.mark.parametrize("value, expected", [(365, 365), (1, 1), ("30", 30)])
def test_default_limit_in_range(value, expected):
    m = metrics(AS_OF, START, settings={"Thời hạn mặc định": value})
    assert m["settings"]["default_limit"] == expected


@pytest.mark.parametrize("setting, value, default", [
    ("Sắp đến hạn", 61, 2), ("Sắp đến hạn", "inf", 2), ("Sắp đến hạn", 10**9, 2),
    ("Chỉ tiêu đúng hạn", "nan", 0.95), ("Chỉ tiêu đúng hạn", "inf%", 0.95),
    ("Chỉ tiêu đúng hạn", 101, 0.95), ("Chỉ tiêu đúng hạn", "1e400", 0.95),
])
def test_settings_out_of_range_keep_their_default(setting, value, default):
    m = metrics(AS_OF, START, settings={setting: value})
    key = "due_soon_days" if setting == "Sắp đến hạn" else "on_time_target"
    assert m["settings"][key] == default
    assert [i["sheet"] for i in m["data_issues"]] == ["CauHinh"]
    json.loads(metrics_json(m))


@pytest.mark.parametrize("value", ["inf", "1e400", float("nan"), float("inf"), 10_001,
                                   -1, 10**400])
def test_monthly_targets_are_bounded(value):
    m = metrics(AS_OF, START, targets=[{"channel": "Facebook", "target": value},
                                       {"channel": "Zalo", "target": 10_000}])
    assert m["communications"]["month"]["targets"]["social"] == 10_000
    [issue] = [i for i in m["data_issues"] if i["sheet"] == "ChiTieu"]
    assert "từ 0 đến 10.000" in issue["message"]


@pytest.mark.parametrize("value", [367, 10**7, "1e400", "inf"])
def test_category_limits_are_bounded(value):
    wb = read(categories=[{"name": "Môi trường", "limit": value}])
    [issue] = [i for i in wb.issues if i.sheet == "LinhVuc"]
    assert "từ 1 đến 365" in issue.message and wb.categories["limit"].isna().all()


@pytest.mark.parametrize("value", ["inf", "1e400", "nan", "-inf%", 1e300])
def test_progress_out_of_range_is_not_used(value):
    m = metrics(AS_OF, START, tasks=[task("NV1", assigned=D("2026-11-02"), progress=value)])
    assert m["tasks"]["items"][0]["progress"] is None
    json.loads(metrics_json(m))


# --- null names ------------------------------------------------------------------------------

def _blank_head_metrics() -> dict:
    departments = [dict(d) for d in DEPARTMENTS]
    departments[0]["head"] = None
    departments[1]["name"] = "   "
    return metrics(AS_OF, START, departments=departments, cases=[
        case("PA1", D("2026-11-02"), department="VP"),
        case("PA2", D("2026-11-02")),
        case("PA3", D("2026-11-02"), department="VHXH")])


def test_missing_names_and_heads_are_null_and_json_is_strict():
    m = _blank_head_metrics()
    text = metrics_json(m)
    assert "NaN" not in text and json.loads(text) == m
    assert m["departments"]["VP"]["head"] is None
    assert m["departments"]["VHXH"]["name"] == "VHXH"  # a blank name: the code
    overdue = {c["case_id"]: c for c in m["cases"]["overdue_cases"]}
    assert overdue["PA1"]["head"] is None and overdue["PA2"]["head"] is None
    assert overdue["PA2"]["department_name"] == "Chưa xác định đơn vị"
    for rows in csv_tables(m).values():
        assert not [c for row in rows for c in row if str(c) == "nan"]


def test_reminder_to_a_department_without_head_reads_right():
    m = _blank_head_metrics()
    # the addressee line of the reminders (issue 10), reading right without a head; the
    # office's own goes to the Chairman
    assert Briefing(m).addressee("VP") == "Kính gửi: Chánh Văn phòng HĐND - UBND"
    html = reminder.reminders(m, ["VP"]).html()
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân phường" in html
    assert "nan" not in html and "Đồng chí" not in html
    assert ("Kính gửi: Đồng chí Trần Thị Bình, Thủ trưởng VHXH<"
            in reminder.reminders(m, ["VHXH"]).html())


def test_metrics_json_refuses_nan():
    with pytest.raises(ValueError):
        metrics_json({"x": float("nan")})


# --- personal data in issue messages ------------------------------------------------------

def test_issue_messages_carry_no_raw_personal_data():
    raw = "Đã gọi Bùi Thế Dũng 0987 333 444, mail dung.bui@gmail.com"
    wb = read(cases=[case("PA1", D("2026-11-20"), reporter="Bùi Thế Dũng", status=raw,
                          rating=raw, department=raw),
                     case("PA2", raw, reporter="Lê Thị Hoa", category="Lê Thi Hoa 0912345678")])
    m = compute_metrics(wb, AS_OF, START)
    texts = [metrics_json(m)] + [str(r) for rows in csv_tables(m).values() for r in rows]
    for text in texts:
        for leak in ("Bùi Thế Dũng", "0987", "333 444", "dung.bui", "Lê Thi Hoa", "0912345678"):
            assert leak not in text
    messages = _messages(wb, "PhanAnh")
    assert "Trạng thái 'Đã gọi B.T.D. [số điện thoại], mail [thư điện tử]' không thuộc" in (
        " ".join(messages))


def test_a_huge_cell_is_quoted_short():
    huge = "Đã gọi 0987 333 444 " + "x" * 1_000_000
    wb = read(cases=[case(f"PA{i}", D("2026-11-20"), status=huge + str(i)) for i in range(20)])
    messages = _messages(wb, "PhanAnh")
    assert len(messages) == 20 and max(len(t) for t in messages) < 250
    assert all("Trạng thái 'Đã gọi [số điện thoại] xxx" in t for t in messages)


# --- reminder files ------------------------------------------------------------------------

def test_reminder_files_never_collide():
    codes = ["KTĐT", "KTƯT", "KT ĐT", "KT_ĐT", "kt_dt", "VP", "../VP", "CA"] + CODES
    stems = reminder_file_names(codes)
    assert stems["KTĐT"] == "KTDT" and stems["KTƯT"] == "KTUT"
    assert stems["KT ĐT"] == "KT_DT" and stems["KT_ĐT"] == "KT_DT-2"
    assert stems["kt_dt"] == "kt_dt-3"  # distinct on a case-insensitive disk too
    assert len({s.lower() for s in stems.values()}) == len(stems)
    assert all(s.isascii() and "/" not in s and not s.startswith(".") for s in stems.values())
    assert reminder_file_names(list(reversed(codes)))["VP"] == "VP"
    assert reminder_file_names(codes) == stems  # deterministic
    assert safe_file_name("Đội TTĐT") == "Doi_TTDT"


# --- the commands, on a file ------------------------------------------------------------------

def test_check_and_metrics_on_a_workbook_with_dates_out_of_range(tmp_path, capsys):
    import openpyxl
    from wardbrief.commands import cli

    book = openpyxl.Workbook()
    donvi = book.active
    donvi.title = "DonVi"
    donvi.append(["Mã đơn vị", "Tên đơn vị", "Thủ trưởng"])
    donvi.append(["VP", "Văn phòng", None])
    cases = book.create_sheet("PhanAnh")
    cases.append(["Mã phản ánh", "Ngày tiếp nhận", "Đơn vị xử lý", "Ngày trả lời"])
    cases.append(["PA1", "27/11/2620", "VP", None])
    cases.append(["PA2", dt.datetime(2620, 11, 27), "VP", None])
    cases.append(["PA3", 200000, "VP", None])
    cases.append(["PA4", dt.date(2026, 11, 20), "VP", dt.datetime(2620, 1, 1)])
    cases.append(["PA5", dt.date(2026, 11, 20), None, None])
    settings = book.create_sheet("CauHinh")
    settings.append(["Tham số", "Giá trị"])
    settings.append(["Thời hạn mặc định", 10**7])
    path = tmp_path / "far.xlsx"
    book.save(path)

    assert cli.main(["check", "--source", str(path)]) == 1
    out = capsys.readouterr().out
    assert "27/11/2620" in out and "PhanAnh 2/5 dòng hợp lệ" in out
    target = tmp_path / "out" / "metrics.json"
    assert cli.main(["metrics", "--source", str(path), "--as-of", "2026-11-27",
                     "-o", str(target)]) == 0
    m = json.loads(target.read_text(encoding="utf-8"))
    assert m["rows"]["PhanAnh"] == {"total": 5, "valid": 2, "rejected": 3}
    assert m["departments"]["VP"]["head"] is None
    capsys.readouterr()
    with pytest.raises(SystemExit):
        cli.main(["metrics", "--source", str(path), "--as-of", "2620-11-27"])
    assert "outside 1900-01-01 .. 2100-12-31" in capsys.readouterr().err


def test_a_month_first_date_far_out_of_range_is_no_notice_and_no_crash():
    # found by the property test: `14/6/9999` read month-first is beyond pandas' range
    from wardbrief.read.dates import month_first_only

    flags = month_first_only(pd.Series(["6/14/9999", "8/13/2026", "13/08/2026", None],
                                       index=[1, 2, 3, 4]))
    assert flags.tolist() == [False, True, False, False]
