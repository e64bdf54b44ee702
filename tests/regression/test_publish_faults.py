"""Faults injected into publishing (issue 14): the process killed (SIGKILL) at every step
of `store.publish` and of the index write, a full disk (ENOSPC) on the final rename and
on the index, time limits on the figures, on a report and on a notebook cell.

After each fault: the last good briefing is there (the link `outputs/<as-of>/<report>`
resolves to a whole briefing, old or new), index.html links only what exists, the next
run repairs what was left, a failure is one line with the notebook kept under `_failed`
and `run all` goes on with the next report; the lock is free.
"""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from builders import REPO, TESTS
from wardbrief.commands import cli
from wardbrief.run import build, engine, index, registry, reports, store

AS_OF = "2026-11-27"
GOOD = TESTS / "notebooks" / "good.ipynb"
MESSY = TESTS / "fixtures" / "messy.xlsx"

KILL_SCRIPT = """
import os, signal, sys
from pathlib import Path
from wardbrief.run import index, store

step, out, what, exchange = sys.argv[1], Path(sys.argv[2]), sys.argv[3], sys.argv[4]

def hook(name):
    if name == step:
        os.kill(os.getpid(), signal.SIGKILL)

store.FAULT_HOOK = hook
if exchange == "no":
    store._exchange = lambda a, b: False
if what == "publish":
    store.publish(out / ".staging-weekly_briefing-new", out / "2026-11-27" / "weekly_briefing")
else:
    index.write_index(out)
print("not killed")
"""


def staging(out: Path, text: str, name: str = ".staging-weekly_briefing-new") -> Path:
    folder = out / name
    folder.mkdir(parents=True)
    (folder / "report.html").write_text(text, encoding="utf-8")
    (folder / "report.pdf").write_bytes(b"%PDF-" + text.encode())
    return folder


def previous_briefing(out: Path, layout: str) -> Path:
    """The briefing of the last good run: a real folder (older publisher) or a version."""
    final = out / AS_OF / "weekly_briefing"
    if layout == "folder":
        final.mkdir(parents=True)
        (final / "report.html").write_text("old", encoding="utf-8")
        (final / "report.pdf").write_bytes(b"%PDF-old")
    else:
        store.publish(staging(out, "old", ".staging-weekly_briefing-old"), final)
    index.write_index(out)
    return final


def kill_at(out: Path, step: str, what: str = "publish", exchange: str = "yes") -> str:
    done = subprocess.run([sys.executable, "-c", KILL_SCRIPT, step, str(out), what, exchange],
                          check=False, capture_output=True, text=True, cwd=REPO,
                          timeout=60)
    assert done.returncode == -9, (done.stdout, done.stderr)  # killed where asked
    return done.stdout


def index_links_resolve(out: Path) -> list[str]:
    """Every href of index.html, checked to exist."""
    html = (out / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'href="([^"#]+)"', html)
    assert hrefs, html
    missing = [h for h in hrefs if not (out / h).exists()]
    assert not missing, missing
    return hrefs


def briefing_text(final: Path) -> str:
    return (final / "report.html").read_text(encoding="utf-8")


def settled(out: Path) -> list[str]:
    return sorted(p.name for p in (out / AS_OF).iterdir())


STEPS = {  # (layout of the previous briefing, exchange supported) -> steps of publish
    ("version", "yes"): ["publish:version", "publish:linked"],
    ("folder", "yes"): ["publish:version", "publish:exchanged", "publish:linked"],
    ("folder", "no"): ["publish:version", "publish:legacy", "publish:linked"],
}
CASES = [(layout, exchange, step) for (layout, exchange), steps in STEPS.items()
         for step in steps]
SETTLED = {  # entries of the date folder once repaired: the link and its versions
    ("version", "yes", "publish:version"): 2,  # the new version, never linked, removed
    ("version", "yes", "publish:linked"): 3,  # the old one kept as the older version
    ("folder", "yes", "publish:version"): 1,  # the older publisher's folder stands alone
    ("folder", "yes", "publish:exchanged"): 2,  # its folder, swapped out, removed
    ("folder", "yes", "publish:linked"): 2,
    ("folder", "no", "publish:version"): 1,
    ("folder", "no", "publish:legacy"): 3,  # its folder, renamed `.v0`, kept as a version
    ("folder", "no", "publish:linked"): 3,
}


