"""wardbrief.briefings.briefing: the fragments the notebooks show, from the contract samples.

Two kinds of metrics: the expected files (exactly the contract keys, as a runner on an
older engine would give) and the engine's own metrics of messy.xlsx (with its extras).
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
from builders import FIXTURES
from wardbrief import paths
from wardbrief.briefings import briefing
from wardbrief.briefings.briefing import Briefing, load_briefing
from wardbrief.read.sources import open_source

SCRIPT = "<script>alert('x')</script>"
GLOSSARY_SENTENCE = (
    "Trong kỳ báo cáo (từ ngày 01/11/2026 đến ngày 27/11/2026), Ủy ban nhân dân phường tiếp "
    "nhận 69 phản ánh, kiến nghị qua Hệ thống 1022 và ứng dụng Smart Hải Phòng; đã xử lý, trả "
    "lời 58 phản ánh, trong đó đúng hạn 54 phản ánh (đạt 93,1%), quá hạn 04 phản ánh; hiện còn "
    "32 phản ánh đang xử lý, trong đó 09 phản ánh đã quá hạn."
)
# messy sample: open overdue in KTHTDT (7), TTDVSNC, VHXH; due soon in KTHTDT, TTPVHCC (2), CA
MESSY_REMINDED = ["KTHTDT", "VHXH", "TTPVHCC", "TTDVSNC", "CA"]


def expected(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def messy() -> Briefing:
    """The engine's metrics of messy.xlsx (computed once for the module)."""
    return load_briefing(FIXTURES / "messy.xlsx", "2026-11-27", "2026-11-01")


def test_headline_sentence_reads_as_the_glossary(messy):
    assert messy.headline_sentence() == GLOSSARY_SENTENCE
    assert Briefing(expected("messy")).headline_sentence() == GLOSSARY_SENTENCE


def test_load_briefing_from_metrics_json_equals_computed(messy, tmp_path):
    path = tmp_path / "metrics.json"
    path.write_text(json.dumps(messy.metrics, ensure_ascii=False), encoding="utf-8")
    from_file = load_briefing(metrics_path=path)
    assert from_file.metrics == json.loads(json.dumps(messy.metrics))
    assert from_file.headline_section() == messy.headline_section()


def test_citizen_script_shows_as_text():
    metrics = expected("messy")
    metrics["cases"]["overdue_cases"][0]["summary"] = SCRIPT + ' <img src=x onerror="y">'
    metrics["cases"]["late_cases"][0]["summary"] = "</td></tr><tr><td>bảng giả"
    page = Briefing(metrics).accountability_section()
    assert "<script" not in page and "<img" not in page and "<td>bảng giả" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;bảng giả" in page
    reminder = briefing.reminder_html(metrics, metrics["cases"]["overdue_cases"][0]["department"])
    assert "<script" not in reminder and "&lt;script&gt;" in reminder


def test_every_table_cell_is_escaped_even_staff_text():
    metrics = expected("messy")
    metrics["departments"] = {"KTHTDT": {"name": "<b>Phòng</b> KT", "head": "A & B"}}
    metrics["data_issues"][0]["message"] = SCRIPT
    metrics["data_issues"][0]["link"] = "javascript:alert(1)"
    b = Briefing(metrics)
    html = b.departments_section() + b.accountability_section() + b.issues_sections()
    assert "<b>Phòng" not in html and "&lt;b&gt;Phòng&lt;/b&gt; KT" in html
    assert "A &amp; B" in html
    assert "<script" not in html and "javascript:" not in html


def test_masked_text_stays_masked():
    """The engine masks names and phones; nothing here turns `*` into emphasis or drops
    the placeholder (citizen text never goes through Markdown)."""
    masked = "Chị N*** T*** M*** gọi [số điện thoại], nhà số *7 đường *"
    metrics = expected("messy")
    for case in metrics["cases"]["overdue_cases"]:
        case["summary"] = masked
    b = Briefing(metrics)
    for html in (b.accountability_section(), b.reminders()):
        assert "Chị N*** T*** M*** gọi [số điện thoại], nhà số *7 đường *" in html
        assert "<em>" not in html and "<strong>" not in html


def test_no_reporter_phone_reaches_a_briefing(messy):
    raw = open_source(FIXTURES / "messy.xlsx").tabs["PhanAnh"]
    column = raw[1].index("Số điện thoại")
    cells = [row[column] for row in raw[2:] if len(row) > column and row[column] is not None]
    phones = {re.sub(r"\D", "", str(cell).removesuffix(".0"))[-9:] for cell in cells}
    assert len(phones) > 100
    html = messy.accountability_section() + messy.reminders() + messy.weekly_header()
    digits = re.sub(r"\D", "", re.sub(r"<[^>]+>", " ", html))
    assert not [p for p in phones if p in digits]
    assert "[số điện thoại]" in html  # the sample's "0912… gọi lại giúp", masked


