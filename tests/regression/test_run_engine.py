"""The run engine (wardbrief.run.engine, .build, .reports): the outputs made from the
metrics alone (the annex), the warm kernel kept from one report to the next, cleared
each time and shut down after a failure, its allow-listed environment, and what a
killed run leaves swept by the next."""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest
from test_runner import FIXTURE_NOTEBOOKS, MESSY, fake_briefing, pdf_text, stale_metrics, write_json
from wardbrief.run import engine, extras, registry, reports, store


def test_a_failing_metrics_step_fails_the_report_and_keeps_the_previous(tmp_path: Path) -> None:
    previous = fake_briefing(tmp_path, "weekly_briefing", "<p>tuần trước</p>")

    def annex(_report: registry.Report, _metrics: dict, staging: Path) -> list[Path]:
        raise OSError(28, "No space left on device")

    report = registry.Report("weekly_briefing", FIXTURE_NOTEBOOKS / "good.ipynb",
                             from_metrics=annex)
    with store.run_lock(tmp_path), open(os.devnull, "w", encoding="utf-8") as quiet:
        result = reports.run_reports([report], lambda _: stale_metrics(), str(MESSY), False,
                                    tmp_path, write_metrics=write_json, stdout=quiet, stderr=quiet)
    assert list(result.failed) == ["weekly_briefing"]
    assert str(result.failed["weekly_briefing"]) == (
        "extra outputs: OSError: [Errno 28] No space left on device")
    assert (previous / "report.html").read_text(encoding="utf-8") == "<p>tuần trước</p>"


def test_the_weekly_annex_is_made_from_the_metrics_on_the_reports_page(tmp_path: Path) -> None:
    """The annex needs only the metrics: it is made beside the notebook, on the report's
    page (the stale-data banner of the report's head is on it too)."""
    assert registry.REPORTS["weekly_briefing"].from_metrics is extras.annex_pdf
    assert registry.REPORTS["monthly_report"].from_metrics is extras.annex_pdf
    report = registry.REPORTS["weekly_briefing"]
    written = extras.annex_pdf(report, stale_metrics(), tmp_path)
    assert written == [tmp_path / "phu_luc.pdf"]
    text = pdf_text(written[0])
    assert "PHỤ LỤC" in text and "27/11/2026 15:58" in text  # the banner: a snapshot's time
    assert all(case["case_id"] in text for case in stale_metrics()["cases"]["overdue_cases"])


def test_a_reminder_the_reports_page_does_not_show_is_laid_out_alone(tmp_path: Path) -> None:
    """Each department's PDF is the report's layout of its reminder (Built.documents,
    by code); one the page did not show (an office that edited the notebook) is laid out
    alone on the report's page, and its Word file is written all the same."""
    from wardbrief.briefings import reminder
    from wardbrief.run.build import Built

    metrics = stale_metrics()
    codes = reminder.reminder_codes(metrics)
    assert len(codes) >= 2
    built = Built(tmp_path, metrics, nbformat.v4.new_notebook(), "", documents={})
    files = extras.reminder_files(built)
    assert sorted(p.suffix for p in files) == [".docx"] * len(codes) + [".pdf"] * len(codes)
    for code in codes:
        [pdf] = [p for p in files if p.suffix == ".pdf" and p.stem.startswith(code)]
        text = pdf_text(pdf)
        assert "PHIẾU ĐÔN ĐỐC" in text or "BÁO CÁO" in text
        assert "27/11/2026 15:58" in text  # the report's head: the snapshot's banner
        others = [c for c in codes if c != code and c != reminder.UNASSIGNED]
        assert all(reminder.addressee(reminder.reminder_document(metrics, c)) not in text
                   for c in others if reminder.addressee(reminder.reminder_document(metrics, c)))


# --- the kernel kept from one report to the next ------------------------------------------