@pytest.mark.parametrize("layout, exchange, step", CASES)
def test_sigkill_at_each_step_of_publishing(tmp_path: Path, layout: str, exchange: str,
                                            step: str) -> None:
    out = tmp_path / "outputs"
    final = previous_briefing(out, layout)
    staging(out, "new")

    kill_at(out, step, "publish", exchange)

    if step == "publish:legacy":
        # renamed aside, not yet linked: only without an atomic exchange (not on Linux);
        # the next run links the newest whole briefing before anything else
        assert not os.path.lexists(final)
        before = "new"
    else:
        before = briefing_text(final)
        assert before == ("new" if step in ("publish:linked", "publish:exchanged") else "old")
        index_links_resolve(out)

    with store.run_lock(out):  # the next run repairs under the lock
        pass
    assert briefing_text(final) == before
    index_links_resolve(out)
    names = settled(out)
    assert names[-1] == "weekly_briefing" and len(names) == SETTLED[layout, exchange, step], names
    assert all(re.fullmatch(r"\.weekly_briefing\.v\d+", n) for n in names[:-1]), names
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == [".lock"]

    store.publish(staging(out, "newer"), final)  # and publishing goes on as usual
    assert briefing_text(final) == "newer"
    assert len(settled(out)) == min(len(names), 1 + store.KEPT_VERSIONS) + 1


def test_sigkill_while_writing_the_index(tmp_path: Path) -> None:
    out = tmp_path / "outputs"
    previous_briefing(out, "version")
    old_index = (out / "index.html").read_text(encoding="utf-8")
    staging(out, "more", ".staging-x")
    (out / "2026-11-20").mkdir()
    store.publish(out / ".staging-x", out / "2026-11-20" / "monthly_report")

    kill_at(out, "index:written", "index")

    assert (out / "index.html").read_text(encoding="utf-8") == old_index
    [tmp] = [p for p in out.iterdir() if p.name.startswith(".index-")]
    assert tmp.stat().st_size > 0  # written whole and synced; never a 0-byte index
    with store.run_lock(out):
        assert not [p for p in out.iterdir() if p.name.startswith(".index-")]


def test_a_killed_older_publisher_is_repaired(tmp_path: Path) -> None:
    """The publisher before versions: killed between its two renames, it left the last
    good briefing in `.trash-*`, which the next run used to delete."""
    out = tmp_path / "outputs"
    (out / AS_OF).mkdir(parents=True)
    trash = staging(out, "old", f".trash-{AS_OF}-weekly_briefing")
    staging(out, "", f".trash-{AS_OF}-monthly_report").joinpath("report.html").unlink()
    with store.run_lock(out):
        pass
    assert briefing_text(out / AS_OF / "weekly_briefing") == "old" and not trash.exists()
    assert sorted(p.name for p in out.iterdir()) == [".lock", AS_OF]


# --- a full disk ------------------------------------------------------------------------------

def fake_build(report, metrics, parameters, staging_dir, write_metrics, *, beside=False,
               after=None):
    """A build without a kernel: what the real one leaves in its staging folder (`beside`:
    where the real one lays out the metrics' own outputs; nothing here), and the steps of
    the run it is handed (`after`) done, as the real one does them."""
    write_metrics(metrics, staging_dir)
    for step in after or ():
        step()
    (staging_dir / "report.ipynb").write_text("{}", encoding="utf-8")
    (staging_dir / "report.html").write_text(f"<p>{report.name}</p>", encoding="utf-8")
    (staging_dir / "report.pdf").write_bytes(b"%PDF-new")
    return build.Built(staging_dir, metrics, None, f"<p>{report.name}</p>")


def write_json(metrics: dict, out_dir: Path) -> list[Path]:
    path = out_dir / "metrics.json"
    path.write_text(json.dumps(metrics, allow_nan=False), encoding="utf-8")
    return [path]


