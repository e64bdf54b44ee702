"""wardbrief.run (registry, build, reports) and `wardbrief run`, in layers (as man-group/notebooker):

- unit: publishing, lock, index, parameters, failure lines — no kernel;
- sanity: every report notebook has a `parameters` cell taking what the runner passes;
- regression: notebooks executed with papermill (three kernel start-ups in all): the
  tiny fixture, the broken fixture through the CLI, the real weekly briefing.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import papermill
import pytest
from builders import TESTS
from wardbrief.briefings import documents, marks
from wardbrief.commands import cli
from wardbrief.publish import file_names
from wardbrief.run import build, index, registry, reports, store

FIXTURE_NOTEBOOKS = TESTS / "notebooks"
MESSY = TESTS / "fixtures" / "messy.xlsx"
MESSY_EXPECTED = json.loads((TESTS / "fixtures" / "messy.expected.json").read_text(encoding="utf-8"))
AS_OF = "2026-11-27"
RUNNER_PARAMETERS = {"source", "as_of", "period_start", "ward_name", "allow_stale", "metrics_path"}


def pdf_text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return " ".join(out.split())


def stale_metrics() -> dict:
    metrics = copy.deepcopy(MESSY_EXPECTED)
    metrics["source"].update(stale=True, taken_at="2026-11-27T15:58:00")
    return metrics


def write_json(metrics: dict, out_dir: Path) -> list[Path]:
    """metrics.json only: the contract-only fixture lacks the extras the CSV twins need."""
    path = out_dir / "metrics.json"
    path.write_text(json.dumps(metrics, ensure_ascii=False), encoding="utf-8")
    return [path]


def fake_briefing(out: Path, report: str, text: str) -> Path:
    folder = out / AS_OF / report
    folder.mkdir(parents=True)
    (folder / "report.html").write_text(text, encoding="utf-8")
    (folder / "report.pdf").write_bytes(b"%PDF-previous")
    return folder


# --- regression: the tiny good notebook, published -------------------------------------------


@pytest.fixture(scope="module")
def good_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, reports.RunResult, str]:
    out = tmp_path_factory.mktemp("outputs")
    report = registry.Report("weekly_briefing", FIXTURE_NOTEBOOKS / "good.ipynb")
    log = tmp_path_factory.mktemp("log") / "stdout.txt"
    with store.run_lock(out), open(log, "w", encoding="utf-8") as stdout:
        result = reports.run_reports([report], lambda _: stale_metrics(), str(MESSY), False, out,
                                    write_metrics=write_json, stdout=stdout)
    return out, result, log.read_text(encoding="utf-8")


def test_good_run_publishes_html_pdf_notebook_and_metrics(good_run) -> None:
    out, result, log = good_run
    folder = out / AS_OF / "weekly_briefing"
    assert result.exit_code == 0 and result.published == {"weekly_briefing": folder}
    for name in ("report.html", "report.pdf", "report.ipynb", "metrics.json"):
        assert (folder / name).is_file(), name
        assert f"  {folder / name}" in log  # the paths written are printed
    assert re.search(r"^\[1/1\] weekly_briefing … done in \d+\.\d s$", log, re.MULTILINE)
    assert json.loads((folder / "metrics.json").read_text(encoding="utf-8"))["cases"]["totals"][
        "received"] == 69
    assert not [p.name for p in out.iterdir() if p.name.startswith((".staging-", ".trash-"))]
    umask = os.umask(0o022)
    os.umask(umask)
    assert folder.stat().st_mode & 0o777 == 0o777 & ~umask


def test_good_run_shows_the_figures_of_metrics_json(good_run) -> None:
    folder = good_run[0] / AS_OF / "weekly_briefing"
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "Phường Đông Hải: tiếp nhận <strong>69</strong> phản ánh, đã trả lời 58." in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script" not in html
    assert "fixture_code_marker_QX7" not in html
    text = pdf_text(folder / "report.pdf")
    assert "Phường Đông Hải: tiếp nhận 69 phản ánh, đã trả lời 58." in text
    assert "<script>alert(1)</script>" in text


def test_good_run_is_titled_and_warns_that_the_data_is_stale(good_run) -> None:
    folder = good_run[0] / AS_OF / "weekly_briefing"
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "<title>BÁO CÁO GIAO BAN TUẦN — Tình hình tiếp nhận" in html
    assert '<div class="wardbrief-stale" role="alert">Lưu ý: không kết nối được bảng tính' in html
    text = pdf_text(folder / "report.pdf")
    assert "bản sao lưu lúc" in text and "27/11/2026" in text and "15:58" in text


def test_kernel_is_this_interpreter_and_parameters_hold_no_secret(good_run) -> None:
    folder = good_run[0] / AS_OF / "weekly_briefing"
    nb = nbformat.read(str(folder / "report.ipynb"), as_version=4)
    removed = [c for c in nb.cells if "remove-cell" in c.metadata.get("tags", [])]
    assert removed[0].outputs[0]["text"].strip() == sys.executable
    assert sys.executable not in (folder / "report.html").read_text(encoding="utf-8")
    params = nb.metadata["papermill"]["parameters"]
    assert set(params) == RUNNER_PARAMETERS
    assert params["source"] == str(MESSY.resolve()) and params["as_of"] == AS_OF
    assert params["metrics_path"] == "metrics.json" and params["allow_stale"] is False
    assert nb.metadata["wardbrief"]["report"] == "fixture"  # the notebook's own, kept
    assert nb.metadata["wardbrief"]["title"].startswith("BÁO CÁO GIAO BAN TUẦN")


def test_index_lists_the_published_briefing(good_run) -> None:
    out, result, _ = good_run
    assert result.index == out / "index.html"
    index = result.index.read_text(encoding="utf-8")
    assert '<html lang="vi">' in index and "<script" not in index
    assert "Danh mục báo cáo — Phường Đông Hải" in index
    assert '<time datetime="2026-11-27">27/11/2026</time>' in index
    assert "<strong>BÁO CÁO GIAO BAN TUẦN</strong>" in index
    for href in ("2026-11-27/weekly_briefing/report.html", "2026-11-27/weekly_briefing/report.pdf",
                 "2026-11-27/weekly_briefing/metrics.json"):
        assert f'href="{href}"' in index and (out / href).is_file()


# --- regression: the broken notebook through the CLI ----------------------------------------


def test_broken_notebook_fails_keeps_the_log_and_the_previous_briefing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    previous = fake_briefing(tmp_path, "weekly_briefing", "<p>briefing of last week</p>")
    monkeypatch.setitem(registry.REPORTS, "weekly_briefing",
                        registry.Report("weekly_briefing", FIXTURE_NOTEBOOKS / "broken.ipynb"))

    code = cli.main(["run", "weekly_briefing", "--source", str(MESSY), "--as-of", AS_OF,
                     "--out", str(tmp_path)])

    assert code == 1
    captured = capsys.readouterr()
    assert "[1/1] weekly_briefing … FAILED after" in captured.out
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in captured.err
    assert lines[0].startswith("weekly_briefing: cell In [4] "
                               "`metrics['cases']['totals']['no_such_figure']` "
                               "raised KeyError: 'no_such_figure' (executed notebook: ")
    kept = list((tmp_path / "_failed").glob("*-weekly_briefing.ipynb"))
    assert len(kept) == 1 and str(kept[0]) in lines[0]
    assert re.match(r"^\d{8}T\d{6}-weekly_briefing\.ipynb$", kept[0].name)
    nb = nbformat.read(str(kept[0]), as_version=4)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.output_type == "error"]
    assert [(e.ename, e.evalue) for e in errors] == [("KeyError", "'no_such_figure'")]
    assert sorted(p.name for p in previous.iterdir()) == ["report.html", "report.pdf"]
    assert (previous / "report.html").read_text(encoding="utf-8") == "<p>briefing of last week</p>"
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith((".staging-", ".trash-"))]


# --- regression: the real weekly briefing ----------------------------------------------------


def test_weekly_briefing_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """The week's briefing, then a custom period as a report of its own (never over the
    week's), then the week's notebook edited by an analyst and rendered again."""
    code = cli.main(["run", "weekly_briefing", "--source", str(MESSY), "--as-of", AS_OF,
                     "--out", str(tmp_path)])
    assert code == 0, capsys.readouterr().err
    code = cli.main(["run", "weekly_briefing", "--source", str(MESSY), "--as-of", AS_OF,
                     "--period-start", "2026-11-01", "--out", str(tmp_path)])
    assert code == 0, capsys.readouterr().err
    week = tmp_path / AS_OF / "weekly_briefing"
    custom = tmp_path / AS_OF / "weekly_briefing-2026-11-01..2026-11-27"
    metrics = json.loads((custom / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["cases"]["totals"]["received"] == 69  # messy.expected.json
    text = pdf_text(custom / "report.pdf")
    assert "BÁO CÁO KỲ TỪ 01/11 ĐẾN 27/11/2026" in text and "GIAO BAN TUẦN" not in text
    assert "tiếp nhận 69 phản ánh" in text  # the PDF and metrics.json agree
    week_text = pdf_text(week / "report.pdf")
    assert "BÁO CÁO GIAO BAN TUẦN" in week_text and "từ ngày 21/11/2026" in week_text
    html = (week / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html and '<html lang="vi">' in html
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'href="2026-11-27/weekly_briefing/report.pdf"' in index
    assert "BÁO CÁO KỲ TỪ 01/11 ĐẾN 27/11/2026" in index

    # the analyst writes the chairman's remarks in the executed notebook, then renders
    nb = nbformat.read(str(week / "report.ipynb"), as_version=4)
    remarks = next(c for c in nb.cells if c.cell_type == "markdown" and "Ý KIẾN" in c.source)
    remarks.source = "## VI. Ý KIẾN CHỈ ĐẠO CỦA LÃNH ĐẠO\n\nGiao Phòng Kinh tế trả lời trước thứ Sáu."
    nbformat.write(nb, str(week / "report.ipynb"))
    before = (week / "metrics.json").read_bytes()
    assert cli.main(["render", str(week)]) == 0, capsys.readouterr().err
    assert "Giao Phòng Kinh tế trả lời trước thứ Sáu." in pdf_text(week / "report.pdf")
    # the published briefing is one document: its sections as the notebook shows them by
    # name, the office's Markdown cell one of them, the annex (phu_luc.pdf) last
    doc = documents.of_notebook(nbformat.read(str(week / "report.ipynb"), as_version=4),
                                json.loads(before), "weekly_briefing")
    assert doc.names() == [*documents.WEEKLY_SECTIONS[:-1], "office-1", "annex"]
    assert doc["office-1"].text() == ("VI. Ý KIẾN CHỈ ĐẠO CỦA LÃNH ĐẠO\n"
                                      "Giao Phòng Kinh tế trả lời trước thứ Sáu.")
    assert (week / "metrics.json").read_bytes() == before and (week / "phu_luc.pdf").exists()
    assert cli.main(["render", str(tmp_path / "nothing")]) == 1
    assert "wardbrief run" in capsys.readouterr().err


def test_as_of_in_the_future_is_refused_before_the_first_case_warned(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code = cli.main(["run", "weekly_briefing", "--source", str(MESSY), "--as-of", "2099-01-01",
                     "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("Lỗi: ngày báo cáo --as-of 01/01/2099 chưa đến")
    assert "is in the future" in err and not (tmp_path / "2099-01-01").exists()
    assert cli.main(["metrics", "--source", str(MESSY), "--as-of", "2020-01-06",
                     "-o", str(tmp_path / "m" / "metrics.json")]) == 0
    err = capsys.readouterr().err
    assert "Cảnh báo: ngày báo cáo 06/01/2020 trước phản ánh đầu tiên" in err
    assert "before the first case" in err


def test_run_tells_what_reading_the_workbook_printed_before_the_progress(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """The warning of the reading reaches stderr (here pytest's) before the report's
    progress, and the briefing and theo-doi.xlsx are published from its figures."""
    code = cli.main(["run", "weekly_briefing", "--source", str(MESSY), "--as-of", "2020-01-06",
                     "--out", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert err.startswith("Cảnh báo: ngày báo cáo 06/01/2020 trước phản ánh đầu tiên")
    assert out.startswith("[1/1] weekly_briefing … done in ")
    assert (tmp_path / "2020-01-06" / "weekly_briefing" / "report.pdf").is_file()
    assert f"  {tmp_path / '2020-01-06' / 'theo-doi.xlsx'}" in out.splitlines()
    metrics = json.loads((tmp_path / "2020-01-06" / "weekly_briefing" / "metrics.json")
                         .read_text(encoding="utf-8"))
    assert metrics["as_of"] == "2020-01-06" and metrics["source"]["kind"] == "xlsx"


def test_figures_that_fail_fail_their_report_with_the_reason(
        tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    """An error computing a period's figures (in the reading process) fails the reports
    of that period with its line; theo-doi.xlsx is not written from no figures."""
    from wardbrief.figures import metrics

    def broken(*_a, **_k):
        raise ValueError("lịch hỏng")

    monkeypatch.setattr(metrics, "compute_metrics", broken)
    code = cli.main(["run", "weekly_briefing", "--source", str(MESSY), "--as-of", AS_OF,
                     "--out", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 1
    assert "[1/1] weekly_briefing … FAILED after" in out
    assert "weekly_briefing: metrics: ValueError: lịch hỏng" in err
    assert not (tmp_path / AS_OF / "theo-doi.xlsx").exists()


# --- unit: exit codes of the CLI without a kernel --------------------------------------------


def test_second_run_while_locked_exits_3(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    with store.run_lock(tmp_path):
        code = cli.main(["run", "all", "--source", str(MESSY), "--as-of", AS_OF,
                         "--out", str(tmp_path)])
    assert code == 3
    assert f"another run is in progress (pid {os.getpid()})" in capsys.readouterr().err
    assert not (tmp_path / AS_OF).exists()


def test_lock_is_released_after_a_run(tmp_path: Path) -> None:
    with store.run_lock(tmp_path):
        pass
    with store.run_lock(tmp_path):
        assert (tmp_path / ".lock").read_text(encoding="ascii").strip() == str(os.getpid())


def test_unreadable_source_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code = cli.main(["run", "weekly_briefing", "--source", str(tmp_path / "missing.xlsx"),
                     "--as-of", AS_OF, "--out", str(tmp_path / "out")])
    assert code == 2
    assert "missing.xlsx" in capsys.readouterr().err
    assert not (tmp_path / "out" / AS_OF).exists()


def test_notebook_without_parameters_cell_fails_before_any_kernel(tmp_path: Path) -> None:
    report = registry.Report("data_quality", FIXTURE_NOTEBOOKS / "no_parameters.ipynb")
    done = build.build_piece(build.Piece(build.NOTEBOOK, report, MESSY_EXPECTED, tmp_path, {},
                                         write_json))
    assert done.failure == "no_parameters.ipynb has no cell tagged 'parameters'"
    assert list(tmp_path.iterdir()) == []


# --- unit: publishing ----------------------------------------------------------------------


def test_publish_replaces_the_previous_briefing(tmp_path: Path) -> None:
    final = fake_briefing(tmp_path, "monthly_report", "old")
    (final / "old-only.txt").write_text("x", encoding="utf-8")
    staging = tmp_path / ".staging-monthly_report-1"
    staging.mkdir()
    (staging / "report.html").write_text("new", encoding="utf-8")

    store.publish(staging, final)

    assert sorted(p.name for p in final.iterdir()) == ["report.html"]
    assert (final / "report.html").read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == [AS_OF]


def test_publish_that_fails_puts_the_previous_briefing_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    final = fake_briefing(tmp_path, "monthly_report", "old")
    staging = tmp_path / ".staging-monthly_report-1"
    staging.mkdir()
    real_rename = os.rename

    def rename(src, dst):
        if Path(src) == staging:
            raise OSError("disk full")
        return real_rename(src, dst)

    monkeypatch.setattr(store.os, "rename", rename)
    with pytest.raises(OSError, match="disk full"):
        store.publish(staging, final)
    assert (final / "report.html").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".staging-monthly_report-1", AS_OF]


def test_leftovers_of_a_killed_run_are_removed_under_the_lock(tmp_path: Path) -> None:
    for name in (".staging-weekly_briefing-abc", ".trash-2026-11-20-weekly_briefing"):
        (tmp_path / name).mkdir()
    (tmp_path / ".index-123.html").write_text("", encoding="utf-8")
    with store.run_lock(tmp_path):
        assert sorted(p.name for p in tmp_path.iterdir()) == [".lock"]


def test_index_is_escaped_and_newest_first(tmp_path: Path) -> None:
    fake_briefing(tmp_path, "data_quality", "x")
    (tmp_path / "2026-10-31" / "monthly_report").mkdir(parents=True)
    (tmp_path / "2026-10-31" / "monthly_report" / "report.html").write_text("x", encoding="utf-8")
    odd = tmp_path / "2026-10-31" / "<b>odd&x"
    odd.mkdir()
    (odd / "report.html").write_text("x", encoding="utf-8")
    reminders = fake_briefing(tmp_path, "department_reminders", "x") / "reminders"
    reminders.mkdir()
    (reminders / "KTHTDT.pdf").write_bytes(b"%PDF")
    (reminders / "CA.pdf").write_bytes(b"%PDF")
    write_json({"departments": {"KTHTDT": {"name": "Phòng Kinh tế, Hạ tầng và Đô thị"}}},
               reminders.parent)
    for skipped in ("_failed", "_snapshots", ".staging-x"):
        (tmp_path / skipped).mkdir()

    page = index.write_index(tmp_path).read_text(encoding="utf-8")

    assert "<b>odd" not in page and "&lt;b&gt;odd&amp;x" in page
    order = [m.group(1) for m in re.finditer(r'href="([^"]+)/report\.html"', page)]
    assert order == ["2026-11-27/department_reminders", "2026-11-27/data_quality",
                     "2026-10-31/monthly_report", "2026-10-31/%3Cb%3Eodd%26x"]
    assert re.search(r"tháng\s10/2026", page)  # the monthly title names its month
    assert ('<a href="2026-11-27/department_reminders/reminders/CA.pdf">CA</a>; '
            '<a href="2026-11-27/department_reminders/reminders/KTHTDT.pdf">'
            "Phòng Kinh tế, Hạ tầng và Đô thị</a>") in page


# --- unit: what the runner passes and says ------------------------------------------------


def test_parameters_are_the_run_inputs_only() -> None:
    params = build.notebook_parameters(MESSY_EXPECTED, "tests/fixtures/messy.xlsx", True)
    assert params == {"source": str(MESSY.resolve()), "as_of": AS_OF, "period_start": "2026-11-01",
                      "ward_name": "Phường Đông Hải", "allow_stale": True,
                      "metrics_path": "metrics.json"}
    assert build.notebook_parameters(MESSY_EXPECTED, "gsheet:1AbC", False)["source"] == "gsheet:1AbC"


def test_stale_banner_only_for_stale_sources() -> None:
    assert marks.stale_banner(MESSY_EXPECTED) is None
    banner = marks.stale_banner(stale_metrics())
    assert banner.startswith("Lưu ý: không kết nối được bảng tính trực tuyến")
    assert "27/11/2026" in banner and "15:58" in banner


def test_failure_outside_a_cell_names_the_step(tmp_path: Path) -> None:
    report = registry.Report("weekly_briefing", FIXTURE_NOTEBOOKS / "good.ipynb")

    def disk_full(metrics: dict, out_dir: Path) -> None:
        raise OSError("No space left on device")

    with store.run_lock(tmp_path), open(os.devnull, "w", encoding="utf-8") as quiet:
        result = reports.run_reports([report], lambda _: MESSY_EXPECTED, str(MESSY), False,
                                     tmp_path, write_metrics=disk_full, stdout=quiet,
                                     stderr=quiet)
    failed = result.failed["weekly_briefing"]
    assert str(failed) == "writing metrics.json: OSError: No space left on device"
    assert failed.kept is None and not (tmp_path / AS_OF).exists()


def test_failure_line_for_an_error_outside_a_cell() -> None:
    assert build.describe_failure(OSError("No space left on device\nmore")) == (
        "OSError: No space left on device")
    assert build.describe_failure(RuntimeError()) == "RuntimeError"


def test_reminder_files_are_named_safely() -> None:
    assert file_names.safe_file_name("KTHTDT") == "KTHTDT"
    assert file_names.safe_file_name("../VP x") == "___VP_x"


# --- sanity: the report notebooks ---------------------------------------------------------


@pytest.mark.parametrize("name", registry.REPORT_NAMES)
def test_report_notebook_takes_the_runner_parameters(name: str) -> None:
    report = registry.REPORTS[name]
    assert build.notebook_problems(report.notebook) == []
    declared = {p["name"] for p in papermill.inspect_notebook(str(report.notebook)).values()}
    assert declared >= RUNNER_PARAMETERS


def test_fixture_notebooks() -> None:
    assert build.notebook_problems(FIXTURE_NOTEBOOKS / "good.ipynb") == []
    assert build.notebook_problems(FIXTURE_NOTEBOOKS / "no_parameters.ipynb") == [
        "no_parameters.ipynb has no cell tagged 'parameters'"]
    assert build.notebook_problems(FIXTURE_NOTEBOOKS / "absent.ipynb") == [
        f"{FIXTURE_NOTEBOOKS / 'absent.ipynb'} does not exist"]


def test_the_program_ends_its_run_with_everything_printed_and_its_exit_code(tmp_path: Path):
    """`wardbrief run` as a program ends its process at once after the run (no teardown of
    the modules it loaded): all it printed is there, the exit code is the run's."""
    out = subprocess.run([sys.executable, "-m", "wardbrief.commands.cli", "run", "weekly_briefing",
                          "--source", str(MESSY), "--as-of", AS_OF, "--out", str(tmp_path)],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("[1/1] weekly_briefing … done in ")
    assert lines[-2:] == [f"  {tmp_path / 'index.html'}", f"  {tmp_path / AS_OF / 'theo-doi.xlsx'}"]
    refused = subprocess.run([sys.executable, "-m", "wardbrief.commands.cli", "run",
                              "weekly_briefing", "--source", str(tmp_path / "none.xlsx"),
                              "--as-of", AS_OF, "--out", str(tmp_path)],
                             capture_output=True, text=True, check=False)
    assert refused.returncode == 2 and refused.stderr.startswith("error: ")