def _probe(folder: Path) -> tuple[dict, list[int]]:
    nb = nbformat.read(str(folder / "report.ipynb"), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    printed = "".join(o.get("text", "") for o in code[-1].outputs if o.output_type == "stream")
    return json.loads(printed.strip().splitlines()[-1]), [c.execution_count for c in code]


def _run(built: list[registry.Report], out: Path, jobs: int = 1) -> reports.RunResult:
    with store.run_lock(out), open(os.devnull, "w", encoding="utf-8") as quiet:
        return reports.run_reports(built, lambda _: stale_metrics(), str(MESSY), False, out,
                                   write_metrics=write_json, stdout=quiet, stderr=quiet,
                                   jobs=jobs)


def test_one_kernel_serves_the_reports_of_a_process_cleared_each_time(tmp_path: Path) -> None:
    """Two reports in one process: the same kernel process, yet the second notebook sees
    none of the first one's names, works in its own folder and counts from In [1]; the
    kernel is gone when the run ends."""
    probe = FIXTURE_NOTEBOOKS / "kernel_state.ipynb"
    result = _run([registry.Report("weekly_briefing", probe), registry.Report("monthly_report", probe)],
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


def test_the_running_notebook_is_saved_at_its_end_not_at_every_cell(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """papermill's manager saves the notebook at each cell's start and end; the engine's
    (ScheduledSaves) only as it starts, as it ends and every autosave_cell_every s."""
    import papermill.engines

    saved: list[int] = []
    real = papermill.engines.write_ipynb

    def counted(nb: nbformat.NotebookNode, path: str) -> None:
        saved.append(sum(1 for c in nb.cells if c.get("execution_count")))
        real(nb, path)

    monkeypatch.setattr(papermill.engines, "write_ipynb", counted)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"x = {n}") for n in range(6)])
    nb.cells[0].metadata["tags"] = ["parameters"]
    source = tmp_path / "six.ipynb"
    nbformat.write(nb, str(source))
    done = engine.execute(source, tmp_path / "out.ipynb", {})
    assert [c.execution_count for c in done.cells] == [1, 2, 3, 4, 5, 6]
    assert saved == [0, 6]  # papermill's own manager: 14 saves (0, 0, 1, 1, 2, …)
    plain = papermill.engines.NotebookExecutionManager(done, str(tmp_path / "n.ipynb"),
                                                       progress_bar=False)
    plain.cell_start(done.cells[1], cell_index=1)
    assert saved == [0, 6, 6]  # the count sees papermill's save at a cell's start


def test_the_client_nbclient_starts_runs_no_heartbeat_thread(tmp_path: Path) -> None:
    """A heartbeat thread outlives a stop: when Ctrl-C ends the kernel it opens its socket
    again on a closed context and prints a traceback after the run's one line."""
    import threading

    kernel = engine.WarmKernel.current()
    kc = kernel.ready_for(tmp_path).client()
    try:
        kc.start_channels()  # what nbclient calls, heartbeat included by default
        assert kc.shell_channel.is_alive() and kc.iopub_channel.is_alive()
        assert kc._hb_channel is None
        assert [t for t in threading.enumerate() if type(t).__name__ == "HBChannel"] == []
    finally:
        kernel.release_client()


def test_no_thread_of_a_notebook_is_left_once_it_has_run(tmp_path: Path) -> None:
    """Nothing of a notebook's client runs while the report is rendered."""
    import threading

    write_json(stale_metrics(), tmp_path)
    before = {t.ident for t in threading.enumerate()}
    kernel = engine.WarmKernel.current()
    nb = engine.execute(FIXTURE_NOTEBOOKS / "good.ipynb", tmp_path / "report.ipynb",
                        {"metrics_path": str(tmp_path / "metrics.json")})
    assert nb.cells and kernel.km is not None  # the kernel stays for the next report
    assert kernel.kc is None and kernel.km.ready_client is None
    assert {t.ident for t in threading.enumerate()} == before


