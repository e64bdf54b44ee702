"""The one module of wardbrief that starts processes, and what ends them.

- `run_tasks(fn, items, jobs=...)` and `Tasks` (work shared by this process and its
  workers): one result protocol, a `TaskResult` per item in the items' order. Workers
  come from a `forkserver` (a clean, single-threaded process), never from a fork of a
  process whose threads (ZMQ, an event loop) may hold a lock at that instant; a worker
  keeps what it made (a warm kernel) for its next task.
- `command_scope()`: SIGTERM (cron, systemd, Airflow) and SIGINT (Ctrl-C) end every
  child of the command (workers, kernels registered with `register_child`) within
  KILL_AFTER_S, the command's `finally` blocks run (the run lock released), and it
  exits 143 or 130 with one line on stderr, no traceback.
- `jobs_setting()`: `--jobs N`, else WARDBRIEF_JOBS, else the usable cores.

Library code that runs inside a notebook kernel never starts a process.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Self

JOBS_ENV_VAR = "WARDBRIEF_JOBS"
KILL_AFTER_S = 5.0  # a child asked to end (SIGTERM) is killed (SIGKILL) after this
EXIT_SIGTERM = 143  # 128 + SIGTERM: what a shell reports for a process ended by it
EXIT_SIGINT = 130  # 128 + SIGINT (Ctrl-C)
FORKSERVER_PRELOAD = ["wardbrief.processes"]  # imported by the forkserver before any fork
NOWHERE = subprocess.DEVNULL  # the output stream of a child that must not write to ours


class SettingError(ValueError):
    """--jobs or WARDBRIEF_JOBS is not a whole number of at least 1."""


class Interrupted(BaseException):
    """SIGTERM or SIGINT, raised in a command's main thread: no `except Exception`
    swallows it, every `finally` runs on its way out."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@dataclass(frozen=True)
class TaskResult:
    """What one task gave: `value`, or `error` (one line, Vietnamese first)."""

    index: int
    value: Any
    error: str | None = None


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system has one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def jobs_setting(requested: int | None = None) -> int:
    """How many processes may work at once: `requested` (--jobs), else WARDBRIEF_JOBS,
    else one per usable core; SettingError on anything but a whole number >= 1."""
    if requested is not None:
        return _whole_jobs(str(requested), "--jobs")
    text = os.environ.get(JOBS_ENV_VAR, "").strip()
    if text:
        return _whole_jobs(text, JOBS_ENV_VAR)
    return usable_cores()


