"""wardbrief.run.store: the run lock, versions of a briefing, repair, finding a briefing.
(Faults while publishing: tests/regression/test_publish_faults.py.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from wardbrief.run import store

AS_OF = "2026-11-27"


def staged(out: Path, text: str) -> Path:
    folder = out / f".staging-weekly_briefing-{text}"
    folder.mkdir(parents=True)
    (folder / "report.html").write_text(text, encoding="utf-8")
    return folder


def texts(day: Path, name: str = "weekly_briefing") -> list[str]:
    return [(v / "report.html").read_text(encoding="utf-8") for v in store.versions(day, name)]


def test_each_publish_is_a_version_and_two_older_ones_are_kept(tmp_path: Path) -> None:
    final = tmp_path / AS_OF / "weekly_briefing"
    for n in range(1, 6):
        store.publish(staged(tmp_path, f"v{n}"), final)
    assert (final / "report.html").read_text(encoding="utf-8") == "v5"
    assert final.is_symlink() and os.readlink(final).startswith(".weekly_briefing.v")
    assert texts(final.parent) == ["v3", "v4", "v5"]
    assert len(list(final.parent.iterdir())) == 4  # the link and its three versions
    assert sorted(p.name for p in tmp_path.iterdir()) == [AS_OF]  # no staging left


def test_versions_of_other_briefings_are_left_alone(tmp_path: Path) -> None:
    day = tmp_path / AS_OF
    custom = "weekly_briefing-2026-11-01..2026-11-27"
    for n in range(4):
        store.publish(staged(tmp_path, f"c{n}"), day / custom)
    store.publish(staged(tmp_path, "w"), day / "weekly_briefing")
    assert texts(day, custom) == ["c1", "c2", "c3"] and texts(day) == ["w"]


def version(day: Path, n: int, text: str | None) -> Path:
    folder = day / f".weekly_briefing.v{n}"
    folder.mkdir(parents=True)
    if text is not None:
        (folder / "report.html").write_text(text, encoding="utf-8")
    return folder


def test_repair_keeps_the_linked_version_and_two_older(tmp_path: Path) -> None:
    day = tmp_path / AS_OF
    for n in range(1, 6):
        version(day, n, f"v{n}")
    version(day, 7, None)  # killed while it was being published
    os.symlink(".weekly_briefing.v5", day / "weekly_briefing")
    version(day, 6, "v6")  # renamed to a version, never linked
    with store.run_lock(tmp_path):
        pass
    assert texts(day) == ["v3", "v4", "v5"]
    assert (day / "weekly_briefing" / "report.html").read_text(encoding="utf-8") == "v5"


def test_repair_links_a_briefing_without_a_link_to_its_newest_whole_version(
        tmp_path: Path) -> None:
    day = tmp_path / AS_OF
    version(day, 1, "v1")
    version(day, 2, "v2")
    version(day, 3, None)  # not whole: no report.html
    with store.run_lock(tmp_path):
        pass
    assert os.readlink(day / "weekly_briefing") == ".weekly_briefing.v2"
    assert texts(day) == ["v1", "v2"]


def test_repair_removes_a_file_a_killed_run_left_half_written(tmp_path: Path) -> None:
    day = tmp_path / AS_OF
    day.mkdir()
    (day / ".theo-doi.xlsx.4242.tmp").write_bytes(b"PK half")
    (day / "theo-doi.xlsx").write_bytes(b"PK whole")
    with store.run_lock(tmp_path):
        pass
    assert sorted(p.name for p in day.iterdir()) == ["theo-doi.xlsx"]


# --- the lock ------------------------------------------------------------------------------


def test_a_second_holder_is_refused_with_the_pid_of_the_first(tmp_path: Path) -> None:
    with store.run_lock(tmp_path), pytest.raises(store.Locked) as refused, \
            store.run_lock(tmp_path):
        pass
    assert refused.value.pid == str(os.getpid())
    assert str(refused.value).startswith(f"đang có một lần chạy khác (pid {os.getpid()})")
    assert str(refused.value).endswith(f"/ another run is in progress (pid {os.getpid()})")


def test_a_lock_file_naming_a_dead_process_is_taken_over(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          check=True, capture_output=True, text=True).stdout.strip()
    (tmp_path / ".lock").write_text(f"{dead}\n", encoding="ascii")
    with store.run_lock(tmp_path):
        assert (tmp_path / ".lock").read_text(encoding="ascii") == f"{os.getpid()}\n"


HOLD_AND_FORK = """
import os, sys, time
from pathlib import Path
from wardbrief.run import store

with store.run_lock(Path(sys.argv[1])):
    child = os.fork()
    if child == 0:  # a worker of the run: lives on after the run is killed
        print(os.getpid(), flush=True)  # running: it has closed its copy of the lock file
        time.sleep(60)
        os._exit(0)
    time.sleep(60)
"""


def test_a_killed_run_whose_worker_lives_on_leaves_the_lock_free(tmp_path: Path) -> None:
    run = subprocess.Popen([sys.executable, "-c", HOLD_AND_FORK, str(tmp_path)],
                           stdout=subprocess.PIPE, text=True)
    child = int(run.stdout.readline())
    try:
        with pytest.raises(store.Locked) as refused, store.run_lock(tmp_path):
            pass
        assert refused.value.pid == str(run.pid)
        run.kill()
        run.wait()
        os.kill(child, 0)  # the worker is alive
        with store.run_lock(tmp_path):
            assert (tmp_path / ".lock").read_text(encoding="ascii") == f"{os.getpid()}\n"
    finally:
        run.kill()
        run.wait()
        run.stdout.close()
        os.kill(child, signal.SIGKILL)


# --- finding a published briefing -------------------------------------------------------------


def test_a_briefing_is_found_by_its_link_its_version_or_its_name(tmp_path: Path) -> None:
    out = tmp_path / "outputs"
    store.publish(staged(out, "old"), out / "2026-11-20" / "weekly_briefing")
    store.publish(staged(out, "new"), out / AS_OF / "weekly_briefing")
    link = out / AS_OF / "weekly_briefing"
    [current] = store.versions(link.parent, "weekly_briefing")
    by_link = store.find_published(link)
    assert by_link == store.Published(out, out / AS_OF, "weekly_briefing", current)
    assert by_link.link == link
    assert store.find_published(current) == by_link
    assert store.find_published(str(link) + "/") == by_link
    assert store.find_published("weekly_briefing", out) == by_link  # the newest date
    with pytest.raises(store.NotPublished, match="wardbrief run"):
        store.find_published("monthly_report", out)
    with pytest.raises(store.NotPublished, match="wardbrief run"):
        store.find_published(out / AS_OF / "nothing")


def test_a_staging_folder_is_absolute_though_the_outputs_are_named_relatively(
        tmp_path, monkeypatch):
    """papermill changes the working folder while a notebook runs; the report's other
    outputs, written meanwhile by a thread, must still land in the staging folder."""
    monkeypatch.chdir(tmp_path)
    with store.staging_folder(Path("outputs"), "weekly_briefing") as staging:
        assert staging.is_absolute() and staging.parent == tmp_path / "outputs"
        monkeypatch.chdir(tmp_path.parent)
        (staging / "phu_luc.pdf").write_bytes(b"%PDF")
        assert (tmp_path / "outputs" / staging.name / "phu_luc.pdf").is_file()