def test_emoji_are_dropped_and_long_text_capped():
    metrics = expected("messy")
    metrics["cases"]["overdue_cases"][0]["summary"] = "Vỉa hè hỏng 👍😡👍 " + "rất dài " * 80
    html = Briefing(metrics).accountability_table()
    assert "👍" not in html and "Vỉa hè hỏng rất dài" in html
    cell = re.search(r"Vỉa hè hỏng[^<]*", html).group(0)
    assert len(cell) <= briefing.TEXT_LIMIT and cell.endswith("…")


def test_accountability_lists_every_late_or_unanswered_case_with_its_head(messy):
    rows = messy.accountability_rows()
    cases = messy.metrics["cases"]
    assert sorted(r["case_id"] for r in rows) == sorted(
        c["case_id"] for c in cases["overdue_cases"] + cases["late_cases"])
    first = rows[0]
    assert first == {**first, "case_id": "PA-2026-000509",
                     "department_name": "Phòng Kinh tế, Hạ tầng và Đô thị",
                     "head": "Trần Văn Hưng", "due": "11/08/2026", "responded": "Chưa trả lời",
                     "working_days_late": "75"}
    # grouped by department: the department with most such cases (KTHTDT, 8) first
    departments = [r["department_name"] for r in rows]
    assert departments[:8] == ["Phòng Kinh tế, Hạ tầng và Đô thị"] * 8
    assert len(set(departments)) == 4
    late = next(r for r in rows if r["case_id"] == "PA-2026-000707")
    assert late["responded"] == "13/11/2026" and late["working_days_late"] == "3"
    assert messy.accountability_by_department()[0] == (
        "Phòng Kinh tế, Hạ tầng và Đô thị (Thủ trưởng: Trần Văn Hưng): 07 phản ánh chưa trả "
        "lời đã quá hạn, 01 phản ánh trả lời không đúng thời hạn.")


def test_ranking_puts_unranked_departments_last(messy):
    ranking = messy.ranking()
    assert [r["rank"] for r in ranking] == [1, 2, 3, None, None, None, None]
    assert [r["department"] for r in ranking[:3]] == ["CA", "TTDVSNC", "KTHTDT"]
    rows = messy.department_rows()
    assert [r["rank"] for r in rows] == ["1", "2", "3"] + ["Không xếp hạng"] * 4
    assert rows[0]["compliance_rate"] == "90,9%" and rows[2]["compliance_rate"] == "75%"
    assert rows[3]["name"] == "Ban Chỉ huy quân sự phường" and rows[3]["compliance_rate"] == "—"
    # a ranking given with the unranked first is still shown with them last
    metrics = copy.deepcopy(messy.metrics)
    metrics["department_ranking"].reverse()
    assert [r["rank"] for r in Briefing(metrics).ranking()][:3] == [3, 2, 1]
    assert Briefing(metrics).ranking()[-1]["rank"] is None


def test_unassigned_cases_are_listed_not_ranked():
    metrics = expected("messy")  # contract keys only: no ranking, every department unranked
    metrics["cases"]["by_department"]["_unassigned"]["received"] = 2
    rows = Briefing(metrics).department_rows()
    assert [r["rank"] for r in rows] == ["Không xếp hạng"] * 8
    assert rows[-1]["name"] == "Chưa xác định đơn vị"


def test_reminder_departments(messy):
    assert briefing.reminder_departments(expected("messy")) == MESSY_REMINDED
    assert briefing.reminder_departments(messy.metrics) == MESSY_REMINDED
    cases = messy.metrics["cases"]
    with_cases = {c["department"] for c in cases["overdue_cases"] + cases["due_soon_cases"]}
    assert set(MESSY_REMINDED) == with_cases
    # clean sample: every department with an overdue or due-soon case, none else
    clean = expected("clean")
    wanted = [code for code, f in clean["cases"]["by_department"].items()
              if code != "_unassigned" and (f["open_overdue"] or f["open_due_soon"])]
    assert briefing.reminder_departments(clean) == wanted


def test_reminder_html_lists_the_departments_cases(messy):
    html = briefing.reminder_html(messy.metrics, "KTHTDT")
    overdue = [c["case_id"] for c in messy.metrics["cases"]["overdue_cases"]
               if c["department"] == "KTHTDT"]
    soon = [c["case_id"] for c in messy.metrics["cases"]["due_soon_cases"]
            if c["department"] == "KTHTDT"]
    assert len(overdue) == 7 and soon == ["PA-2026-000768"]
    assert all(case_id in html for case_id in overdue + soon)
    assert "Phòng Kinh tế, Hạ tầng và Đô thị (đồng chí Trần Văn Hưng)" in html
    assert "PA-2026-000663" not in html  # a VHXH case
    assert html.count('class="wb-reminder"') == 1
    assert messy.reminders().count('class="wb-reminder"') == len(MESSY_REMINDED)