def _whole_jobs(text: str, where: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise SettingError(
            f"{where} phải là số nguyên từ 1 trở lên (số tiến trình chạy cùng lúc), không "
            f"phải {text!r} / {where} must be a whole number of 1 or more (processes at "
            f"once), not {text!r}")
    return jobs


def jobs_argument(text: str) -> int:
    """argparse type of --jobs."""
    import argparse

    try:
        return _whole_jobs(text, "--jobs")
    except SettingError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def describe_error(exc: BaseException) -> str:
    """An exception as one line: its type and the first line of its message."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


# --- children ------------------------------------------------------------------------------

_children: set[int] = set()  # processes this one started outside run_tasks (kernels)
_exit_steps: list[Callable[[], None]] = []


def register_child(pid: int) -> None:
    """A process this one started (a Jupyter kernel): ended with it."""
    _children.add(pid)


def unregister_child(pid: int) -> None:
    _children.discard(pid)


def at_exit(step: Callable[[], None]) -> None:
    """`step()` when this process's work ends, however it ends (a worker after its last
    task or on SIGTERM, a command on leaving command_scope): shutting its kernel down
    and removing its connection files. Once per step."""
    if step not in _exit_steps:
        _exit_steps.append(step)


def _run_exit_steps() -> None:
    while _exit_steps:
        step = _exit_steps.pop()
        with contextlib.suppress(BaseException):
            step()


def end_processes(pids: Iterable[int], within: float = KILL_AFTER_S) -> None:
    """SIGTERM to each of `pids`, SIGKILL to those still there after `within` seconds;
    the children among them are reaped."""
    pids = [pid for pid in set(pids) if pid > 0 and pid != os.getpid()]
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + within
    left = list(pids)
    while left:
        left = [pid for pid in left if _alive(pid)]
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    for pid in left:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    for pid in left:
        _alive(pid, block=True)


def _alive(pid: int, block: bool = False) -> bool:
    """Whether `pid` still runs (a child of ours that ended is reaped here)."""
    try:
        done, _ = os.waitpid(pid, 0 if block else os.WNOHANG)
        if done == pid:
            return False
    except ChildProcessError:  # not our child: ask the system
        return running(pid)
    return not block


def running(pid: int) -> bool:
    """Whether a process `pid` (any, ours or not) runs: it exists and is no zombie."""
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError) as exc:  # gone, or another's now
        return isinstance(exc, PermissionError)
    with contextlib.suppress(OSError), open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        return handle.read().rpartition(")")[2].split()[0] != "Z"  # a zombie has ended
    return True


def end_children() -> None:
    """End every registered child (KILL_AFTER_S at most)."""
    pids = list(_children)
    _children.clear()
    end_processes(pids)


# --- the command's scope -----------------------------------------------------------------

_pools: list[Tasks] = []  # the Tasks of this process with workers running
_signalled: list[int] = []  # the signal that ends this command, once received


def _on_signal(signum: int, frame: object) -> None:
    """First SIGTERM / SIGINT: the workers and kernels are told to end at once (their
    own handlers end their kernels), then Interrupted unwinds the command through its
    `finally` blocks. A second signal meanwhile changes nothing: the unwinding goes on."""
    if _signalled:
        return
    _signalled.append(signum)
    for pool in _pools:
        pool.signal_workers(signal.SIGTERM)
    for pid in list(_children):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGTERM)
    raise Interrupted(signum)


INTERRUPTED_LINE = {
    signal.SIGTERM: ("wardbrief: đã dừng theo yêu cầu (SIGTERM); báo cáo đã công bố trước đó "
                     "vẫn giữ nguyên. / stopped (SIGTERM); the briefings published before are "
                     "kept."),
    signal.SIGINT: ("wardbrief: đã dừng (Ctrl-C); báo cáo đã công bố trước đó vẫn giữ nguyên. "
                    "/ stopped (Ctrl-C); the briefings published before are kept."),
}


@contextlib.contextmanager
def command_scope() -> Iterator[None]:
    """Run a command's body: SIGTERM and SIGINT end every child of it within
    KILL_AFTER_S (SIGTERM, then SIGKILL), the body's `finally` blocks run, and the
    process exits 143 (SIGTERM) or 130 (SIGINT) with one line on stderr. Outside the
    main thread the body runs as it is."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _signalled.clear()
    previous = {signum: signal.signal(signum, _on_signal)
                for signum in (signal.SIGTERM, signal.SIGINT)}
    code = None
    try:
        yield
    except Interrupted as exc:
        code = EXIT_SIGTERM if exc.signum == signal.SIGTERM else EXIT_SIGINT
    except KeyboardInterrupt:  # a SIGINT that came before the handler was in place
        code = EXIT_SIGINT
    finally:
        # what is left now ends without a word: a third signal must not print a traceback
        for signum in previous:
            signal.signal(signum, signal.SIG_IGN)
        try:
            _run_exit_steps()
            end_children()
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
    if code is not None or _signalled:
        code = code or (EXIT_SIGTERM if _signalled[0] == signal.SIGTERM else EXIT_SIGINT)
        with contextlib.suppress(Exception):
            sys.stdout.flush()
        print(INTERRUPTED_LINE[signal.SIGTERM if code == EXIT_SIGTERM else signal.SIGINT],
              file=sys.stderr, flush=True)
        raise SystemExit(code)


# --- tasks -----------------------------------------------------------------------------------

HERE, THERE, ANYWHERE = "here", "there", "anywhere"  # where a task may run (Tasks.submit)


def run_tasks(fn: Callable[[Any], Any], items: Iterable[Any], *, jobs: int,
              on_done: Callable[[TaskResult], None] | None = None) -> list[TaskResult]:
    """`fn(item)` for every item; the results in the items' order.

    `fn` is a module-level function (workers find it by name) and its items and values
    can be pickled. With `jobs` 1 or a single item every task runs in this process, in
    order, and no process is started; else min(jobs, len(items)) workers take the next
    item as each finishes one. A task that raises gives a TaskResult with `error` (one
    line) and the others go on; a worker that dies fails its task the same way.
    `on_done(result)` is called here as each task ends (progress)."""
    items = list(items)
    if jobs < 1:
        raise SettingError(f"jobs = {jobs}")
    workers = 0 if jobs == 1 or len(items) <= 1 else min(jobs, len(items))
    with Tasks(fn, workers, on_done=on_done) as tasks:
        for item in items:
            tasks.submit(item, THERE)
        return tasks.finish()


def _call(fn: Callable[[Any], Any], index: int, item: Any) -> TaskResult:
    try:
        return TaskResult(index, fn(item))
    except Exception as exc:  # noqa: BLE001 - the task fails, the others go on
        return TaskResult(index, None, describe_error(exc))