def test_nbclient_is_given_the_client_that_cleared_the_kernel(tmp_path: Path) -> None:
    """ready_for leaves its connected client for the next `km.client()` (nbclient's call):
    once, then clients are new again; a second ready_for makes and hands over a new one,
    the previous one stopped."""
    kernel = engine.WarmKernel()
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
    built = [registry.Report("weekly_briefing", probe),
             registry.Report("monthly_report", FIXTURE_NOTEBOOKS / "broken.ipynb"),
             registry.Report("quarterly_report", probe)]
    result = _run(built, tmp_path)
    assert list(result.failed) == ["monthly_report"]
    before, _ = _probe(result.published["weekly_briefing"])
    after, counts = _probe(result.published["quarterly_report"])
    assert before["pid"] != after["pid"] and counts == [1, 2, 3]


def test_tracking_workbook_written_beside_the_briefings_or_said_why(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    """theo-doi.xlsx is written while the briefing is built (with one report, by the
    run's process while its kernel runs the notebook; else by whichever process of the
    run is free); when it cannot be written the run says so in one line and exits 1,
    the briefing published."""
    from wardbrief.commands import cli
    from wardbrief.publish import tracking

    def full_disk(_metrics: dict, _target: Path) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tracking, "write_tracking_workbook", full_disk)
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
    result = _run([registry.Report("weekly_briefing", probe)], Path("outputs"))
    assert list(result.published) == ["weekly_briefing"], result.failed
    seen, _ = _probe(result.published["weekly_briefing"])
    assert Path(seen["cwd"]).parent == tmp_path / "outputs" and seen["metrics_here"]


def test_a_kernel_that_cannot_start_fails_the_report_in_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "KERNEL_NAME", "no-such-kernel")
    engine.WarmKernel.discard_current()
    engine.WarmKernel.warm_up()  # nothing raised here: the report says why
    result = _run([registry.Report("weekly_briefing", FIXTURE_NOTEBOOKS / "kernel_state.ipynb")],
                  tmp_path)
    assert list(result.failed) == ["weekly_briefing"]
    assert "no-such-kernel" in str(result.failed["weekly_briefing"])


SECRETS = {"WARDBRIEF_SMTP_PASSWORD": "mật-khẩu", "WARDBRIEF_SMTP_USER": "vp@donghai.vn",
           "WARDBRIEF_SERVICE_ACCOUNT": "/etc/wardbrief/key.json",
           "GOOGLE_APPLICATION_CREDENTIALS": "/etc/wardbrief/key.json",
           "WARDBRIEF_CONFIG": "/etc/wardbrief/config.toml", "GITHUB_TOKEN": "ghp_x",
           "AWS_SECRET_ACCESS_KEY": "x", "API_KEY": "x", "DB_PASSWORD": "x"}