def test_data_issues_errors_first_then_by_sheet(messy):
    issues = messy.issues()
    severities = [i["severity"] for i in issues]
    assert severities == sorted(severities, key=briefing.SEVERITY_ORDER.index)
    errors = [(i["sheet"], i["row"]) for i in issues if i["severity"] == "error"]
    assert errors[0] == ("PhanAnh", 36) and errors[-1] == ("TruyenThong", 59)
    assert messy.issues_summary().startswith("Tổng số: 40 vấn đề, gồm 13 lỗi và 27 cảnh báo")
    html = messy.issues_sections()
    assert html.index("Lỗi (dòng bị loại") < html.index("Cảnh báo (dòng vẫn được tính")


def test_monthly_names_the_units_and_cases_late_or_unanswered(messy):
    text = messy.monthly_shortcomings_section()
    assert ("Phòng Kinh tế, Hạ tầng và Đô thị: 07 phản ánh chưa trả lời đã quá hạn "
            "(PA-2026-000509, PA-2026-000550") in text
    assert "Công an phường: 01 phản ánh trả lời không đúng thời hạn (PA-2026-000724)." in text
    header = messy.monthly_header()
    assert "PHƯỜNG ĐÔNG HẢI" in header and "Số:" in header and "/BC-UBND" in header
    assert "Đông Hải, ngày 27 tháng 11 năm 2026" in header
    assert "tháng\u00a011/2026" in header


def test_headline_table_against_previous_period_and_target(messy):
    rows = {r["label"]: r for r in messy.headline_rows()}
    received = rows["Số phản ánh, kiến nghị tiếp nhận trong kỳ"]
    assert (received["now"], received["before"]) == ("69", "67")
    assert received["change"] == "▲ tăng 2"
    rate = rows["Tỷ lệ xử lý đúng hạn"]
    assert rate["now"] == "93,1%" and rate["target"] == "95% — Chưa đạt"
    overdue = rows["Chưa trả lời, đã quá hạn"]
    assert overdue["now"] == "9" and overdue["_class"] == "wb-worse"


def test_contract_keys_only_still_render():
    b = Briefing(expected("clean"))
    for part in (b.weekly_header(), b.headline_section(), b.trend_section(),
                 b.departments_section(), b.compliance_chart(2), b.accountability_section(),
                 b.tasks_section(), b.campaign_section(), b.monthly_header(),
                 b.monthly_cases_section(), b.monthly_departments_section(),
                 b.monthly_campaign_section(), b.monthly_smart_city_section(),
                 b.monthly_shortcomings_section(), b.monthly_next_section(),
                 b.signature_block(), b.reminders(), b.data_quality_header(), b.rows_table(),
                 b.issues_sections()):
        assert isinstance(part, str)


def test_charts_are_pngs(messy):
    assert messy.trend_chart(1).startswith('<figure class="wb-figure"><img src="data:image/png')
    assert "Biểu đồ 2." in messy.compliance_chart(2)


def test_sources_and_periods(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    resolved = paths.resolve_source("tests/fixtures/clean.xlsx")
    assert Path(resolved) == paths.REPO_ROOT / "tests/fixtures/clean.xlsx"
    assert paths.resolve_source("gsheet:abc") == "gsheet:abc"
    assert paths.resolve_source(None).endswith("data/donghai-demo.xlsx")
    # the monthly report's period is that of Nghị định 09/2019 (figures.periods)
    monthly = briefing.load_briefing("tests/fixtures/clean.xlsx", "2026-11-27",
                                     report="monthly_report").metrics
    assert (monthly["period_start"], monthly["as_of"]) == ("2026-10-15", "2026-11-14")
    assert monthly["period"]["label"] == "2026-11"
    weekly = briefing.load_briefing("tests/fixtures/clean.xlsx", "2026-11-27").metrics
    assert (weekly["period_start"], weekly["as_of"]) == ("2026-11-21", "2026-11-27")
    given = briefing.load_briefing("tests/fixtures/clean.xlsx", "2026-11-27", "2026-11-01",
                                   report="monthly_report").metrics
    assert (given["period_start"], given["period"]["kind"]) == ("2026-11-01", "custom")


def test_ward_name_override():
    metrics = copy.deepcopy(expected("messy"))
    b = Briefing(metrics, ward_name="Phường Hải An")
    assert "PHƯỜNG HẢI AN" in b.monthly_header()
    assert "Hải An, ngày 27 tháng 11 năm 2026" in b.monthly_header()
