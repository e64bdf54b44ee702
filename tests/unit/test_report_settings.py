"""CauHinh settings of the reporting cycle: Ngày chốt số liệu, Người ký, Chức vụ người ký,
Ký hiệu (Số văn bản); they reach metrics.json's `settings`."""

from __future__ import annotations

import pytest
from builders import D, issue_set, metrics, read


def test_defaults_follow_the_decrees():
    s = read().settings
    assert (s.cutoff_day, s.signer_name, s.signer_title, s.doc_symbol) == (
        14, "", "CHỦ TỊCH", "/BC-UBND")


def test_values_apply_and_match_by_key():
    wb = read(settings={"ngay chot so lieu": "20", "Người ký": "Nguyễn Văn An",
                        "CHỨC VỤ NGƯỜI KÝ": "PHÓ CHỦ TỊCH", "ky hieu": "/BC-UBND-VP"})
    assert issue_set(wb) == set()
    s = wb.settings
    assert (s.cutoff_day, s.signer_name, s.signer_title, s.doc_symbol) == (
        20, "Nguyễn Văn An", "PHÓ CHỦ TỊCH", "/BC-UBND-VP")


@pytest.mark.parametrize("value, expected", [(0, 0), ("cuối tháng", 0), ("Cuối tháng", 0),
                                             (14.0, 14), ("28", 28)])
def test_cutoff_values(value, expected):
    wb = read(settings={"Ngày chốt số liệu": value})
    assert issue_set(wb) == set() and wb.settings.cutoff_day == expected


@pytest.mark.parametrize("value", [29, "31", "-1", "giữa tháng", 14.5])
def test_a_cutoff_that_is_not_a_day_keeps_14_with_an_info_issue(value):
    wb = read(settings={"Ngày chốt số liệu": value})
    assert wb.settings.cutoff_day == 14
    infos = [i for i in wb.issues if i.sheet == "CauHinh"]
    assert [(i.row, i.severity) for i in infos] == [(2, "info")]
    assert "Ngày chốt số liệu" in infos[0].message and "14" in infos[0].message


def test_blank_signer_and_symbol_keep_their_defaults_without_an_issue():
    wb = read(settings={"Người ký": None, "Ký hiệu": "  ", "Chức vụ người ký": None})
    s = wb.settings
    assert (s.signer_name, s.doc_symbol, s.signer_title) == ("", "/BC-UBND", "CHỦ TỊCH")
    assert not [i for i in wb.issues if i.sheet == "CauHinh"]


def test_the_settings_and_the_period_reach_metrics():
    m = metrics(D("2026-11-30"), D("2026-11-01"),
                settings={"Ngày chốt số liệu": "cuối tháng", "Người ký": "Trần Thị Bình"})
    assert m["settings"]["cutoff_day"] == 0 and m["settings"]["signer_name"] == "Trần Thị Bình"
    assert m["period"] == {"kind": "custom", "label": "2026-11-01..2026-11-30",
                           "start": "2026-11-01", "end": "2026-11-30"}
    assert "comparisons" not in m
    assert metrics(D("2026-11-30"))["period"]["kind"] == "week"


def test_the_monthly_page_signs_as_cauhinh_says():
    from wardbrief.briefings.report import report_document

    m = metrics(D("2026-11-14"), D("2026-10-15"),
                settings={"Người ký": "Trần Thị Bình", "Chức vụ người ký": "Phó Chủ tịch",
                          "Ký hiệu": "BC-UBND-VP"})
    doc = report_document(m)
    block = doc["signature"].html()
    assert "KT. CHỦ TỊCH" in block and "PHÓ CHỦ TỊCH" in block and "Trần Thị Bình" in block
    assert "/BC-UBND-VP" in doc["header"].html()
    default = report_document(metrics(D("2026-11-14")))["signature"].html()
    assert "TM. ỦY BAN NHÂN DÂN" in default and "(Ký, ghi rõ họ tên)" in default