def _context() -> multiprocessing.context.BaseContext:
    """forkserver where the system has it (Linux, macOS), else spawn: a worker is never
    a fork of this process, whose threads may hold a lock when it forks."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(FORKSERVER_PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


class Tasks:
    """Tasks shared by `workers` worker processes and this one.

    The workers start at once (each calls `warm(number)` first, number 1..workers: a
    kernel launched ahead, say) while this process goes on (reading the workbook).
    `submit(item, where)` queues a task: HERE runs in this process, THERE in a worker,
    ANYWHERE in whichever is free first; with no worker every task runs here. A thread
    of this process hands tasks to the workers as they become free; `finish()` then
    runs this process's share and waits for the rest, and returns every result in the
    order submitted. `on_done(result)` is called in this process's main thread (in
    submit() and finish()) as each task ends. Each worker has a pipe of its own, so
    this process knows which task a worker holds: a worker that dies fails that task."""

    def __init__(self, fn: Callable[[Any], Any], workers: int, *,
                 warm: Callable[[int], None] | None = None,
                 on_done: Callable[[TaskResult], None] | None = None) -> None:
        import threading

        self.fn, self.on_done = fn, on_done
        self.pending: list[tuple[int, Any, str]] = []  # (index, item, where), in order
        self.results: dict[int, TaskResult] = {}
        self.count = 0
        self.lock = threading.Lock()
        self.ended: queue.SimpleQueue[TaskResult | None] = queue.SimpleQueue()
        self.workers: list[_Worker] = []
        self.closing = False
        self.starting = False
        self.dispatcher: threading.Thread | None = None
        if workers > 0:
            self.add_workers(workers, warm)
        elif warm is not None:
            warm(0)  # this process works alone: its own warm-up

    def add_workers(self, workers: int, warm: Callable[[int], None] | None = None) -> None:
        """Start `workers` worker processes now (once: a Tasks that has none yet); the
        thread that hands them tasks starts them, so this process does not wait."""
        import threading

        if self.dispatcher is not None or workers < 1:
            return
        self.starting = True
        self.wake_r, self.wake_w = os.pipe()
        _pools.append(self)
        self.dispatcher = threading.Thread(target=self._dispatch, args=(warm, workers),
                                           daemon=True, name="wardbrief-tasks")
        self.dispatcher.start()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- this process's side --

    def submit(self, item: Any, where: str = ANYWHERE) -> int:
        with self.lock:
            index = self.count
            self.count += 1
            if not self._workers_alive():
                where = HERE
            self.pending.append((index, item, where))
        self._wake()
        self._deliver()
        return index

    def finish(self) -> list[TaskResult]:
        """Run this process's share, wait for the workers' and return every result."""
        while True:
            self._deliver()
            task = self._take_here()
            if task is not None:
                index, item, _ = task
                self._record(_call(self.fn, index, item))
                continue
            with self.lock:
                if len(self.results) == self.count:
                    break
            with contextlib.suppress(queue.Empty):
                self._tell(self.ended.get(timeout=0.2))  # None: only a wake-up
        self._deliver()
        return [self.results[i] for i in range(self.count)]

    def _take_here(self) -> tuple[int, Any, str] | None:
        with self.lock:
            alive = self._workers_alive()
            for position, (index, item, where) in enumerate(self.pending):
                if where != THERE or not alive:
                    return self.pending.pop(position)
        return None

    def _record(self, result: TaskResult) -> None:
        with self.lock:
            self.results[result.index] = result
        self._tell(result)

    def _tell(self, result: TaskResult | None) -> None:
        if result is not None and self.on_done is not None:
            self.on_done(result)

    def _deliver(self) -> None:
        """on_done for the results the workers sent since."""
        while True:
            try:
                result = self.ended.get_nowait()
            except queue.Empty:
                return
            self._tell(result)

    def _workers_alive(self) -> bool:
        return self.starting or any(worker.alive for worker in self.workers)

    def _wake(self) -> None:
        if self.dispatcher is not None:
            with contextlib.suppress(OSError):
                os.write(self.wake_w, b"x")

    # -- the dispatching thread --

    def _dispatch(self, warm: Callable[[int], None] | None, count: int) -> None:
        try:
            ctx = _context()
            for number in range(1, count + 1):
                if self.closing:
                    break
                worker = _Worker(ctx, self.fn, warm, number)
                with self.lock:
                    self.workers.append(worker)
        except Exception:  # noqa: BLE001 - no worker: the tasks run here
            traceback.print_exc()
        finally:
            with self.lock:
                self.starting = False
                if not self._workers_alive():
                    self.pending = [(i, item, HERE) for i, item, _ in self.pending]
            self.ended.put(None)  # wakes finish(), which may run what was left for them
        while not self.closing:
            self._hand_out()
            busy = [w for w in self.workers if w.alive and w.holding is not None]
            waiting = [self.wake_r, *[w.conn for w in busy],
                       *[w.process.sentinel for w in self.workers if w.alive]]
            ready = wait(waiting)
            if self.wake_r in ready:
                with contextlib.suppress(OSError):
                    os.read(self.wake_r, 4096)
            for worker in self.workers:
                if worker.alive and (worker.conn in ready or worker.process.sentinel in ready):
                    self._answer(worker)

    def _hand_out(self) -> None:
        with self.lock:
            for worker in self.workers:
                if not worker.alive or worker.holding is not None:
                    continue
                position = next((n for n, (_, _, where) in enumerate(self.pending)
                                 if where != HERE), None)
                if position is None:
                    return
                index, item, where = self.pending.pop(position)
                if not worker.hand(index, item):
                    self.pending.insert(position, (index, item, where))

    def _answer(self, worker: _Worker) -> None:
        answer = worker.answer()
        if answer is None:
            return
        with self.lock:
            self.results[answer.index] = answer
            if not self._workers_alive():  # what was left for them runs here
                self.pending = [(i, item, HERE) for i, item, _ in self.pending]
        self.ended.put(answer)

    def close(self) -> None:
        """The workers are told there is nothing more (each ends its kernel and exits);
        one that has not ended KILL_AFTER_S later is ended."""
        if self.dispatcher is None:
            return
        self.closing = True
        self._wake()
        self.dispatcher.join(timeout=KILL_AFTER_S)
        for worker in self.workers:
            worker.stop()
        deadline = time.monotonic() + KILL_AFTER_S
        for worker in self.workers:
            worker.process.join(timeout=max(0.0, deadline - time.monotonic()))
        end_processes([w.process.pid for w in self.workers
                       if w.process.exitcode is None and w.process.pid])
        for worker in self.workers:
            worker.conn.close()
        for fd in (self.wake_r, self.wake_w):
            with contextlib.suppress(OSError):
                os.close(fd)
        if self in _pools:
            _pools.remove(self)
        self.dispatcher = None

    def signal_workers(self, signum: int) -> None:
        for worker in list(self.workers):
            pid = worker.process.pid
            if pid is not None and worker.process.exitcode is None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signum)


class _Worker:
    """One worker process and this process's end of its pipe."""

    def __init__(self, ctx: Any, fn: Callable[[Any], Any],
                 warm: Callable[[int], None] | None, number: int) -> None:
        here, there = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=_worker_main, args=(fn, there, warm, number),
                                   name=f"wardbrief-worker-{number}", daemon=True)
        self.process.start()
        there.close()
        self.conn = here
        self.holding: int | None = None  # the index of the task it works on
        self.alive = True

    def hand(self, index: int, item: Any) -> bool:
        try:
            self.conn.send((index, item))
        except (OSError, ValueError):
            self.alive = False
            return False
        self.holding = index
        return True

    def answer(self) -> TaskResult | None:
        """The result it sent, or its task failed when it died (None: it died idle)."""
        try:
            index, value, error = self.conn.recv()
        except (EOFError, OSError):
            self.alive = False
            self.process.join(timeout=KILL_AFTER_S)
            code = self.process.exitcode
            held, self.holding = self.holding, None
            if held is None:
                return None
            return TaskResult(held, None, f"tiến trình làm việc đã dừng (mã {code}) / "
                                          f"the worker process stopped (exit code {code})")
        self.holding = None
        return TaskResult(index, value, error)

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.conn.send(None)


