"""metrics.json beyond the contract's keys: previous period, weekly series, backlog age,
top lists, ranking, satisfaction, posts against targets; the CSV twins; the command."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest
from builders import FIXTURES, D, case, metrics, post
from wardbrief.figures.metrics import compute_metrics, load
from wardbrief.figures.metrics_files import write_metrics

AS_OF, START = D("2026-11-27"), D("2026-11-01")


@pytest.fixture(scope="module")
def messy():
    wb = load(FIXTURES / "messy.xlsx")
    return wb, compute_metrics(wb, AS_OF, START)


def test_previous_period_is_the_same_figures_for_the_period_before(messy):
    wb, m = messy
    prev = m["previous_period"]
    # 27 days, 01/11 - 27/11 -> 05/10 - 31/10
    assert (prev["period_start"], prev["as_of"]) == ("2026-10-05", "2026-10-31")
    direct = compute_metrics(wb, D("2026-10-31"), D("2026-10-05"))
    assert prev["cases"]["totals"] == direct["cases"]["totals"]
    assert prev["cases"]["by_department"] == direct["cases"]["by_department"]


def test_weekly_series_agrees_with_the_figures_of_each_week(messy):
    wb, m = messy
    series = m["weekly_series"]
    assert len(series) == 12
    assert series[-1]["week_end"] == "2026-11-27" and series[0]["week_start"] == "2026-09-05"
    for week in (series[-1], series[5], series[0]):
        end, start = D(week["week_end"]), D(week["week_start"])
        direct = compute_metrics(wb, end, start)["cases"]["totals"]
        assert week["received"] == direct["received"]
        assert week["resolved"] == direct["resolved"]
        assert week["resolved_on_time"] == direct["resolved_on_time"]
        assert week["open_backlog"] == direct["open"]


def test_backlog_age_buckets_add_up_to_open(messy):
    _, m = messy
    assert [b["bucket"] for b in m["backlog_age"]] == ["0-5", "6-10", "11-20", ">20"]
    assert sum(b["open"] for b in m["backlog_age"]) == m["cases"]["totals"]["open"]


def test_top_categories_use_the_linhvuc_spelling(messy):
    _, m = messy
    top = m["top_categories"]
    assert len(top) == 5
    counts = [t["received"] for t in top]
    assert counts == sorted(counts, reverse=True)
    assert top[0] == {"name": "Trật tự đô thị", "received": 22}  # TRẬT TỰ ĐÔ THỊ etc. merged


def test_ranking_lists_but_does_not_rank_small_denominators():
    cases = [case(f"A{i}", D("2026-11-02"), department="VP", responded=D("2026-11-03"))
             for i in range(5)]
    cases += [case(f"B{i}", D("2026-11-02"), department="CA", responded=D("2026-11-03"))
              for i in range(4)]
    cases += [case(f"C{i}", D("2026-11-02"), department="VHXH",
                   responded=D("2026-11-03") if i < 4 else D("2026-11-26"), category="Môi trường")
              for i in range(6)]
    m = metrics(AS_OF, START, cases=cases)
    ranking = {r["department"]: r for r in m["department_ranking"]}
    assert ranking["VP"]["rank"] == 1 and ranking["VP"]["denominator"] == 5
    assert ranking["VHXH"]["rank"] == 2
    assert ranking["VHXH"]["compliance_rate"] == pytest.approx(4 / 6)
    assert ranking["CA"]["rank"] is None and ranking["CA"]["denominator"] == 4
    assert ranking["CA"]["compliance_rate"] == 1.0
    assert [r["department"] for r in m["department_ranking"]][-2:] == ["CA", "KTHTDT"]


def test_satisfaction_and_month_posts_against_targets():
    cases = [case("S1", D("2026-11-02"), department="VP", responded=D("2026-11-03"),
                  rating="Hài lòng"),
             case("S2", D("2026-11-02"), department="VP", responded=D("2026-11-03"),
                  rating="Chưa hài lòng")]
    posts = [post(D("2026-11-02"), "Đài truyền thanh phường"), post(D("2026-11-20"), "Zalo"),
             post(D("2026-10-30"), "Zalo")]
    m = metrics(D("2026-11-27"), D("2026-11-21"), cases=cases, posts=posts,
                targets=[{"channel": "Loa truyền thanh", "target": 8},
                         {"channel": "Facebook", "target": 12}])
    assert m["satisfaction_by_department"]["VP"] == {"rated": 0, "satisfied": 0, "rate": None}
    month = m["communications"]["month"]
    assert month["month"] == "2026-11" and month["total"] == 2
    assert month["by_channel"] == {"radio": 1, "portal": 0, "social": 1, "other": 0}
    assert month["targets"] == {"radio": 8, "portal": 0, "social": 12, "other": 0}
    m = metrics(AS_OF, START, cases=cases)
    assert m["satisfaction_by_department"]["VP"] == {"rated": 2, "satisfied": 1, "rate": 0.5}


def test_case_lists_carry_masked_summaries_and_department_heads():
    cases = [case("X1", D("2026-11-02"), department="VP", reporter="Nguyễn Thị Lan",
                  phone="0912 345 678", due=D("2026-11-05"),
                  summary="Chị Nguyễn Thị Lan (0912.345.678) báo <script>x</script> " + "a" * 300)]
    m = metrics(AS_OF, START, cases=cases)
    (item,) = m["cases"]["overdue_cases"]
    assert item["head"] == "Nguyễn Văn An" and item["department_name"] == "Văn phòng HĐND - UBND"
    assert item["summary"].startswith("Chị N.T.L. ([số điện thoại]) báo <script>x</script>")
    assert len(item["summary"]) <= 160 and item["summary"].endswith("…")
    text = json.dumps(m, ensure_ascii=False)
    assert "Nguyễn Thị Lan" not in text and "0912" not in text and "345 678" not in text


def test_csv_twins_open_in_excel(tmp_path, messy):
    _, m = messy
    written = write_metrics(m, tmp_path)
    assert [p.name for p in written] == ["metrics.json", "departments.csv", "accountability.csv",
                                         "tasks.csv", "data_issues.csv"]
    raw = (tmp_path / "departments.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    with (tmp_path / "departments.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:3] == ["Mã đơn vị", "Tên đơn vị", "Thủ trưởng"]
    assert [r[0] for r in rows[1:]] == list(m["cases"]["by_department"])
    kthtdt = next(r for r in rows if r[0] == "KTHTDT")
    assert int(kthtdt[3]) == m["cases"]["by_department"]["KTHTDT"]["received"]
    speed = rows[0].index("Số ngày làm việc xử lý bình quân")
    assert float(kthtdt[speed]) == pytest.approx(
        m["cases"]["by_department"]["KTHTDT"]["avg_working_days"])
    with (tmp_path / "data_issues.csv").open(encoding="utf-8-sig") as handle:
        issues = list(csv.reader(handle))
    assert issues[0] == ["Mức độ", "Trang tính", "Dòng", "Ô", "Cột", "Nội dung lỗi", "Liên kết"]
    first = next(i for i in m["data_issues"] if i.get("cell") and i["sheet"] == "NhiemVu")
    # the tab and the column as the sheet has them, the severity in words
    assert first["sheet_title"] == "Nhiệm vụ"
    assert ["cảnh báo" if first["severity"] == "warning" else "lỗi", "Nhiệm vụ",
            str(first["row"]), first["cell"], first["header"], first["message"]] in [
                r[:6] for r in issues]
    assert {r[0] for r in issues[1:]} <= {"lỗi", "cảnh báo", "thông tin"}
    with (tmp_path / "accountability.csv").open(encoding="utf-8-sig") as handle:
        acc = list(csv.reader(handle))
    ids = [r[1] for r in acc[1:]]
    assert ids == ([c["case_id"] for c in m["cases"]["overdue_cases"]]
                   + [c["case_id"] for c in m["cases"]["late_cases"]])
    assert json.loads((tmp_path / "metrics.json").read_text(encoding="utf-8")) == m


def test_csv_files_speak_the_staff_language(tmp_path, messy):
    """Every CSV file: each column once, codes as Vietnamese words, whole numbers whole, a tab
    by its title in the sheet (messy.xlsx: `Nhiệm vụ`, `Truyền thông`)."""
    _, m = messy
    for path in write_metrics(m, tmp_path)[1:]:
        with path.open(encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
        assert len(set(rows[0])) == len(rows[0]), path.name
        codes = {"done_on_time", "done_late", "in_progress", "overdue", "due_soon", "on_track",
                 "error", "warning", "info", "True", "False", "NhiemVu", "TruyenThong"}
        assert not codes & {cell for row in rows[1:] for cell in row}, path.name
    with (tmp_path / "tasks.csv").open(encoding="utf-8-sig") as handle:
        tasks = list(csv.DictReader(handle))
    words = {"Hoàn thành đúng hạn", "Hoàn thành quá hạn", "Đang thực hiện trong hạn",
             "Quá hạn chưa hoàn thành"}
    assert {t["Tình trạng"] for t in tasks} <= words and len({t["Tình trạng"] for t in tasks}) > 1
    assert {t["Vướng mắc"] for t in tasks} == {"Có", "Không"}
    assert all(t["Tiến độ (%)"] == "" or "." not in t["Tiến độ (%)"] for t in tasks)


def test_csv_cells_that_look_like_formulas_stay_text(tmp_path):
    cases = [case("F1", D("2026-11-02"), due=D("2026-11-05"), summary="=HYPERLINK(\"x\")")]
    write_metrics(metrics(AS_OF, START, cases=cases), tmp_path)
    text = (tmp_path / "accountability.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text


def test_period_start_after_as_of_is_refused():
    with pytest.raises(ValueError, match="after the as-of"):
        metrics(D("2026-11-01"), D("2026-11-27"))


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "wardbrief.commands.cli", *args], check=False,
                          capture_output=True, text=True, encoding="utf-8")


def test_metrics_command_prints_json_or_writes_files(tmp_path):
    result = _cli("metrics", "--source", str(FIXTURES / "clean.xlsx"), "--as-of", "2026-11-27",
                  "--period-start", "2026-11-01")
    assert result.returncode == 0
    printed = json.loads(result.stdout)
    assert printed["cases"]["totals"]["received"] == json.loads(
        (FIXTURES / "clean.expected.json").read_text(encoding="utf-8"))["cases"]["totals"]["received"]
    out = tmp_path / "run" / "metrics.json"
    result = _cli("metrics", "--source", str(FIXTURES / "clean.xlsx"), "--as-of", "2026-11-27",
                  "-o", str(out))
    assert result.returncode == 0
    assert json.loads(out.read_text(encoding="utf-8"))["period_start"] == "2026-11-21"
    assert (tmp_path / "run" / "accountability.csv").exists()


def test_metrics_command_errors_speak_to_the_user(tmp_path):
    result = _cli("metrics", "--source", str(tmp_path / "nope.xlsx"), "--as-of", "2026-11-27")
    assert result.returncode == 2 and "nope.xlsx" in result.stderr
    assert "Traceback" not in result.stderr
    result = _cli("metrics", "--source", str(FIXTURES / "clean.xlsx"), "--as-of", "31/11/2026")
    assert result.returncode == 2
    assert "'31/11/2026' không phải là ngày: ghi 2026-11-27 hoặc 27/11/2026 / " in result.stderr
    assert "is not a date" in result.stderr  # English after the Vietnamese


def test_metrics_command_reads_a_day_first_as_of_as_staff_write_it():
    result = _cli("metrics", "--source", str(FIXTURES / "clean.xlsx"), "--as-of", "27/11/2026")
    assert result.returncode == 0
    assert json.loads(result.stdout)["as_of"] == "2026-11-27"


def test_metrics_command_refuses_a_future_as_of():
    result = _cli("metrics", "--source", str(FIXTURES / "clean.xlsx"), "--as-of", "2099-11-27")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("Lỗi: ngày báo cáo --as-of 27/11/2099 chưa đến")
    assert "error: --as-of 2099-11-27 is in the future" in result.stderr


def test_overall_satisfaction_rate(messy):
    _, m = messy
    totals = m["cases"]["totals"]
    assert m["satisfaction"] == {"rated": totals["rated"], "satisfied": totals["satisfied"],
                                 "rate": totals["satisfied"] / totals["rated"]}
    assert m["satisfaction"]["rate"] == pytest.approx(27 / 33)
    assert m["previous_period"]["satisfaction"]["rated"] == (
        m["previous_period"]["cases"]["totals"]["rated"])


def test_metrics_command_masks_case_lists_in_a_worker_as_it_would_here(messy, monkeypatch):
    """With --jobs 2 and a workbook past MASK_ELSEWHERE_CASES, the case lists' citizens'
    cells are masked by a worker process: the same metrics as --jobs 1, which masks them
    here."""
    from wardbrief.commands import cli
    from wardbrief.commands import metrics as command

    wb, _ = messy
    monkeypatch.setattr(command, "MASK_ELSEWHERE_CASES", 0)
    asked: list[object] = []
    cells_later = command.MaskedElsewhere.cells_later

    def watched(self, tab, asks):
        taken = cells_later(self, tab, asks)
        asked.append(self.tasks)
        return taken

    monkeypatch.setattr(command.MaskedElsewhere, "cells_later", watched)

    def figures(jobs: str) -> dict:
        args = cli.build_parser("metrics").parse_args(
            ["metrics", "--as-of", "2026-11-27", "--period-start", "2026-11-01", "--jobs", jobs])
        return command.figures(wb, args)

    here = figures("1")
    assert asked == []
    elsewhere = figures("2")
    assert len(asked) == 1 and len(asked[0].workers) == 1  # one worker did the masking
    assert asked[0].results[0].error is None and asked[0].results[0].value
    assert elsewhere == here
    listed = elsewhere["cases"]["overdue_cases"] + elsewhere["cases"]["late_cases"]
    assert listed and all(set(c) >= {"summary", "area", "category"} for c in listed)


def test_metrics_commands_worker_makes_a_csv_folders_fingerprint(tmp_path, monkeypatch):
    """The worker of `metrics` makes a CSV folder's fingerprint (the same as made here)
    while the figures are made."""
    from wardbrief import demo
    from wardbrief.commands import cli
    from wardbrief.commands import metrics as command

    folder = tmp_path / "csv"
    demo.write(demo.generate(seed=3, cases=300, as_of=AS_OF), folder)
    monkeypatch.setattr(command, "MASK_ELSEWHERE_CASES", 0)
    wb = load(folder)
    assert not wb.raw.fingerprint_made()
    args = cli.build_parser("metrics").parse_args(
        ["metrics", "--as-of", "2026-11-27", "--period-start", "2026-11-01", "--jobs", "2"])
    made = command.figures(wb, args)
    assert wb.raw.fingerprint_maker is None  # the worker's, dropped after
    assert made["source"]["fingerprint"] == load(folder).raw.fingerprint
    assert made == compute_metrics(load(folder), AS_OF, START, report_inputs=False)
