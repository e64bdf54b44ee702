"""wardbrief.processes: run_tasks (order, one task's failure, jobs=1 in this process),
the --jobs / WARDBRIEF_JOBS setting."""

from __future__ import annotations

import os

import pytest
from process_tasks import die_on_two, fail_on_three, square_with_pid
from wardbrief import processes
from wardbrief.processes import SettingError, TaskResult, jobs_setting, run_tasks


def test_results_come_in_the_items_order_from_worker_processes():
    seen: list[int] = []
    results = run_tasks(square_with_pid, [5, 1, 4, 2, 3], jobs=2,
                        on_done=lambda r: seen.append(r.index))
    assert [r.index for r in results] == [0, 1, 2, 3, 4]
    assert [r.value[0] for r in results] == [25, 1, 16, 4, 9]
    assert all(r.error is None for r in results)
    workers = {r.value[1] for r in results}
    assert os.getpid() not in workers and 1 <= len(workers) <= 2
    assert sorted(seen) == [0, 1, 2, 3, 4]  # on_done once per task, in this process


def test_a_failing_task_fails_alone_in_one_line():
    results = run_tasks(fail_on_three, [1, 2, 3, 4], jobs=2)
    assert [r.value for r in results] == [10, 20, None, 40]
    assert results[2] == TaskResult(2, None, "ValueError: không nhận số 3 / 3 refused")


def test_a_worker_that_dies_fails_its_task_and_the_others_go_on():
    results = run_tasks(die_on_two, [1, 2, 3, 4, 5], jobs=2)
    assert [r.value for r in results if r.index != 1] == [1, 3, 4, 5]
    assert results[1].value is None
    assert "exit code 7" in results[1].error and results[1].error.startswith("tiến trình")


def test_jobs_one_runs_every_task_here_in_order():
    seen: list[int] = []
    results = run_tasks(square_with_pid, [3, 2, 1], jobs=1, on_done=lambda r: seen.append(r.index))
    assert [r.value for r in results] == [(9, os.getpid()), (4, os.getpid()), (1, os.getpid())]
    assert seen == [0, 1, 2]


def test_one_item_runs_here_whatever_jobs_says():
    [result] = run_tasks(square_with_pid, [7], jobs=4)
    assert result.value == (49, os.getpid())


def test_a_failure_in_this_process_is_one_line_too():
    results = run_tasks(fail_on_three, [3, 1], jobs=1)
    assert results[0].error == "ValueError: không nhận số 3 / 3 refused"
    assert results[1].value == 10


def test_jobs_setting_from_argument_then_environment_then_cores(monkeypatch):
    monkeypatch.setenv("WARDBRIEF_JOBS", "3")
    assert jobs_setting(2) == 2
    assert jobs_setting() == 3
    monkeypatch.delenv("WARDBRIEF_JOBS")
    monkeypatch.setattr(processes.os, "sched_getaffinity", lambda _pid: {0, 1, 2, 3, 4})
    assert jobs_setting() == 5


@pytest.mark.parametrize("value", ["0", "-2", "hai", "1.5"])
def test_a_bad_jobs_value_is_named(monkeypatch, value):
    monkeypatch.setenv("WARDBRIEF_JOBS", value)
    with pytest.raises(SettingError, match=f"WARDBRIEF_JOBS phải là số nguyên.*{value!r}"):
        jobs_setting()
    with pytest.raises(SettingError, match="--jobs phải là số nguyên"):
        jobs_setting(0)


def test_tasks_run_here_there_or_wherever_a_process_is_free():
    """Tasks: HERE runs in this process, THERE in a worker (warmed first with its number),
    ANYWHERE in either; the results in the order submitted."""
    from process_tasks import pid_and_warmed, warm
    from wardbrief.processes import ANYWHERE, HERE, THERE, Tasks

    seen: list[int] = []
    with Tasks(pid_and_warmed, 1, warm=warm, on_done=lambda r: seen.append(r.index)) as tasks:
        assert [tasks.submit(0, HERE), tasks.submit(1, THERE), tasks.submit(2, ANYWHERE)] == [
            0, 1, 2]
        results = tasks.finish()
    assert [r.value[0] for r in results] == [0, 1, 2]
    assert results[0].value[1] == os.getpid() and results[0].value[2] == []
    assert results[1].value[1] != os.getpid() and results[1].value[2] == [1]
    assert sorted(seen) == [0, 1, 2]


def test_tasks_without_workers_run_here_warmed_with_number_zero():
    from process_tasks import WARMED, pid_and_warmed, warm
    from wardbrief.processes import THERE, Tasks

    WARMED.clear()
    with Tasks(pid_and_warmed, 0, warm=warm) as tasks:
        tasks.submit(5, THERE)
        [result] = tasks.finish()
    assert result.value == (5, os.getpid(), [0])
    WARMED.clear()
