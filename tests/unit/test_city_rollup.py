"""The city roll-up's rules (CONTRACT section 6): the registry, the ranking with ties,
the totals recomputed from sums, and what page 1 of the city briefing names."""

from __future__ import annotations

import pytest
from wardbrief.city import document
from wardbrief.city.ranking import ranked
from wardbrief.city.registry import RegistryError, read_registry
from wardbrief.city.rollup import WardFigures, city_json
from wardbrief.city.settings import CitySettings

COUNTS = {"received": 0, "returned": 0, "resolved": 0, "resolved_on_time": 0, "resolved_late": 0, "open": 0,
              "open_overdue": 0, "open_due_soon": 0, "rated": 0, "satisfied": 0}
INTAKE = {"smart_app": 0, "system_1022": 0, "in_person": 0, "other": 0, "unknown": 0}
TASKS = {"total": 0, "done_on_time": 0, "done_late": 0, "in_progress": 0, "overdue": 0, "due_soon": 0,
             "blocked": 0}


def ward(code: str, on_time: int, late: int, overdue: int, avg: float | None = None,
         smart: int = 0) -> WardFigures:
    resolved = on_time + late
    cases = {**COUNTS, "resolved": resolved, "resolved_on_time": on_time, "resolved_late": late,
             "open_overdue": overdue, "open": overdue, "received": resolved + overdue,
             "on_time_rate": on_time / resolved if resolved else None,
             "compliance_rate": on_time / (resolved + overdue) if resolved + overdue else None,
             "avg_working_days": avg}
    return WardFigures(code, f"Phường {code}", True, cases=cases,
                       intake={**INTAKE, "smart_app": smart,
                               "in_person": resolved + overdue - smart},
                       tasks=dict(TASKS), data_errors=1, data_warnings=2)


# --- the registry -------------------------------------------------------------------------

def write(tmp_path, text: str):
    path = tmp_path / "wards.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_registry_resolves_local_sources_from_its_folder(tmp_path):
    path = write(tmp_path, "code,name,source\nw-1,Phường Một,sheets/a.xlsx\n"
                           "w_2,Xã Hai,gsheet:1AbCdEfGhIjKlMnOp\n")
    wards = read_registry(path)
    assert [(w.code, w.name, w.row) for w in wards] == [("w-1", "Phường Một", 2),
                                                      ("w_2", "Xã Hai", 3)]
    assert wards[0].spec == str(tmp_path / "sheets" / "a.xlsx") and wards[0].local
    assert wards[1].spec == "gsheet:1AbCdEfGhIjKlMnOp" and not wards[1].local


@pytest.mark.parametrize("text, words", [
    ("code,name\nw1,A\n", "dòng 1: thiếu cột source"),
    ("code,name,source\nw1,A,a.xlsx\nw1,B,b.xlsx\n", "dòng 3: mã 'w1' đã dùng ở dòng 2"),
    ("code,name,source\nw1,A,a.xlsx\nphường 2,B,b.xlsx\n", "dòng 3: mã 'phường 2'"),
    ("code,name,source\nw1,,a.xlsx\n", "dòng 2 (mã w1): cột name để trống"),
    ("code,name,source\n,A,a.xlsx\n", "dòng 2: cột code để trống"),
    ("code,name,source\nw1,A,\n", "dòng 2 (mã w1): cột source để trống"),
    ("code,name,source\n", "không có phường nào"),
])
def test_registry_errors_name_the_row(tmp_path, text, words):
    with pytest.raises(RegistryError) as caught:
        read_registry(write(tmp_path, text))
    assert words in str(caught.value) and str(tmp_path / "wards.csv") in str(caught.value)


# --- the ranking --------------------------------------------------------------------------