def enospc(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def two_reports() -> list[registry.Report]:
    return [registry.Report("weekly_briefing", GOOD), registry.Report("monthly_report", GOOD)]


def run_two(out: Path, capsys: pytest.CaptureFixture,
            built: list[registry.Report] | None = None) -> tuple[reports.RunResult, str]:
    metrics = {"as_of": AS_OF, "ward": "Phường Đông Hải", "departments": {}}
    with store.run_lock(out):
        result = reports.run_reports(built or two_reports(), lambda _r: metrics, str(MESSY),
                                     False, out, write_metrics=write_json)
    return result, capsys.readouterr().err


def test_full_disk_on_the_final_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "outputs"
    final = previous_briefing(out, "folder")
    monkeypatch.setattr(build, "build_notebook", fake_build)
    real_replace = os.replace

    def replace(src, dst):  # the disk fills up as the first report is put in place
        if "weekly_briefing" in str(dst):
            enospc()
        return real_replace(src, dst)

    monkeypatch.setattr(store.os, "replace", replace)
    monkeypatch.setattr(store, "_exchange", lambda a, b: enospc())
    result, err = run_two(out, capsys)

    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err
    assert lines[0].startswith("weekly_briefing: publishing: OSError: [Errno 28] No space "
                               "left on device (executed notebook: ")
    assert list((out / "_failed").glob("*-weekly_briefing.ipynb"))
    assert briefing_text(final) == "old"
    assert result.published == {"monthly_report": out / AS_OF / "monthly_report"}  # goes on
    assert result.exit_code == 1
    index_links_resolve(out)
    assert not [p for p in out.iterdir() if p.name.startswith((".staging-", ".index-"))]


def test_full_disk_on_the_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "outputs"
    previous_briefing(out, "version")
    old_index = (out / "index.html").read_text(encoding="utf-8")
    monkeypatch.setattr(build, "build_notebook", fake_build)
    monkeypatch.setattr(index.os, "fsync", enospc)
    result, err = run_two(out, capsys)

    assert err.strip().splitlines() == [
        "index.html: OSError: [Errno 28] No space left on device (the previous index is kept)"
    ] * 3  # after each report, and once at the end
    assert set(result.published) == {"weekly_briefing", "monthly_report"}
    assert (out / "index.html").read_text(encoding="utf-8") == old_index
    assert not [p for p in out.iterdir() if p.name.startswith(".index-")]


# --- time limits ----------------------------------------------------------------------------

def test_figures_over_their_time_limit_fail_the_report_and_free_the_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    from wardbrief.figures import metrics as figures

    finished = []

    def slow_figures(*args, **kwargs):
        time.sleep(30)
        finished.append(True)  # reached only when nothing stopped the figures

    monkeypatch.setattr(registry, "FIGURES_TIMEOUT_S", 0.5)
    monkeypatch.setattr(figures, "compute_metrics", slow_figures)
    code = cli.main(["run", "weekly_briefing", "--source", str(MESSY), "--as-of", AS_OF,
                     "--out", str(tmp_path)])
    assert code == 1 and finished == []
    assert ("weekly_briefing: metrics: TimeLimitExceeded: the figures took longer than 0.5 s"
            in capsys.readouterr().err)
    with store.run_lock(tmp_path):  # free
        pass


def test_a_report_over_its_time_limit_fails_and_the_next_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    finished = []

    def slow_build(report, *args, **kwargs):
        if report.name == "weekly_briefing":
            time.sleep(30)
            finished.append(report.name)  # reached only when nothing stopped the build
        return fake_build(report, *args, **kwargs)

    monkeypatch.setattr(build, "build_notebook", slow_build)
    # the next report has the usual limit: a loaded machine may well take 0.5 s to build it
    limited = [registry.Report("weekly_briefing", GOOD, time_limit_s=0.5),
               registry.Report("monthly_report", GOOD)]
    result, err = run_two(tmp_path, capsys, limited)
    assert err.strip() == ("weekly_briefing: TimeLimitExceeded: building weekly_briefing took "
                           "longer than 0.5 s")
    assert list(result.published) == ["monthly_report"] and finished == []


def test_a_hung_notebook_cell_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture) -> None:
    import nbformat

    nb = nbformat.read(str(GOOD), as_version=4)
    woke = tmp_path / "woke"  # written only by a cell that slept its 600 s through
    nb.cells.append(nbformat.v4.new_code_cell(
        f"import time\ntime.sleep(600)\nopen({str(woke)!r}, 'w').close()"))
    hung = tmp_path / "hung.ipynb"
    nbformat.write(nb, str(hung))
    monkeypatch.setattr(engine, "CELL_TIMEOUT_S", 3)
    out = tmp_path / "outputs"
    metrics = json.loads((TESTS / "fixtures" / "messy.expected.json").read_text(encoding="utf-8"))
    with store.run_lock(out):
        result = reports.run_reports([registry.Report("weekly_briefing", hung)], lambda _r: metrics,
                                    str(MESSY), False, out, write_metrics=write_json)
    assert not woke.exists()
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("weekly_briefing: ") and "Timeout" in line, line
    assert result.exit_code == 1
    [kept] = (out / "_failed").glob("*.ipynb")  # up to the hung cell, saved as it was stopped
    code = [c for c in nbformat.read(str(kept), as_version=4).cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code[:-1]) and "time.sleep(600)" in code[-1].source
    with store.run_lock(out):
        pass


def test_time_limit_outside_the_main_thread_is_no_limit() -> None:
    import threading

    done = []

    def work() -> None:
        with registry.time_limit(0.01, "x"):
            time.sleep(0.05)
        done.append(True)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert done == [True]
