"""wardbrief.briefings.briefing: the fragments the notebooks show, from the contract samples.

Two kinds of metrics: the expected files (exactly the contract keys, as a runner on an
older engine would give) and the engine's own metrics of messy.xlsx (with its extras).
"""

from __future__ import annotations

import copy
import json
import re

import pytest
from builders import FIXTURES, REPO
from wardbrief import paths
from wardbrief.briefings import briefing, labels, reminder, sections
from wardbrief.briefings.briefing import Briefing, load_briefing
from wardbrief.briefings.documents import data_quality_document
from wardbrief.briefings.report import report_document
from wardbrief.document.model import Figure, Items, Paragraph, Section, Table, flat
from wardbrief.read.sources import open_source


def blocks_of(section, kind):
    """The blocks of one kind of a model section, in reading order (groups opened)."""
    return [b for b in flat(section.blocks) if isinstance(b, kind)]

SCRIPT = "<script>alert('x')</script>"
# The glossary's sentence, with how the cases came in: messy.xlsx's 69 include 12 taken in
# person, so not "qua Hệ thống 1022 và ứng dụng Smart Hải Phòng".
GLOSSARY_SENTENCE = (
    "Trong kỳ báo cáo (từ ngày 01/11/2026 đến ngày 27/11/2026), Ủy ban nhân dân phường tiếp "
    "nhận 69 phản ánh, kiến nghị (40 qua ứng dụng Smart Hải Phòng, 17 qua Hệ thống 1022, 12 "
    "trực tiếp tại trụ sở); đã xử lý, trả lời 58 phản ánh, trong đó đúng hạn 54 phản ánh (đạt "
    "93,1%), quá hạn 04 phản ánh; hiện còn 32 phản ánh đang xử lý, trong đó 09 phản ánh đã "
    "quá hạn."
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


@pytest.mark.parametrize(("intake", "phrase"), [
    ({"smart_app": 50, "system_1022": 19},
     "69 phản ánh, kiến nghị qua Hệ thống 1022 và ứng dụng Smart Hải Phòng; đã xử lý"),
    ({"system_1022": 69, "in_person": 0}, "69 phản ánh, kiến nghị qua Hệ thống 1022; đã xử lý"),
    ({"smart_app": 60, "unknown": 9},
     ("69 phản ánh, kiến nghị (60 qua ứng dụng Smart Hải Phòng, 09 không ghi kênh tiếp nhận); "
     "đã xử lý")),
    ({}, "69 phản ánh, kiến nghị; đã xử lý"),
])
def test_the_intake_sentence_names_the_channels_the_cases_came_by(intake, phrase):
    metrics = expected("messy")
    metrics["cases"]["intake"] = intake
    assert phrase in Briefing(metrics).headline_sentence()


def test_load_briefing_from_metrics_json_equals_computed(messy, tmp_path):
    path = tmp_path / "metrics.json"
    path.write_text(json.dumps(messy.metrics, ensure_ascii=False), encoding="utf-8")
    from_file = load_briefing(metrics_path=path)
    assert from_file.metrics == json.loads(json.dumps(messy.metrics))
    assert from_file.headline_section().html() == messy.headline_section().html()


def test_citizen_script_shows_as_text():
    metrics = expected("messy")
    metrics["cases"]["overdue_cases"][0]["summary"] = SCRIPT + ' <img src=x onerror="y">'
    metrics["cases"]["late_cases"][0]["summary"] = "</td></tr><tr><td>bảng giả"
    page = Briefing(metrics).annex_section().html()
    assert "<script" not in page and "<img" not in page and "<td>bảng giả" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;bảng giả" in page
    page = reminder.reminders(metrics, [metrics["cases"]["overdue_cases"][0]["department"]]).html()
    assert "<script" not in page and "&lt;script&gt;" in page


def test_every_table_cell_is_escaped_even_staff_text():
    metrics = expected("messy")
    metrics["departments"] = {"KTHTDT": {"name": "<b>Phòng</b> KT", "head": "A & B"}}
    metrics["data_issues"][0]["message"] = SCRIPT
    metrics["data_issues"][0]["link"] = "javascript:alert(1)"
    b = Briefing(metrics)
    html = "".join(str(part) for part in (b.departments_section(), b.accountability_section(),
                                          *data_quality_document(metrics)))
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
    for html in (b.annex_section().html(), reminder.reminders(metrics).html()):
        assert "Chị N*** T*** M*** gọi [số điện thoại], nhà số *7 đường *" in html
        assert "<em>" not in html and "<strong>" not in html


def test_no_reporter_phone_reaches_a_briefing(messy):
    raw = open_source(FIXTURES / "messy.xlsx").tabs["PhanAnh"]
    column = raw[1].index("Số điện thoại")
    cells = [row[column] for row in raw[2:] if len(row) > column and row[column] is not None]
    phones = {re.sub(r"\D", "", str(cell).removesuffix(".0"))[-9:] for cell in cells}
    assert len(phones) > 100
    html = "".join(str(part) for part in (messy.annex_section(), messy.weekly_header()))
    html += reminder.reminders(messy.metrics).html()
    digits = re.sub(r"\D", "", re.sub(r"<[^>]+>", " ", html))
    assert not [p for p in phones if p in digits]
    assert "[số điện thoại]" in html  # the sample's "0912… gọi lại giúp", masked


def test_emoji_are_dropped_and_long_text_capped():
    metrics = expected("messy")
    metrics["cases"]["overdue_cases"][0]["summary"] = "Vỉa hè hỏng 👍😡👍 " + "rất dài " * 80
    html = Briefing(metrics).annex_section().html()
    assert "👍" not in html and "Vỉa hè hỏng rất dài" in html
    cell = re.search(r"Vỉa hè hỏng[^<]*", html).group(0)
    assert len(cell) <= sections.TEXT_LIMIT and cell.endswith("…")
    short = Briefing(metrics).accountability_section().html()  # the briefing's top list
    cell = re.search(r"Vỉa hè hỏng[^<]*", short).group(0)
    assert len(cell) <= briefing.SHORT_TEXT and cell.endswith("…")


def test_accountability_lists_every_late_or_unanswered_case_with_its_head(messy):
    rows = messy.accountability_rows()
    cases = messy.metrics["cases"]
    assert sorted(r["case_id"] for r in rows) == sorted(
        c["case_id"] for c in cases["overdue_cases"] + cases["late_cases"])
    first = rows[0]
    assert first == {**first, "case_id": "PA-2026-000509",
                     "department_name": "Phòng Kinh tế, Hạ tầng và Đô thị",
                     "head": "Trần Văn Hưng", "due": "2026-08-11", "responded": "Chưa trả lời",
                     "working_days_late": 75}
    # grouped by department: the department with most such cases (KTHTDT, 8) first
    departments = [r["department_name"] for r in rows]
    assert departments[:8] == ["Phòng Kinh tế, Hạ tầng và Đô thị"] * 8
    assert len(set(departments)) == 4
    late = next(r for r in rows if r["case_id"] == "PA-2026-000707")
    assert late["responded"] == "2026-11-13" and late["working_days_late"] == 3
    counts = messy.accountable_by_department()
    assert [(r["code"], r["unanswered"], r["late"], r["longest"]) for r in counts] == [
        ("KTHTDT", 7, 1, 75), ("TTDVSNC", 1, 2, 74), ("VHXH", 1, 0, 24), ("CA", 0, 1, 1)]


def test_briefing_lists_the_most_overdue_and_the_annex_all(messy):
    metrics = copy.deepcopy(messy.metrics)
    template = metrics["cases"]["overdue_cases"][0]
    metrics["cases"]["overdue_cases"] = [
        dict(template, case_id=f"PA-X-{n:04d}", working_days_late=n) for n in range(1, 41)]
    b = Briefing(metrics)
    top = b.accountability_section()
    cases = blocks_of(top, Table)[-1]  # the units' counts, then the most overdue cases
    assert [row[0] for row in cases.rows][:3] == ["PA-X-0040", "PA-X-0039", "PA-X-0038"]
    assert len(cases.rows) == briefing.TOP_CASES
    assert "PA-X-0025" not in top.html() and "PA-X-0026" in top.html()
    assert "15 trong tổng số 44 phản ánh" in top.html() and "phu_luc.pdf" in top.html()
    annex = b.annex_section().html()
    assert all(f"PA-X-{n:04d}" in annex for n in range(1, 41))
    assert "PHỤ LỤC" in annex and "(Kèm theo Báo cáo kỳ từ 01/11 đến 27/11/2026, kỳ báo cáo" in annex
    # the lead-in to the counts by unit is the briefing's: the annex has lines, no table
    assert "trả lời không đúng thời hạn trong kỳ. Số phản ánh theo đơn vị:" in top.html()
    assert "trả lời không đúng thời hạn trong kỳ.</p>" in annex
    assert "Số phản ánh theo đơn vị" not in annex


def test_page_one_does_not_pass_a_week_with_overdue_cases():
    """messy, week to 27/11: every answer on time (100,0%) but 9 cases overdue and
    compliance 59,1%, down 10,1 points: the verdict says so and names the departments."""
    b = load_briefing(FIXTURES / "messy.xlsx", "2026-11-27")
    points = b.key_points()
    text = points.html()
    lines, actions = ([sections.nfc(line) for line in items.lines]
                      for items in blocks_of(points, Items))
    [verdict] = [p.text for p in blocks_of(points, Paragraph) if p.style == "verdict"]
    assert verdict.startswith("Đánh giá: chưa đạt yêu cầu.")
    assert "tỷ lệ tuân thủ thời hạn chỉ đạt 59,1%, dưới chỉ tiêu 95,0%" in text
    assert ("Tỷ lệ tuân thủ thời hạn 59,1% (chỉ tiêu 95,0%), giảm 10,1 điểm phần trăm so với "
            "tuần trước, từ 14/11 đến 20/11/2026 (69,2%).") in lines
    assert ("Còn 09 phản ánh chưa trả lời đã quá hạn, tại: Phòng Kinh tế, Hạ tầng và Đô thị (07), "
            "Phòng Văn hóa - Xã hội (01) và Trung tâm Dịch vụ sự nghiệp công (01).") in lines
    assert actions[0].startswith("Phòng Kinh tế, Hạ tầng và Đô thị trả lời ngay 07")
    assert len(actions) == 2


def test_verdict_met_only_without_overdue_cases():
    metrics = copy.deepcopy(expected("clean"))
    t = metrics["cases"]["totals"]
    t.update(on_time_rate=0.97, compliance_rate=0.97, open_overdue=0)
    assert Briefing(metrics).verdict() == (
        "Đánh giá: đạt chỉ tiêu 95,0%; không có phản ánh quá hạn chưa trả lời.")
    t.update(open_overdue=2, compliance_rate=0.9)
    assert Briefing(metrics).verdict().startswith("Đánh giá: chưa đạt yêu cầu.")
    t.update(on_time_rate=None, compliance_rate=None, open_overdue=0)
    assert "chưa đủ số liệu" in Briefing(metrics).verdict()


def test_ranking_puts_unranked_departments_last(messy):
    ranking = messy.ranking()
    assert [r["rank"] for r in ranking] == [1, 2, 3, None, None, None, None]
    assert [r["department"] for r in ranking[:3]] == ["CA", "TTDVSNC", "KTHTDT"]
    rows = messy.department_rows()
    assert [r["rank"] for r in rows] == [1, 2, 3] + ["Không xếp hạng"] * 4
    html = messy.departments_section().html()
    assert ">90,9%<" in html and ">75,0%<" in html and ">3,1<" in html  # one decimal, days
    assert rows[3]["name"] == "Ban Chỉ huy quân sự phường" and rows[3]["compliance_rate"] is None
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


def test_reminder_html_lists_the_departments_cases_and_tasks(messy):
    html = reminder.reminders(messy.metrics, ["KTHTDT"]).html()
    overdue = [c["case_id"] for c in messy.metrics["cases"]["overdue_cases"]
               if c["department"] == "KTHTDT"]
    soon = [c["case_id"] for c in messy.metrics["cases"]["due_soon_cases"]
            if c["department"] == "KTHTDT"]
    tasks = [i["task_id"] for i in messy.metrics["tasks"]["items"] if i["lead"] == "KTHTDT"
             and (i["bucket"] == "overdue" or i["due_soon"])]
    assert len(overdue) == 7 and soon == ["PA-2026-000768"] and tasks
    assert all(item in html for item in overdue + soon + tasks)
    assert "Kính gửi: Đồng chí Trần Văn Hưng, Trưởng phòng Kinh tế, Hạ tầng và Đô thị" in html
    assert "PA-2026-000663" not in html  # a VHXH case
    assert html.count('class="wb-reminder wb-document"') == 1
    assert reminder.reminder_document(messy.metrics, "KTHTDT").names() == [
        "header", "intro", "overdue", "due_soon", "tasks", "ask", "signature"]
    assert reminder.reminders(messy.metrics).html().count('class="wb-reminder wb-document"') == len(
        MESSY_REMINDED)


def test_reminder_without_overdue_cases_does_not_ask_to_clear_them(messy):
    html = reminder.reminders(messy.metrics, ["TTPVHCC"]).html()  # due soon only
    assert "đã quá hạn" not in html
    assert "bảo đảm trả lời đúng thời hạn các phản ánh, kiến nghị sắp đến hạn" in html
    assert "1. Phản ánh, kiến nghị sắp đến hạn" in html


def test_reminder_addressee_reads_right_without_a_head_and_for_the_office(messy):
    metrics = copy.deepcopy(messy.metrics)
    metrics["departments"]["KTHTDT"]["head"] = None
    metrics["departments"]["CA"]["head"] = float("nan")  # metrics of an older engine
    for case in metrics["cases"]["overdue_cases"] + metrics["cases"]["late_cases"]:
        if case["department"] in ("KTHTDT", "CA"):
            case["head"] = None if case["department"] == "KTHTDT" else float("nan")
    b = Briefing(metrics)
    assert b.addressee("KTHTDT") == "Kính gửi: Trưởng phòng Kinh tế, Hạ tầng và Đô thị"
    assert b.addressee("CA") == "Kính gửi: Trưởng Công an phường"
    assert sections.nfc(b.addressee("TTDVSNC")).endswith(", Giám đốc Trung tâm Dịch vụ sự nghiệp công")
    # cases without a department: their own reminder, to the office
    metrics["cases"]["by_department"]["_unassigned"]["open_overdue"] = 1
    metrics["cases"]["overdue_cases"][0]["department"] = "_unassigned"
    b = Briefing(metrics)
    assert b.reminder_departments()[-1] == "_unassigned"
    office = reminder.reminders(metrics, ["_unassigned"]).html()
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân phường Đông Hải<" in office  # not to itself
    assert "xác định đơn vị có thẩm quyền" in office and "TL. CHỦ TỊCH" not in office
    for part in (b.annex_section(), b.accountability_section(), reminder.reminders(metrics)):
        text = part.html()
        assert "nan" not in re.sub(r"<[^>]+>", " ", text).split() and "None" not in text
    assert "Chưa cập nhật" in b.annex_section().html()  # the blank head, said so


def test_the_office_s_own_reminder_goes_to_the_chairman_not_to_itself(messy):
    """The office signs reminders for the Chairman (TL. CHỦ TỊCH): its own overdue cases
    and tasks are its report to the Chairman, signed by its head, mailed to leadership."""
    from wardbrief.config import MailSettings
    from wardbrief.publish import mail

    metrics = copy.deepcopy(messy.metrics)
    case = metrics["cases"]["overdue_cases"][0]
    case["department"] = "VP"
    metrics["cases"]["by_department"]["VP"]["open_overdue"] = 1
    assert "VP" in reminder.reminder_codes(metrics)
    document = reminder.reminder_document(metrics, "VP")
    assert reminder.addressee(document) == "Kính gửi: Chủ tịch Ủy ban nhân dân phường Đông Hải"
    header, signature = document["header"].blocks[0], document["signature"].blocks[0]
    assert (header.title, header.number.split()[-1]) == ("BÁO CÁO", "/BC-VP")
    assert signature.role == ("CHÁNH VĂN PHÒNG",) and "- Lưu: VT, VP." in signature.recipients
    intro = document["intro"].text()
    assert "Văn phòng còn 01 phản ánh, kiến nghị chưa trả lời đã quá hạn" in intro
    # what the office will do, not a claim that it is done
    assert document["ask"].text().startswith("Văn phòng HĐND và UBND phường sẽ khẩn trương trả lời")
    assert case["case_id"] in document["overdue"].text()
    settings = MailSettings("smtp.example", 587, "starttls", "vp@example", "vp@example",
                            leadership=("chutich@example",))
    assert mail._addresses(metrics, "VP", settings) == ["chutich@example"]
    assert mail._addresses(metrics, "KTHTDT", settings) == metrics["departments"]["KTHTDT"]["email"]


def test_data_issues_errors_first_then_by_sheet(messy):
    issues = messy.issues()
    severities = [i["severity"] for i in issues]
    assert severities == sorted(severities, key=briefing.SEVERITY_ORDER.index)
    errors = [(i["sheet"], i["row"]) for i in issues if i["severity"] == "error"]
    assert errors[0] == ("PhanAnh", 36) and errors[-1] == ("TruyenThong", 59)
    assert messy.issues_summary().startswith("Tổng số: 40 vấn đề, gồm 13 lỗi và 27 cảnh báo")
    html = data_quality_document(messy.metrics).html()
    assert html.index("Lỗi (dòng bị loại") < html.index("Cảnh báo (dòng vẫn được tính")


def test_monthly_names_the_units_and_counts_the_cases_the_annex_lists_them(messy):
    doc = report_document(messy.metrics)
    section = doc["shortcomings"]
    assert section.blocks[2].text == (
        "- Phòng Kinh tế, Hạ tầng và Đô thị: 07 phản ánh chưa trả lời đã quá hạn, 01 phản ánh "
        "trả lời không đúng thời hạn (quá hạn lâu nhất 75 ngày làm việc).")
    assert "PA-2026-000509" not in section.html() and "Phụ lục" in section.html()
    assert "PA-2026-000509" in doc["annex"].html()
    header = doc["header"].html()
    assert "PHƯỜNG ĐÔNG HẢI" in header and "Số:" in header and "/BC-UBND" in header
    assert "Đông Hải, ngày 27 tháng 11 năm 2026" in header
    assert "tháng\u00a011/2026" in header
    cases = doc["cases"].html()
    assert "So với kỳ trước, từ 05/10 đến 31/10/2026: số phản ánh tiếp nhận tăng 2" in cases
    assert "Thời gian xử lý bình quân 3,9 ngày làm việc" in cases


def test_headline_table_against_previous_period_and_target(messy):
    rows = {r["label"]: r for r in messy.headline_rows()}
    received = rows["Số phản ánh, kiến nghị tiếp nhận trong kỳ"]
    assert (received["now"], received["before"]) == ("69", "67")
    assert received["change"] == "▲ tăng 2"
    rate = rows["Tỷ lệ xử lý đúng hạn"]
    assert rate["now"] == "93,1%" and rate["target"] == "95,0% — Chưa đạt"
    assert rate["change"] == "▲ tăng 7,4 điểm phần trăm"
    overdue = rows["Chưa trả lời, đã quá hạn"]
    assert overdue["now"] == "9" and overdue["_class"] == "wb-worse"
    assert [c.label for c in messy.headline_columns()][2:4] == ["Kỳ trước", "So với kỳ trước"]


def test_intake_beside_the_campaign(messy):
    campaign = messy.campaign_section()
    assert blocks_of(campaign, Paragraph)[0].text == (
        "Phản ánh qua ứng dụng Smart Hải Phòng (40) và Hệ thống 1022 (17) chiếm 82,6% số phản "
        "ánh tiếp nhận trong kỳ, giảm 7,0 điểm phần trăm so với kỳ trước, từ 05/10 đến "
        "31/10/2026 (89,6%).")
    _posts, intake = blocks_of(campaign, Table)
    rows = {row[0]: row[1] for row in intake.rows}
    assert rows["Ứng dụng Smart Hải Phòng"] == "40" and rows["Trực tiếp, tại trụ sở"] == "12"
    [chart] = blocks_of(campaign, Figure)
    assert chart.svg.lstrip().startswith(b"<?xml")
    assert 'src="data:image/svg+xml;base64,' in campaign.html()


def test_a_missing_figure_gives_a_sentence_that_reads_right():
    metrics = copy.deepcopy(expected("clean"))
    metrics["cases"]["totals"].update(on_time_rate=None, compliance_rate=None)
    b = Briefing(metrics)
    assert "(đạt" not in b.headline_sentence() and "—" not in b.headline_sentence()
    assert b.rate_sentence("on_time_rate") == (
        "Trong kỳ chưa có phản ánh nào được trả lời để tính tỷ lệ xử lý đúng hạn.")
    metrics["communications"] = {"total": 0, "by_channel": {}}
    text = report_document(metrics)["campaign"].html()
    assert "gồm: ." not in text and "—" not in text


def test_contract_keys_only_still_render():
    b = Briefing(expected("clean"))
    for part in (b.weekly_header(), b.key_points(), b.headline_section(), b.trend_section(),
                 b.departments_section(), b.compliance_chart(2), b.accountability_section(),
                 b.tasks_section(), b.campaign_section(),
                 *report_document(b.metrics).sections,
                 reminder.reminders(b.metrics), *data_quality_document(b.metrics),
                 b.annex_section()):
        assert isinstance(part._repr_html_(), str)


def test_sections_are_notebook_objects(messy):
    section = messy.headline_section()
    assert isinstance(section, Section)
    assert section._repr_html_() == section.html() == str(section)
    assert section.html().startswith('<section class="wb-section wb-formal wb-s-headline">')
    frame = messy.frame("departments")
    assert [sections.nfc(n) for n in frame["name"]][:3] == ["Công an phường", "Trung tâm Dịch vụ sự nghiệp công",
                                       "Phòng Kinh tế, Hạ tầng và Đô thị"]


def test_charts_are_vector_graphics_with_a_legend(messy):
    import base64

    from wardbrief.briefings import labels

    legends = {"trend_section": [labels.FIGURES_SHORT[k] for k in (
        "received", "resolved", "resolved_on_time", "open_backlog")],
               "compliance_chart": [labels.CHART_TARGET.format(target="95,0%")]}
    for name, legend in legends.items():
        section = getattr(messy, name)(1)
        src = re.search(r'src="([^"]+)"', section.html()).group(1)
        assert src.startswith("data:image/svg+xml;base64,")
        svg = base64.b64decode(src.split(",", 1)[1]).decode("utf-8")
        assert svg.encode("utf-8") == blocks_of(section, Figure)[0].svg
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "<image" not in svg
        for label in legend:  # the legend's labels, as text
            assert re.search(rf"<text [^>]*>{re.escape(label)}</text>", svg), label
    assert "Biểu đồ 2." in messy.compliance_chart(2).html()


def test_sources_and_periods(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the bundled sample is found from any folder
    assert paths.resolve_source("data/donghai-demo.xlsx") == str(paths.SAMPLE_WORKBOOK)
    assert paths.resolve_source(None) == str(paths.SAMPLE_WORKBOOK)
    assert paths.SAMPLE_WORKBOOK.is_file()
    assert paths.resolve_source("tests/fixtures/clean.xlsx") == "tests/fixtures/clean.xlsx"
    assert paths.resolve_source("gsheet:abc") == "gsheet:abc"
    monkeypatch.chdir(REPO)
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


def test_previous_period_is_named():
    weekly = load_briefing(FIXTURES / "messy.xlsx", "2026-11-27")
    assert weekly.compared_with() == "so với tuần trước, từ 14/11 đến 20/11/2026"
    metrics = copy.deepcopy(weekly.metrics)
    metrics.update(period_start="2026-11-01", period_days=30)
    metrics["previous_period"].update(period_start="2026-10-01", as_of="2026-10-31")
    assert Briefing(metrics).previous_name() == "tháng trước"
    custom = Briefing(metrics, report="weekly_briefing")
    assert custom.is_custom_period()
    assert custom.title("weekly_briefing")[0] == "BÁO CÁO KỲ TỪ 01/11 ĐẾN 27/11/2026"


def test_ward_name_override():
    metrics = copy.deepcopy(expected("messy"))
    b = Briefing(metrics, ward_name="Phường Hải An")
    header = report_document(metrics, ward_name="Phường Hải An")["header"].html()
    assert b.ward == "Phường Hải An" and "PHƯỜNG HẢI AN" in header
    assert "Hải An, ngày 27 tháng 11 năm 2026" in header


def test_annex_names_each_department_once_with_its_head_and_a_line_per_case(messy):
    """messy, 01-27/11: 9 unanswered past due and 4 answered late, in four departments;
    the department with most such cases first, each case on its own line."""
    groups = messy.annex_groups()
    assert [(g["code"], g["unanswered"], g["late"]) for g in groups] == [
        ("KTHTDT", 7, 1), ("TTDVSNC", 1, 2), ("VHXH", 1, 0), ("CA", 0, 1)]
    assert groups[0]["line"] == ("Thủ trưởng đơn vị: Trần Văn Hưng. 8 phản ánh: 7 chưa trả lời "
                                 "đã quá hạn, 1 trả lời không đúng thời hạn.")
    assert groups[2]["line"].endswith(". 1 phản ánh chưa trả lời đã quá hạn.")
    assert groups[3]["line"].endswith(". 1 phản ánh trả lời không đúng thời hạn.")
    first = groups[0]["cases"][0]
    assert (first["case_id"], first["facts"]) == (
        "PA-2026-000509", "hạn 11/08/2026, quá hạn 75 ngày làm việc")
    answered = groups[3]["cases"][0]
    assert answered["facts"] == "hạn 09/11/2026, trả lời ngày 10/11/2026, quá hạn 1 ngày làm việc"
    # the unanswered under their title, then those answered late under theirs
    assert [(p["title"], len(p["cases"])) for p in groups[0]["parts"]] == [
        ("Chưa trả lời, đã quá hạn (7):", 7),
        ("Đã trả lời nhưng không đúng thời hạn (1):", 1)]
    assert groups[0]["parts"][0]["cases"][0] is first
    assert [p["title"] for p in groups[3]["parts"]] == [
        "Đã trả lời nhưng không đúng thời hạn (1):"]
    html = messy.annex_section().html()
    assert html.count('class="wb-annex-unit"') == 4 and html.count("wb-annex-case") == 13
    assert html.count('class="wb-annex-part"') == 6
    assert html.count("Trần Văn Hưng") == 1  # the head once, not on every case
    assert "toàn văn tại tệp accountability.csv" in html


def test_the_data_quality_list_names_tabs_as_the_sheet_does(messy):
    """messy.xlsx titles NhiemVu `Nhiệm vụ` and TruyenThong `Truyền thông`: staff see those."""
    table = data_quality_document(messy.metrics)["rows"].blocks[1]
    assert isinstance(table, Table)
    assert [r[0] for r in table.rows] == ["PhanAnh", "Nhiệm vụ", "Truyền thông"]
    html = data_quality_document(messy.metrics).html()
    assert "Trang Nhiệm vụ" in html and "Trang NhiemVu" not in html
    assert "không có trong trang Lĩnh vực;" in html and "trang LinhVuc" not in html


def test_a_case_past_its_day_but_not_a_working_day_late_is_not_late_by_0_days():
    metrics = expected("messy")
    case = metrics["cases"]["overdue_cases"][0]
    case["working_days_late"] = 0  # due on a Friday, as of the Saturday
    facts = [c["facts"] for g in Briefing(metrics).annex_groups() for c in g["cases"]
             if c["case_id"] == case["case_id"]]
    due = f"{case['due'][8:10]}/{case['due'][5:7]}/{case['due'][:4]}"
    assert facts == [f"hạn {due}, quá hạn chưa tròn 1 ngày làm việc"]
    assert "0 ngày" not in Briefing(metrics).key_points().html()


def test_a_month_not_over_is_not_judged_short_of_its_campaign_target():
    """The weekly briefing's month to date: short of a target is "Còn 03" until the
    month is over, "Chưa đạt" once it is."""
    metrics = expected("messy")
    month = {"month": "2026-11", "start": "2026-11-01", "end": "2026-11-27", "total": 5,
             "by_channel": {"radio": 5, "portal": 0, "social": 0, "other": 0},
             "targets": {"radio": 8, "portal": 0, "social": 0, "other": 0}}
    metrics["communications"] = {**metrics["communications"], "month": month}
    [radio] = [r for r in Briefing(metrics).communication_rows() if r["target"] == 8]
    assert (radio["status"], radio["_class"]) == ("Còn 03", "")
    metrics["communications"]["month"] = {**month, "end": "2026-11-30"}
    [radio] = [r for r in Briefing(metrics).communication_rows() if r["target"] == 8]
    assert (radio["status"], radio["_class"]) == ("Chưa đạt", "wb-worse")


def test_the_data_quality_list_is_a_document_each_fix_a_row_of_its_sheet(messy):
    doc = data_quality_document(messy.metrics)
    assert doc.report == "data_quality" and doc.names() == [
        "header", "refused", "summary", "rows", "errors", "warnings", "info"]
    assert doc["refused"].blocks == () and doc["info"].blocks == ()  # briefed; no info issue
    errors = doc["errors"]
    assert [b.text for b in errors.blocks if isinstance(b, Paragraph)] == [
        labels.ERRORS_LEAD.format(count=13)]
    assert labels.ERRORS_LEAD.format(count=13).startswith("Bảng tính có 13 lỗi. Dòng có lỗi")
    first, second = [b for b in errors.blocks if isinstance(b, Table)]
    assert first.header == ("Dòng", "Ô", "Cột", "Nội dung lỗi")
    assert first.rows[0] == ("36", "B36", "Mã phản ánh", "Thiếu mã phản ánh; dòng bị loại")
    assert len(first.rows) == 11 and len(second.rows) == 2 and first.links == ()
    assert second.rows[-1] == ("59", "A59", "Ngày đăng",
                               "Ngày đăng 'chưa có' không đọc được (ghi dd/mm/yyyy); dòng bị loại")
    assert sum(len(b.rows) for b in doc["warnings"].blocks if isinstance(b, Table)) == 27


def test_only_a_web_link_opens_a_cell():
    metrics = expected("messy")
    errors = [i for i in metrics["data_issues"] if i["severity"] == "error"]
    errors[0]["link"] = "https://docs.google.com/spreadsheets/d/K/edit#gid=0&range=B36"
    errors[1]["link"] = "javascript:alert(1)"
    table = next(b for b in data_quality_document(metrics)["errors"].blocks
                 if isinstance(b, Table))
    assert table.links[:2] == (errors[0]["link"], "") and table.link_column == 1
    html = data_quality_document(metrics)["errors"].html()
    assert html.count("<a href=") == 1 and "javascript:" not in html
