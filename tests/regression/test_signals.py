"""SIGTERM (cron, systemd, Airflow) and Ctrl-C to `wardbrief run all` in the middle of
it: every process of the run (workers, kernels) is gone 5 s later, with their
connection files, the lock is released (the next run exits 0), the exit code is 143 /
130 and stderr holds one line, no traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from builders import TESTS

MESSY = TESTS / "fixtures" / "messy.xlsx"
AS_OF = "2026-11-27"


def wardbrief(*args: str) -> list[str]:
    return [sys.executable, "-c", "from wardbrief.commands.cli import main; main()", *args]


def descendants(root: int) -> set[int]:
    """Every process whose chain of parents leads to `root` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                    parents[int(entry)] = int(handle.read().rpartition(")")[2].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    found, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, ppid in parents.items() if ppid in frontier} - found
        found |= frontier
    return found


def command_line(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            return handle.read().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("signum, code, jobs", [(signal.SIGTERM, 143, "2"),
                                                (signal.SIGINT, 130, "1")])
def test_a_signal_mid_run_ends_every_process_of_the_run(tmp_path, signum, code, jobs):
    out = tmp_path / "outputs"
    env = {**os.environ, "WARDBRIEF_JOBS": jobs}
    run = subprocess.Popen(wardbrief("run", "all", "--source", str(MESSY), "--as-of", AS_OF,
                                     "--out", str(out)),
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                           start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        seen: set[int] = set()
        while time.monotonic() < deadline and run.poll() is None:
            seen |= descendants(run.pid)
            if any("ipykernel" in command_line(pid) for pid in seen) \
                    and list(out.glob(".staging-*")):
                break  # a kernel runs and a report is being built
            time.sleep(0.05)
        assert run.poll() is None, "the run ended before it could be stopped"
        time.sleep(0.5)
        seen |= descendants(run.pid)
        assert seen, "the run started no process"
        stopped = time.monotonic()
        os.kill(run.pid, signum)
        err = run.communicate(timeout=30)[1].decode()
        while time.monotonic() - stopped < 5 and any(running(pid) for pid in seen):
            time.sleep(0.05)
        left = {pid: command_line(pid) for pid in seen if running(pid)}
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()
    assert left == {}
    assert run.returncode == code
    ours = {run.pid} | seen
    folders = [p.name for p in Path(tempfile.gettempdir()).glob("wardbrief-kernel-*")
               if int(p.name.split("-")[2]) in ours]
    assert folders == []  # the kernels' connection files and sockets
    lines = err.strip().splitlines()
    assert "Traceback" not in err
    assert lines[-1].startswith("wardbrief: đã dừng") and lines[-1].count("\n") == 0
    # everything else on stderr was printed before the signal (the sample's notes)
    assert all(not line.startswith("wardbrief: đã dừng") for line in lines[:-1])
    again = subprocess.run(wardbrief("run", "weekly_briefing", "--source", str(MESSY),
                                     "--as-of", AS_OF, "--out", str(out), "--jobs", "1"),
                           check=False, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert (out / AS_OF / "weekly_briefing" / "report.pdf").is_file()
    assert not list(out.glob(".staging-*"))
