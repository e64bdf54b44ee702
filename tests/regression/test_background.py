"""wardbrief.publish.runner.Background and the reports' early steps: the annex is laid
out in a forked process while the notebook runs; what it writes, or the error it
raised, comes back to the build."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import nbformat
import pytest
from test_runner import FIXTURE_NOTEBOOKS, MESSY, fake_briefing, pdf_text, stale_metrics, write_json
from wardbrief.publish import runner
from wardbrief.run import store


def _write(folder: Path, text: str) -> list[Path]:
    target = folder / "early.txt"
    target.write_text(f"{text} from {os.getpid()}", encoding="utf-8")
    return [target]


def _fail(_folder: Path) -> list[Path]:
    raise ValueError("bảng hỏng")


def _sleep(_folder: Path) -> list[Path]:
    time.sleep(60)
    return []


def test_background_step_runs_in_another_process_and_gives_its_paths(tmp_path: Path) -> None:
    job = runner.Background(_write, tmp_path, "phụ lục")
    assert job.pid is not None and job.pid != os.getpid()
    assert job.wait() == [tmp_path / "early.txt"]
    text = (tmp_path / "early.txt").read_text(encoding="utf-8")
    assert text.startswith("phụ lục from ") and text != f"phụ lục from {os.getpid()}"
    assert job.pid is None


def test_background_error_comes_back_as_one_line(tmp_path: Path) -> None:
    job = runner.Background(_fail, tmp_path)
    with pytest.raises(RuntimeError, match=r"^ValueError: bảng hỏng$"):
        job.wait()


def test_cancel_stops_a_running_step(tmp_path: Path) -> None:
    job = runner.Background(_sleep, tmp_path)
    pid = job.pid
    started = time.monotonic()
    job.cancel()
    assert time.monotonic() - started < 10
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # killed and reaped


def test_a_failing_early_step_fails_the_report_and_keeps_the_previous(tmp_path: Path) -> None:
    previous = fake_briefing(tmp_path, "weekly_briefing", "<p>tuần trước</p>")

    def early(_report: runner.Report, _metrics: dict, staging: Path) -> list[Path]:
        raise OSError(28, "No space left on device")

    report = runner.Report("weekly_briefing", FIXTURE_NOTEBOOKS / "good.ipynb", early=early)
    with store.run_lock(tmp_path), open(os.devnull, "w", encoding="utf-8") as quiet:
        result = runner.run_reports([report], lambda _: stale_metrics(), str(MESSY), False,
                                    tmp_path, write_metrics=write_json, stdout=quiet, stderr=quiet)
    assert list(result.failed) == ["weekly_briefing"]
    assert str(result.failed["weekly_briefing"]) == (
        "extra outputs: RuntimeError: OSError: [Errno 28] No space left on device")
    assert (previous / "report.html").read_text(encoding="utf-8") == "<p>tuần trước</p>"


def test_the_weekly_annex_is_an_early_step_on_the_reports_page(tmp_path: Path) -> None:
    """The annex needs only the metrics: it is made beside the notebook, on the report's
    page (the stale-data banner of the report's head is on it too)."""
    assert runner.REPORTS["weekly_briefing"].early is runner.annex_pdf
    assert runner.REPORTS["monthly_report"].early is runner.annex_pdf
    report = runner.REPORTS["weekly_briefing"]
    written = runner.annex_pdf(report, stale_metrics(), tmp_path)
    assert written == [tmp_path / "phu_luc.pdf"]
    text = pdf_text(written[0])
    assert "PHỤ LỤC" in text and "27/11/2026 15:58" in text  # the banner: a snapshot's time
    assert all(case["case_id"] in text for case in stale_metrics()["cases"]["overdue_cases"])


# --- the kernel kept from one report to the next ------------------------------------------


def _probe(folder: Path) -> tuple[dict, list[int]]:
    nb = nbformat.read(str(folder / "report.ipynb"), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    printed = "".join(o.get("text", "") for o in code[-1].outputs if o.output_type == "stream")
    return json.loads(printed.strip().splitlines()[-1]), [c.execution_count for c in code]


def _run(reports: list[runner.Report], out: Path) -> runner.RunResult:
    with store.run_lock(out), open(os.devnull, "w", encoding="utf-8") as quiet:
        return runner.run_reports(reports, lambda _: stale_metrics(), str(MESSY), False, out,
                                  write_metrics=write_json, stdout=quiet, stderr=quiet,
                                  workers=1)


def test_one_kernel_serves_the_reports_of_a_process_cleared_each_time(tmp_path: Path) -> None:
    """Two reports in one process: the same kernel process, yet the second notebook sees
    none of the first one's names, works in its own folder and counts from In [1]; the
    kernel is gone when the run ends."""
    probe = FIXTURE_NOTEBOOKS / "kernel_state.ipynb"
    result = _run([runner.Report("weekly_briefing", probe), runner.Report("monthly_report", probe)],
                  tmp_path)
    assert sorted(result.published) == ["monthly_report", "weekly_briefing"]
    first, first_counts = _probe(result.published["weekly_briefing"])
    second, second_counts = _probe(result.published["monthly_report"])
    assert first["pid"] == second["pid"] != os.getpid()
    assert first["left_over"] == [] and second["left_over"] == []
    assert first["metrics_here"] and second["metrics_here"]
    assert Path(first["cwd"]).name.startswith(".staging-weekly_briefing-")
    assert Path(second["cwd"]).name.startswith(".staging-monthly_report-")
    assert first_counts == second_counts == [1, 2, 3]  # parameters, injected, probe
    with pytest.raises(ProcessLookupError):
        os.kill(second["pid"], 0)


def test_no_thread_of_a_notebook_is_left_when_the_next_report_forks(tmp_path: Path) -> None:
    """nbclient starts the client's heartbeat, a thread; it is stopped once the notebook
    has run, so that the process forks the next report's annex with no other thread
    (one inside fontconfig's cache lock at that instant left the annex hung)."""
    import threading

    write_json(stale_metrics(), tmp_path)
    before = {t.ident for t in threading.enumerate()}
    kernel = runner.Kernel.current()
    nb = runner.execute(FIXTURE_NOTEBOOKS / "good.ipynb", tmp_path / "report.ipynb",
                        {"metrics_path": str(tmp_path / "metrics.json")})
    assert nb.cells and kernel.km is not None  # the kernel stays for the next report
    assert kernel.kc is None and kernel.km.ready_client is None
    assert {t.ident for t in threading.enumerate()} == before


def test_nbclient_is_given_the_client_that_cleared_the_kernel(tmp_path: Path) -> None:
    """ready_for leaves its connected client for the next `km.client()` (nbclient's call):
    once, then clients are new again; a second ready_for makes and hands over a new one,
    the previous one stopped."""
    kernel = runner.Kernel()
    try:
        km = kernel.ready_for(tmp_path)
        prepared = kernel.kc
        assert prepared is not None and prepared.shell_channel.is_alive()
        assert km.client() is prepared
        assert km.client() is not prepared
        kernel.ready_for(tmp_path)
        assert kernel.kc is not prepared and not prepared.shell_channel.is_alive()
        assert km.client() is kernel.kc
    finally:
        kernel.discard()
    assert kernel.km is None and kernel.kc is None


def test_a_failed_notebook_leaves_its_kernel_behind(tmp_path: Path) -> None:
    """After a notebook fails, the next report gets a new kernel (a cell may have left the
    old one in any state)."""
    probe = FIXTURE_NOTEBOOKS / "kernel_state.ipynb"
    reports = [runner.Report("weekly_briefing", probe),
               runner.Report("monthly_report", FIXTURE_NOTEBOOKS / "broken.ipynb"),
               runner.Report("quarterly_report", probe)]
    result = _run(reports, tmp_path)
    assert list(result.failed) == ["monthly_report"]
    before, _ = _probe(result.published["weekly_briefing"])
    after, counts = _probe(result.published["quarterly_report"])
    assert before["pid"] != after["pid"] and counts == [1, 2, 3]


def test_tracking_workbook_written_beside_the_briefings_or_said_why(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    """theo-doi.xlsx is written in a forked process while the briefing is built; when it
    cannot be written the run says so in one line and exits 1, the briefing published."""
    from wardbrief.commands import cli
    from wardbrief.publish import sheet_writeback

    def full_disk(_metrics: dict, _target: Path) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sheet_writeback, "write_tracking_workbook", full_disk)
    code = cli.main(["run", "data_quality", "--source", str(MESSY), "--as-of", "2026-11-27",
                     "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.strip().splitlines()[-1] == (
        "theo-doi.xlsx: không ghi được / could not be written: "
        "OSError: [Errno 28] No space left on device")
    assert (tmp_path / "2026-11-27" / "data_quality" / "report.pdf").is_file()
    assert not (tmp_path / "2026-11-27" / "theo-doi.xlsx").exists()


def test_a_relative_out_folder_is_the_kernels_folder_too(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`make report` publishes to `outputs` (relative): the warm kernel, started elsewhere,
    works in the report's folder all the same."""
    monkeypatch.chdir(tmp_path)
    probe = FIXTURE_NOTEBOOKS / "kernel_state.ipynb"
    result = _run([runner.Report("weekly_briefing", probe)], Path("outputs"))
    assert list(result.published) == ["weekly_briefing"], result.failed
    seen, _ = _probe(result.published["weekly_briefing"])
    assert Path(seen["cwd"]).parent == tmp_path / "outputs" and seen["metrics_here"]


def test_a_kernel_that_cannot_start_fails_the_report_in_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "KERNEL_NAME", "no-such-kernel")
    runner.Kernel.shutdown_current()
    runner.Kernel.warm_up()  # nothing raised here: the report says why
    result = _run([runner.Report("weekly_briefing", FIXTURE_NOTEBOOKS / "kernel_state.ipynb")],
                  tmp_path)
    assert list(result.failed) == ["weekly_briefing"]
    assert "no-such-kernel" in str(result.failed["weekly_briefing"])


def _freeze_count(folder: Path) -> list[Path]:
    import gc

    return [folder / str(gc.get_freeze_count())]


def test_a_forked_step_keeps_the_parents_heap_frozen_and_the_parent_does_not(tmp_path: Path):
    """Background forks inside forking.frozen_heap: the child's collector leaves what it
    shares with this process alone; this process's collector is as it was (everything
    back, or what a `run` froze for good, when one ran in this process)."""
    import gc

    before = gc.get_freeze_count()
    [frozen] = runner.Background(_freeze_count, tmp_path).wait()
    assert int(frozen.name) > 1000  # the modules and objects of this test process
    assert gc.get_freeze_count() == before


FREEZE_FOR_GOOD = """
import gc, os
from wardbrief import forking

class Cycle:
    pass

def cycle():
    a, b = Cycle(), Cycle()
    a.b, b.a = b, a
    return a

kept = [cycle() for _ in range(1000)]
cycle()  # garbage: collected before the freeze, never frozen
gc.disable()
forking.freeze_for_good()
frozen = gc.get_freeze_count()
assert frozen > 2000 and not any(type(o) is Cycle for o in gc.get_objects()), frozen
forking.freeze_for_good()
assert gc.get_freeze_count() == frozen  # once
with forking.frozen_heap():
    pid = os.fork()
    if pid == 0:
        os._exit(0 if gc.get_freeze_count() == frozen else 1)
assert os.waitpid(pid, 0)[1] == 0 and gc.get_freeze_count() == frozen
del kept
new = [cycle() for _ in range(10)]
del new
assert gc.collect() == 20  # what is made after the freeze is collected as ever
print("ok")
"""


def test_what_a_run_loaded_is_frozen_for_good_and_forks_keep_it(tmp_path: Path) -> None:
    """forking.freeze_for_good (the CLI after its preload, a kernel after its warm-up):
    garbage collected first, the rest frozen once; frozen_heap then changes nothing,
    and what is made later is collected as before. In a process of its own."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", FREEZE_FOR_GOOD], capture_output=True, check=False,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
