"""Module-level tasks for processes.run_tasks in the tests (workers import them by name)."""

from __future__ import annotations

import os


def square_with_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def fail_on_three(n: int) -> int:
    if n == 3:
        raise ValueError(f"không nhận số {n} / {n} refused\nsecond line")
    return n * 10


def die_on_two(n: int) -> int:
    if n == 2:
        os._exit(7)  # the worker process ends in the middle of its task
    return n


WARMED: list[int] = []


def warm(number: int) -> None:
    WARMED.append(number)


def pid_and_warmed(n: int) -> tuple[int, int, list[int]]:
    return n, os.getpid(), list(WARMED)