def test_ties_share_a_rank_and_the_next_rank_skips():
    rows = ranked([
        {"code": "d", "cases": {"compliance_rate": None, "open_overdue": 0}},
        {"code": "c", "cases": {"compliance_rate": 0.5, "open_overdue": 3}},
        {"code": "b", "cases": {"compliance_rate": 0.5, "open_overdue": 3}},
        {"code": "a", "cases": {"compliance_rate": 0.5, "open_overdue": 4}},
        {"code": "e", "cases": {"compliance_rate": 0.9, "open_overdue": 9}},
    ])
    assert [(r["code"], r["rank"]) for r in rows] == [("e", 1), ("b", 2), ("c", 2), ("a", 4),
                                                     ("d", 5)]


# --- the totals ---------------------------------------------------------------------------

def test_totals_are_recomputed_from_sums_never_averaged():
    small = ward("a", on_time=1, late=0, overdue=0, avg=2.0)  # 100 %
    large = ward("b", on_time=10, late=30, overdue=10, avg=6.0)  # 25 %, 20 %
    missing = WardFigures("c", "Xã C", False, reason="không tìm thấy bảng tính c.xlsx")
    city = city_json("2026-11-27", "2026-11-01", [large, missing, small])
    totals = city["totals"]
    assert totals["wards_briefed"] == 2 and totals["wards_not_briefed"] == 1
    assert totals["cases"]["resolved"] == 41 and totals["cases"]["resolved_on_time"] == 11
    assert totals["cases"]["on_time_rate"] == 11 / 41  # not (1.0 + 0.25) / 2
    assert totals["cases"]["compliance_rate"] == 11 / 51
    assert totals["cases"]["avg_working_days"] == (2.0 * 1 + 6.0 * 40) / 41
    assert [(w["code"], w["rank"]) for w in city["wards"]] == [("a", 1), ("b", 2)]
    assert city["not_briefed"] == [{"code": "c", "name": "Xã C",
                                    "reason": "không tìm thấy bảng tính c.xlsx"}]


def test_a_city_without_a_ward_briefed_has_null_rates():
    city = city_json("2026-11-27", "2026-11-21",
                     [WardFigures("a", "Xã A", False, reason="không đọc được")])
    assert city["wards"] == [] and city["totals"]["cases"]["on_time_rate"] is None
    assert city["totals"]["cases"]["avg_working_days"] is None
    assert city["totals"]["cases"]["received"] == 0


# --- page 1 ---------------------------------------------------------------------------

def test_page_one_names_the_best_the_worst_and_every_ward_not_briefed():
    city = city_json("2026-11-27", "2026-11-01", [
        ward("a", 9, 1, 0, smart=5), ward("b", 9, 1, 0), ward("c", 2, 2, 4),
        WardFigures("x", "Xã Không Có", False, reason="không tìm thấy bảng tính x.xlsx")])
    city["city"] = CitySettings().as_dict()
    text = " ".join(getattr(b, "text", "") for b in document.summary_blocks(city))
    assert "Dẫn đầu: Phường a và Phường b (tỷ lệ bảo đảm thời hạn 90,0%" in text
    assert "Thấp nhất: Phường c (tỷ lệ bảo đảm thời hạn 25,0%, 4 phản ánh" in text
    assert "Xã Không Có (x): không tìm thấy bảng tính x.xlsx" in text
    doc = document.city_document(city)
    assert doc.names() == ["header", "summary", "ranking", "intake", "quality", "next",
                           "signature"]
    head = doc["header"].blocks[0]
    assert head.issuer == ("ỦY BAN NHÂN DÂN", "THÀNH PHỐ HẢI PHÒNG")
    assert head.date_line == "Hải Phòng, ngày 27 tháng 11 năm 2026"


def test_the_issuer_as_configured():
    assert CitySettings(issuer="UBND tỉnh Quảng Ninh").issuer_lines() == (
        "ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NINH")
    assert CitySettings(issuer="Văn phòng UBND thành phố").issuer_lines() == (
        "VĂN PHÒNG UBND THÀNH PHỐ",)