def _worker_main(fn: Callable[[Any], Any], conn: Connection,
                 warm: Callable[[int], None] | None = None, number: int = 1) -> None:
    """A worker: `warm(number)`, then tasks from `conn` until the end mark (None), each
    answered with (index, value, error). On SIGTERM or SIGINT it ends its own children
    (kernels) and exits at once, without a word: the command that started it tells the
    user."""
    worker_signals()
    try:
        if warm is not None:
            with contextlib.suppress(Exception):  # a task that needs it says why
                warm(number)
        while True:
            try:
                task = conn.recv()
            except (EOFError, OSError):
                break
            if task is None:
                break
            index, item = task
            result = _call(fn, index, item)
            try:
                conn.send((result.index, result.value, result.error))
            except Exception as exc:  # noqa: BLE001 - a value that cannot be pickled
                conn.send((index, None, describe_error(exc)))
    except BaseException:  # noqa: BLE001 - the parent sees the task fail
        traceback.print_exc()
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _run_exit_steps()
        end_children()


def worker_signals() -> None:
    """In a worker: SIGTERM and SIGINT end its children and the worker, without a word."""
    signal.signal(signal.SIGTERM, _worker_signal)
    signal.signal(signal.SIGINT, _worker_signal)


def _worker_signal(signum: int, frame: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for pid in list(_children):  # the kernels first: they end while the rest is tidied
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGTERM)
    _run_exit_steps()
    end_children()
    os._exit(128 + signum)

