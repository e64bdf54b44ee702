"""Snapshots: every pull kept as JSON with its fingerprint; the newest is the stale fallback."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from builders import FIXTURES
from wardbrief.read.sources.base import RawWorkbook
from wardbrief.read.sources.local import read_xlsx
from wardbrief.read.sources.snapshots import (
    SCHEMA,
    latest_snapshot,
    load_snapshot,
    save_snapshot,
    snapshot_name,
)

URL = "https://docs.google.com/spreadsheets/d/{}"


def workbook(key: str, head: str, taken_at: dt.datetime) -> RawWorkbook:
    tabs = {
        "DonVi": [["Mã đơn vị", "Tên đơn vị", "Thủ trưởng"], ["VP", "Văn phòng", head]],
        "PhanAnh": [[], ["Mã phản ánh", "Ngày tiếp nhận"], ["PA-1", 46353.0], ["PA-2", None]],
    }
    return RawWorkbook(kind="gsheet", location=URL.format(key), tabs=tabs, taken_at=taken_at)


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, 27, hour, minute, tzinfo=dt.UTC)


def test_snapshot_round_trips_cells_fingerprint_and_sheet_ids(tmp_path):
    raw = workbook("1KeyAAAAAAAAAA", "Nguyễn Thị Thu Hà", at(1, 2))
    path = save_snapshot(raw, tmp_path, spreadsheet_id="1KeyAAAAAAAAAA",
                         sheet_ids={"DonVi": 0, "PhanAnh": 1234})
    assert path.name == f"20261127T010200000000Z-{raw.fingerprint[7:19]}.json"
    body = json.loads(path.read_text(encoding="utf-8"))
    assert body["schema"] == SCHEMA and body["kind"] == "gsheet"
    assert body["taken_at"] == "2026-11-27T01:02:00+00:00"
    assert "Nguyễn Thị Thu Hà" in path.read_text(encoding="utf-8")  # UTF-8, not \\u escapes

    snap = load_snapshot(path)
    assert snap.raw.tabs == raw.tabs
    assert snap.raw.fingerprint == raw.fingerprint
    assert snap.raw.taken_at == raw.taken_at
    assert snap.raw.location == raw.location and snap.raw.kind == "gsheet"
    assert snap.raw.stale is True
    assert snap.spreadsheet_id == "1KeyAAAAAAAAAA"
    assert snap.sheet_ids == {"DonVi": 0, "PhanAnh": 1234}
    assert not list(tmp_path.glob(".tmp-*"))  # written atomically, nothing left behind


def test_dates_and_datetimes_are_encoded(tmp_path):
    local = read_xlsx(FIXTURES / "messy.xlsx")  # a local workbook: date cells are dates
    extra = [[dt.date(2026, 9, 2), dt.datetime(2026, 9, 2, 7, 30), True, 1.5, None]]
    raw = RawWorkbook(kind="xlsx", location=local.location, tabs={**local.tabs, "Extra": extra},
                      taken_at=at(8))
    path = save_snapshot(raw, tmp_path)
    snap = load_snapshot(path)
    assert snap.raw.tabs == raw.tabs
    assert snap.raw.fingerprint == raw.fingerprint
    assert snap.raw.tabs["Extra"][0] == [dt.date(2026, 9, 2), dt.datetime(2026, 9, 2, 7, 30),
                                         True, 1.5, None]
    assert type(snap.raw.tabs["Extra"][0][0]) is dt.date
    body = json.loads(path.read_text(encoding="utf-8"))
    assert body["tabs"]["Extra"][0][:2] == [{"$date": "2026-09-02"},
                                            {"$datetime": "2026-09-02T07:30:00"}]
    assert body["tabs"]["NgayNghi"][1][0] == {"$date": "2026-01-02"}


def test_latest_snapshot_is_the_newest_of_that_spreadsheet(tmp_path):
    for key, head, hour in [("1KeyAAAAAAAAAA", "old", 1), ("1KeyAAAAAAAAAA", "new", 9),
                            ("1KeyAAAAAAAAAA", "middle", 5), ("1KeyBBBBBBBBBB", "other", 23)]:
        save_snapshot(workbook(key, head, at(hour)), tmp_path, spreadsheet_id=key)

    newest = latest_snapshot(tmp_path, spreadsheet_id="1KeyAAAAAAAAAA")
    assert newest is not None
    assert newest.raw.tabs["DonVi"][1][2] == "new" and newest.raw.taken_at == at(9)
    other = latest_snapshot(tmp_path, location=URL.format("1KeyBBBBBBBBBB"))
    assert other is not None and other.raw.tabs["DonVi"][1][2] == "other"
    assert latest_snapshot(tmp_path, spreadsheet_id="1KeyCCCCCCCCCC") is None
    assert latest_snapshot(tmp_path / "nowhere", spreadsheet_id="1KeyAAAAAAAAAA") is None


def test_damaged_or_foreign_files_are_skipped(tmp_path, caplog):
    good = save_snapshot(workbook("1KeyAAAAAAAAAA", "good", at(1)), tmp_path,
                         spreadsheet_id="1KeyAAAAAAAAAA")
    edited = save_snapshot(workbook("1KeyAAAAAAAAAA", "edited", at(2)), tmp_path,
                           spreadsheet_id="1KeyAAAAAAAAAA")
    body = json.loads(edited.read_text(encoding="utf-8"))
    body["tabs"]["DonVi"][1][2] = "tampered"  # cells no longer match the fingerprint
    edited.write_text(json.dumps(body), encoding="utf-8")
    (tmp_path / "zz-notes.json").write_text('{"hello": 1}', encoding="utf-8")
    (tmp_path / "zz-broken.json").write_text("{not json", encoding="utf-8")

    with pytest.raises(ValueError, match="damaged"):
        load_snapshot(edited)
    snap = latest_snapshot(tmp_path, spreadsheet_id="1KeyAAAAAAAAAA")
    assert snap is not None and snap.path == good
    assert "damaged" in caplog.text


def test_snapshot_name_is_utc():
    hanoi = dt.timezone(dt.timedelta(hours=7))
    name = snapshot_name(dt.datetime(2026, 11, 27, 8, 30, tzinfo=hanoi), "sha256:abcdef0123456789")
    assert name == "20261127T013000000000Z-abcdef012345.json"
