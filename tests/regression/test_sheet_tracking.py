"""`sheet publish` writes the `Theo dõi` and `Lỗi dữ liệu` tabs through the Sheets stand-in:
RAW, in the order and with the figures of metrics.json, rewritten on each publish, never
read back as data."""

from __future__ import annotations

import argparse
import datetime as dt

import pytest
from builders import FIXTURES
from sheets_standin import SheetsStandIn, isolate
from wardbrief.briefings import labels
from wardbrief.commands import sheet
from wardbrief.figures import exports
from wardbrief.figures.metrics import compute_metrics
from wardbrief.read.contract import read_workbook
from wardbrief.read.sources.gsheet import is_summary_tab, open_gsheet

KEY = "1MessyDongHaiSheet_2026-abc"
AS_OF = dt.date(2026, 11, 27)


@pytest.fixture
def standin(monkeypatch, tmp_path):
    isolate(monkeypatch, tmp_path)
    with SheetsStandIn() as server:
        server.add_xlsx(KEY, FIXTURES / "messy.xlsx")
        monkeypatch.setenv("WARDBRIEF_SHEETS_API", server.base_url)
        yield server


def publish(tmp_path) -> int:
    parser = argparse.ArgumentParser(prog="wardbrief")
    sheet.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["sheet", "publish", "--key", KEY, "--as-of", AS_OF.isoformat(),
                              "--snapshot-dir", str(tmp_path / "snaps")])
    return args.func(args)


def test_written_tabs_are_not_read_as_data():
    assert all(is_summary_tab(t) for t in ("Tổng hợp", "Theo dõi", "theo doi", "LỖI DỮ LIỆU",
                                          "Loi du lieu"))
    assert not any(is_summary_tab(t) for t in ("PhanAnh", "NhiemVu", "DonVi", "Theo dõi 2"))


def test_publish_writes_theo_doi_and_loi_du_lieu_raw_as_metrics_say(standin, tmp_path):
    raw = open_gsheet(f"gsheet:{KEY}", snapshot_dir=tmp_path / "snaps")
    metrics = compute_metrics(read_workbook(raw), AS_OF)
    assert publish(tmp_path) == 0

    for title in ("Theo dõi", "Lỗi dữ liệu"):
        [put] = standin.requests_to(f"/values/'{title}'!A1", "PUT")
        assert put.param("valueInputOption") == "RAW"

    rows = standin.sheet(KEY, "Theo dõi").values()
    assert rows[0] == ["THEO DÕI THỜI HẠN XỬ LÝ - tính đến hết ngày 27/11/2026"]
    header = rows.index([c.header for c in exports.OPEN_CASE_COLUMNS])
    cases = rows[header + 1: header + 1 + len(metrics["open_cases"])]
    assert [r[0] for r in cases] == [c["case_id"] for c in metrics["open_cases"]]
    assert [r[4] for r in cases] == [c["working_days_left"] for c in metrics["open_cases"]]
    assert [r[5] for r in cases] == [labels.TRACKING_STATES[c["state"]]
                                     for c in metrics["open_cases"]]
    names = {code: info["name"] for code, info in metrics["departments"].items()}
    assert [r[1] for r in cases] == [names[c["department"]] if c["department"] != "_unassigned"
                                     else labels.UNASSIGNED for c in metrics["open_cases"]]
    overdue = [r for r in cases if r[5] == "quá hạn"]
    assert len(overdue) == metrics["cases"]["totals"]["open_overdue"]
    assert cases[0][4] == -metrics["cases"]["overdue_cases"][0]["working_days_late"]
    task_header = rows.index([c.header for c in exports.OPEN_TASK_COLUMNS])
    tasks = rows[task_header + 1:]
    assert [r[0] for r in tasks] == [t["task_id"] for t in metrics["open_tasks"]]
    assert task_header > header + len(metrics["open_cases"])

    issues = standin.sheet(KEY, "Lỗi dữ liệu").values()
    assert issues[3] == [c.header for c in exports.ISSUE_COLUMNS]
    body = issues[4:]
    # each tab by its title in the sheet (`Truyền thông`), the contract's name for none
    assert [(r[1], r[2]) for r in body] == [(i.get("sheet_title") or i["sheet"],
                                             i["row"] if i["row"] is not None else "")
                                            for i in metrics["data_issues"]]
    assert "Truyền thông" in {r[1] for r in body} and "TruyenThong" not in {r[1] for r in body}
    gids = {s.title: s.sheet_id for s in standin.spreadsheets[KEY].sheets}
    phan_anh = next(r for r in body if r[1] == "PhanAnh" and r[6])
    assert f"/d/{KEY}/edit#gid={gids['PhanAnh']}&range=" in phan_anh[6]
    assert phan_anh[6].endswith(str(phan_anh[2]))  # the A1 cell of that row

    # not read back: the next pull has the same tabs and fingerprint
    again = open_gsheet(f"gsheet:{KEY}", snapshot_dir=tmp_path / "snaps")
    assert "Theo dõi" not in again.tabs and "Lỗi dữ liệu" not in again.tabs
    assert again.fingerprint == raw.fingerprint

    # rewritten on each publish: leftovers go, no second tab is added
    standin.sheet(KEY, "Theo dõi").rows.append(["ghi tay của cán bộ"])
    standin.requests.clear()
    assert publish(tmp_path) == 0
    assert ["ghi tay của cán bộ"] not in standin.sheet(KEY, "Theo dõi").values()
    assert len(standin.requests_to("/values/'Theo dõi':clear", "POST")) == 1
    titles = [s.title for s in standin.spreadsheets[KEY].sheets]
    assert titles.count("Theo dõi") == 1 and titles.count("Lỗi dữ liệu") == 1
