"""What a briefing says about its workbook besides the figures (issue 9): the notices
(demo sample, month-first dates), a section whose tab is absent, the data-quality list in
the sheet's own words and the reason a workbook is not briefed. Also the runner's page
marks."""

from __future__ import annotations

from builders import D, case, metrics, table
from wardbrief.briefings import marks, reminder
from wardbrief.briefings.briefing import Briefing
from wardbrief.briefings.documents import data_quality_document
from wardbrief.briefings.report import report_document

A = D("2026-11-27")


def test_every_notice_is_a_line_in_the_headers():
    m = metrics(A, cases=[case("PA1", D("2026-11-23"), responded="11/24/2026")],
                settings={"Dữ liệu mẫu": "Có"})
    b = Briefing(m)
    assert m["notices"][0].startswith("DỮ LIỆU MẪU:")
    assert m["notices"][1].startswith("Trang PhanAnh, cột Ngày trả lời: 1 ngày ghi theo kiểu")
    for header in (b.weekly_header().html(), report_document(m)["header"].html(),
                   b.data_quality_header().html(), reminder.reminders(m, ["VP"]).html()):
        for notice in m["notices"]:
            assert f'<p class="wb-note wb-notice">{notice}</p>' in header


def test_a_section_whose_tab_is_absent_says_so_in_one_sentence():
    b = Briefing(metrics(A, tasks=None, posts=None))
    assert b.metrics["tabs_present"]["NhiemVu"] is False
    sentence = "Bảng tính không có trang NhiemVu nên phần này không có số liệu"
    assert sentence in str(b.tasks_section()) and "<table" not in str(b.tasks_section())
    assert sentence in str(report_document(b.metrics)["smart_city"])
    assert "không có trang TruyenThong" in str(b.campaign_section())
    assert "<table" not in str(b.campaign_section())
    assert "không có trang TruyenThong" in str(report_document(b.metrics)["campaign"])


def test_a_present_tab_keeps_its_table():
    b = Briefing(metrics(A))
    tasks = str(b.tasks_section())
    assert "<table" in tasks and "Bảng tính không có trang" not in tasks


def test_data_quality_list_shows_tab_title_cell_and_header_as_typed():
    rows = table("PhanAnh", [case("PA1", "31/02/2026")], rename={"received": "Ngay tiep nhan"})
    b = Briefing(metrics(A, cases=rows, titles={"PhanAnh": "Phản ánh"}))
    html = data_quality_document(b.metrics).html()
    assert "Trang Phản ánh" in html
    assert '<td class="text">B2</td><td class="text">Ngay tiep nhan</td>' in html


def test_data_quality_header_says_why_nothing_was_briefed():
    m = metrics(A, cases=table("PhanAnh", [case("PA1", D("2026-11-23"))],
                               rename={"id": "Số phiếu"}))
    header = data_quality_document(m).html()
    assert "Không lập báo cáo kỳ này" in header
    assert "<li>PhanAnh, dòng 1: Trang &#39;PhanAnh&#39; không có cột" in header  # Jinja's escape
    assert "Không lập báo cáo" not in data_quality_document(metrics(A)).html()


def test_runner_marks_pages_only_for_the_sample():
    assert marks.page_marks(metrics(A, settings={"Dữ liệu mẫu": "Có"})) == {
        "demo_mark": "DỮ LIỆU MẪU"}
    assert marks.page_marks(metrics(A)) == {}