def test_a_kernels_environment_holds_no_credential(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The parent has every secret; the kernel that runs the notebook sees none of them,
    only the allow-listed names (the locale, the time zone, this interpreter's paths)."""
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("TZ", "Asia/Ho_Chi_Minh")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    engine.WarmKernel.discard_current()  # a kernel launched before the secrets were set
    result = _run([registry.Report("weekly_briefing", FIXTURE_NOTEBOOKS / "kernel_state.ipynb")],
                  tmp_path)
    seen, _ = _probe(result.published["weekly_briefing"])
    assert set(seen["environment"]) & set(SECRETS) == set()
    assert {"TZ", "LC_ALL", "PATH"} <= set(seen["environment"])
    assert "JPY_PARENT_PID" in seen["environment"]  # the kernel ends with the run
    allowed = engine.kernel_environment({**SECRETS, "HOME": "/home/vp", "LANG": "vi_VN.UTF-8",
                                         "WARDBRIEF_SPREADSHEET": "1AbC", "SSH_AUTH_SOCK": "/s"})
    assert allowed == {"HOME": "/home/vp", "LANG": "vi_VN.UTF-8",
                       "WARDBRIEF_SPREADSHEET": "1AbC", "JUPYTER_PREFER_ENV_PATH": "1"}


def _disk_full(_built: object) -> list[Path]:
    raise OSError(28, "No space left on device")


def test_a_report_that_fails_after_its_notebook_leaves_no_kernel_behind(tmp_path: Path) -> None:
    """A report whose extra outputs fail (a full disk) after its notebook ran: the kernel
    it used, whose working folder is then deleted, is not given to the next report."""
    probe = FIXTURE_NOTEBOOKS / "kernel_state.ipynb"
    result = _run([registry.Report("weekly_briefing", probe),
                   registry.Report("monthly_report", probe, extra=_disk_full),
                   registry.Report("quarterly_report", probe)], tmp_path)
    assert list(result.failed) == ["monthly_report"]
    assert str(result.failed["monthly_report"]) == (
        "extra outputs: OSError: [Errno 28] No space left on device")
    before, _ = _probe(result.published["weekly_briefing"])
    after, counts = _probe(result.published["quarterly_report"])
    assert before["pid"] != after["pid"] and counts == [1, 2, 3]
    assert not list(tmp_path.glob(".staging-*"))


def test_two_processes_build_each_with_its_own_kernel(tmp_path: Path) -> None:
    """`--jobs 2`: this process and one worker, each with a warm kernel of its own; every
    report published, each kernel gone when the run ends, no kernel folder left."""
    import tempfile

    probe = FIXTURE_NOTEBOOKS / "kernel_state.ipynb"
    names = ("weekly_briefing", "monthly_report", "quarterly_report", "half_year_report")
    result = _run([registry.Report(name, probe) for name in names], tmp_path, jobs=2)
    assert sorted(result.published) == sorted(names), result.failed
    seen = [_probe(result.published[name])[0] for name in names]
    assert len({s["pid"] for s in seen}) == 2
    for state in seen:
        assert state["left_over"] == [] and state["metrics_here"]
        with pytest.raises(ProcessLookupError):
            os.kill(state["pid"], 0)
    mine = [p for p in Path(tempfile.gettempdir()).glob(f"{engine.KERNEL_FOLDER_PREFIX}*")
            if p.name.split("-")[2] == str(os.getpid())]
    assert mine == []


def test_what_a_killed_run_left_is_swept_by_the_next(tmp_path: Path) -> None:
    """A kernel folder of a process that is gone and a tracking workbook being saved by
    one are removed when the next run starts; those of live processes are kept."""
    import subprocess
    import sys
    import tempfile

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    base = Path(tempfile.gettempdir())
    dead = base / f"{engine.KERNEL_FOLDER_PREFIX}{gone}-test"
    live = base / f"{engine.KERNEL_FOLDER_PREFIX}{os.getpid()}-test"
    for folder in (dead, live):
        folder.mkdir(exist_ok=True)
        (folder / "kernel.json").write_text("{}", encoding="utf-8")
    day = tmp_path / "2026-11-27"
    day.mkdir()
    left = day / f".theo-doi.xlsx.{gone}.tmp"
    saving = day / f".theo-doi.xlsx.{os.getpid()}.tmp"
    left.write_bytes(b"PK")
    saving.write_bytes(b"PK")
    try:
        reports.sweep_leftovers(tmp_path)
        assert not dead.exists() and live.is_dir()
        assert not left.exists() and saving.exists()
    finally:
        import shutil

        shutil.rmtree(live, ignore_errors=True)
        shutil.rmtree(dead, ignore_errors=True)


def test_the_engine_is_papermills_by_name() -> None:
    """Registered through papermill's registry (the package's entry point `papermill.engine`
    and on import), chosen by name in execute()."""
    import importlib.metadata

    from papermill.engines import papermill_engines
    from wardbrief.run import papermill_engine

    assert papermill_engines.get_engine(engine.ENGINE_NAME) is papermill_engine.WarmKernelEngine
    declared = {e.name: e.value for e in importlib.metadata.entry_points(group="papermill.engine")}
    assert declared[engine.ENGINE_NAME] == "wardbrief.run.papermill_engine:WarmKernelEngine"


def test_a_tracking_workbook_that_cannot_be_saved_leaves_no_temporary_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from wardbrief.publish import tracking

    def full_disk(_src: object, _dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tracking.os, "replace", full_disk)
    with pytest.raises(OSError, match="No space left"):
        tracking.write_tracking_workbook(stale_metrics(), tmp_path / "theo-doi.xlsx")
    assert list(tmp_path.iterdir()) == []


def pid_annex(_report: registry.Report, _metrics: dict, staging: Path) -> list[Path]:
    target = staging / "annex.txt"
    target.write_text(str(os.getpid()), encoding="utf-8")
    return [target]


@pytest.mark.parametrize("lines, by_a_worker", [(0, True), (10**9, False)])
def test_one_reports_long_annex_is_laid_out_by_a_worker(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       lines: int, by_a_worker: bool) -> None:
    """One report: its notebook here, its annex by a worker when it is long
    (reports.WORKER_FROM_LINES), else here too."""
    monkeypatch.setattr(reports, "WORKER_FROM_LINES", lines)
    report = registry.Report("weekly_briefing", FIXTURE_NOTEBOOKS / "kernel_state.ipynb",
                             from_metrics=pid_annex)
    result = _run([report], tmp_path, jobs=2)
    folder = result.published["weekly_briefing"]
    annex_pid = int((folder / "annex.txt").read_text(encoding="utf-8"))
    notebook_pid = _probe(folder)[0]["pid"]  # the kernel's: a child of this process
    assert (annex_pid != os.getpid()) is by_a_worker and annex_pid != notebook_pid


def test_a_large_local_workbook_starts_the_annex_worker_at_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import argparse

    from wardbrief.commands import run

    monkeypatch.setattr(run, "LARGE_SOURCE_BYTES", MESSY.stat().st_size)
    assert run._large_source(argparse.Namespace(source=str(MESSY)))
    monkeypatch.setattr(run, "LARGE_SOURCE_BYTES", MESSY.stat().st_size + 1)
    assert not run._large_source(argparse.Namespace(source=str(MESSY)))
    (tmp_path / "PhanAnh.csv").write_bytes(b"x" * (MESSY.stat().st_size + 1))
    assert run._large_source(argparse.Namespace(source=str(tmp_path)))
    for source in (None, "gsheet:1AbC", str(tmp_path / "missing.xlsx")):
        assert not run._large_source(argparse.Namespace(source=source))


def test_a_stopped_report_waits_for_no_stuck_thread_and_its_end_says_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C while the report's own thread is stuck (on an import's lock the signal left
    held in the main thread, say): the stop goes on without it, and when the thread ends
    on the removed staging folder it prints no traceback."""
    import signal
    import threading

    from wardbrief import processes
    from wardbrief.run import build

    stuck, release = threading.Event(), threading.Event()

    def annex(_report: registry.Report, _metrics: dict, staging: Path) -> list[Path]:
        stuck.set()
        release.wait()
        raise FileNotFoundError(staging / "phu_luc.pdf")

    def execute(_notebook: Path, _output: Path, _parameters: dict, on_running) -> None:
        on_running()
        stuck.wait()
        raise processes.Interrupted(signal.SIGINT)

    monkeypatch.setattr(engine, "execute", execute)
    said: list = []
    monkeypatch.setattr(threading, "excepthook", said.append)
    report = registry.Report("weekly_briefing", FIXTURE_NOTEBOOKS / "good.ipynb",
                             from_metrics=annex)
    ended: list[str] = []

    def build_it() -> None:
        try:
            build.build_notebook(report, stale_metrics(), {}, tmp_path, write_json, beside=True)
        except processes.Interrupted:
            ended.append("stopped")

    builder = threading.Thread(target=build_it, daemon=True)
    builder.start()
    builder.join(timeout=60)  # finds a hang; the bound is no speed target
    assert ended == ["stopped"]
    release.set()
    for thread in threading.enumerate():
        if thread.name == "wardbrief-meanwhile":
            thread.join(timeout=60)
    assert said == []
