"""Build the briefings and publish them: `outputs/<as-of>/<report>/`.

For each report the runner
1. writes the run's metrics (computed once per run by the caller) into a staging
   folder `outputs/.staging-*`,
2. executes `notebooks/<report>.ipynb` with papermill in that folder (the kernel is
   this interpreter's, its working directory the staging folder, so the notebook
   reads `metrics.json` beside it),
3. renders the executed notebook to `report.html` and `report.pdf` (wardbrief.publish.render:
   the suite's nbconvert exporters)
   and runs the report's extra step, if any,
4. publishes it through the store (wardbrief.run.store: a new version folder, the link
   `outputs/<as-of>/<report>` swapped to it in one rename) and rewrites the index
   (wardbrief.run.index).

A report that fails (in a cell, in rendering, over a time limit, or publishing on a full
disk) leaves the previous briefing untouched and its executed notebook under
`outputs/_failed/`; the run goes on with the next report. The caller holds the run lock
(store.run_lock).

Time limits: a notebook cell CELL_TIMEOUT_S, a whole report (notebook, HTML, PDF, extra
step) REPORT_TIMEOUT_S, the figures of a run FIGURES_TIMEOUT_S (commands.run).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TextIO

from wardbrief import processes
from wardbrief.briefings import fmt, labels
from wardbrief.exit_codes import EXIT_DATA_ERRORS, EXIT_OK
from wardbrief.figures import periods
from wardbrief.figures.fingerprints import document_fingerprint, with_document
from wardbrief.forking import frozen_heap, usable_cores
from wardbrief.paths import NOTEBOOKS_DIR, TEMPLATES_DIR
from wardbrief.read.names import key
from wardbrief.run import store
from wardbrief.run.index import write_index_or_say

if TYPE_CHECKING:
    from nbformat import NotebookNode

# nbformat, nbconvert and WeasyPrint load in seconds: they are imported where a report is
# built, so `wardbrief --help` and the other commands start at once.
KERNEL_NAME = "python3"
CELL_TIMEOUT_S = 600  # one notebook cell
REPORT_TIMEOUT_S = 1800  # one report: notebook, HTML, PDF and extra outputs
FIGURES_TIMEOUT_S = 900  # compute_metrics for one period (commands.run)
class TimeLimitExceeded(Exception):
    """A step ran past its time limit."""


@contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Raise TimeLimitExceeded in the block after `seconds` (SIGALRM; main thread only,
    elsewhere the block runs unbounded). Nested limits: the inner one is used."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise TimeLimitExceeded(f"{what} took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    outer = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer[0] > 0:  # an outer limit keeps running
            signal.setitimer(signal.ITIMER_REAL, max(outer[0] - seconds, 0.001))

# --- the reports -------------------------------------------------------------------------


@dataclass
class Built:
    """What a report's build produced in its staging folder (paths inside it)."""

    staging: Path
    metrics: dict[str, Any]
    notebook: NotebookNode
    html: str
    files: list[Path] = field(default_factory=list)
    notebook_report: str = ""  # the report's name
    document: Any = None  # report.pdf laid out (WeasyPrint Document), while extra steps run


ExtraStep = Callable[[Built], list[Path]]
"""A report's extra outputs: gets the build, writes files into `built.staging`, returns them."""

EarlyStep = Callable[["Report", dict[str, Any], Path], list[Path]]
"""A report's outputs made from its metrics alone (report, metrics, staging folder ->
the files written there): run in a forked process while the notebook executes."""


@dataclass(frozen=True)
class Report:
    name: str
    notebook: Path
    extra: ExtraStep | None = None
    period: str = periods.WEEK  # figures.periods kind
    formal: bool = False  # also written as .docx for signing
    early: EarlyStep | None = None  # outputs from the metrics alone, beside the notebook

    def heading(self, as_of: date | str | None = None,
                period: dict[str, Any] | None = None) -> tuple[str, str]:
        """The report's Vietnamese title and subtitle (labels), for the index and <title>;
        a report on the cut-off names its period (metrics `period`)."""
        title = labels.REPORT_TITLES.get(self.name, self.name)
        if self.name == "weekly_briefing" and period and period.get("kind") == periods.CUSTOM:
            title = labels.CUSTOM_PERIOD_TITLE.format(
                range=fmt.day_month_range(period.get("start"), period.get("end")).upper())
        subtitle = labels.REPORT_SUBTITLES.get(self.name, "")
        month = fmt.month_vn(as_of) if as_of else ""
        return title, subtitle.replace("{month}", month).replace(
            "{period}", fmt.period_vn(period) if period else "")

    def title(self, as_of: date | str | None = None,
              period: dict[str, Any] | None = None) -> str:
        return " — ".join(part for part in self.heading(as_of, period) if part)

    def folder_name(self, metrics: dict[str, Any]) -> str:
        """`monthly_report-2026-11`: a report on the cut-off names its period; the
        others are the report's name."""
        period = metrics.get("period") or {}
        if (period.get("kind") in periods.MONTHS_IN or period.get("kind") == periods.CUSTOM) \
                and period.get("label"):
            return f"{self.name}-{period['label']}"
        return self.name


def report_of_folder(name: str) -> Report | None:
    """The report a published folder holds (`quarterly_report-2026-Q4` -> quarterly)."""
    return REPORTS.get(name) or REPORTS.get(name.partition("-")[0])


def reminder_pdfs(built: Built) -> list[Path]:
    """department_reminders: one PDF per department, `reminders/<CODE>.pdf`, each the
    report's page holding only that department's reminder (wardbrief.briefings.briefing),
    laid out on its own: a reminder is a document of its own, its pages numbered from 1
    to its own last page (cut from the whole report, it carried the report's numbers)."""
    from wardbrief.briefings import briefing
    from wardbrief.publish import render

    codes = briefing.reminder_departments(built.metrics)
    if not codes:
        return []
    (built.staging / "reminders").mkdir(exist_ok=True)
    stems = reminder_file_names(list(built.metrics.get("departments") or {}) + codes)
    targets = [built.staging / "reminders" / f"{stems[code]}.pdf" for code in codes]
    for code, target in zip(codes, targets):
        page = render.page_with_main(built.html, briefing.reminder_html(built.metrics, code))
        render.html_to_pdf(page, target, base_url=built.staging)
    return targets


def annex_pdf(report: Report, metrics: dict[str, Any], staging: Path) -> list[Path]:
    """weekly_briefing, monthly_report: `phu_luc.pdf`, every case unanswered past due or
    answered late, on the report's page (same head, same CSS, same marks: the template
    rendered for a notebook with the report's metadata and no cells); none when there
    is none. From the metrics alone, so it is laid out while the notebook runs."""
    import nbformat

    from wardbrief.briefings import briefing, documents
    from wardbrief.publish import render

    fragment = (documents.annex_html(metrics, report.name)
                if report.name in documents.FORMAL_REPORTS
                else briefing.annex_html(metrics, report.name))
    if fragment is None:
        return []
    empty = nbformat.v4.new_notebook(metadata={"wardbrief": page_metadata(report, metrics)})
    page = render.page_with_main(render.notebook_to_html(empty, report.name), fragment)
    return [render.html_to_pdf(page, staging / briefing.ANNEX_FILE, base_url=staging)]


class Background:
    """`step(*args)` in a forked process (its result, a list of paths, comes back through
    a pipe); `wait()` gives the paths or raises what the step raised, as one line.
    Where processes cannot be forked the step runs in `wait()` itself."""

    def __init__(self, step: Callable[..., list[Path]], *args: Any) -> None:
        self.step, self.args = step, args
        self.pid: int | None = None
        self.read_fd: int | None = None
        if not hasattr(os, "fork"):
            return
        read_fd, write_fd = os.pipe()
        with frozen_heap():
            pid = os.fork()
        if pid == 0:  # the child: never returns into the caller's code
            code = 0
            try:
                os.close(read_fd)
                payload = {"paths": [str(p) for p in step(*args)]}
            except BaseException as exc:  # noqa: BLE001 - told to the parent
                payload, code = {"error": describe_failure(exc)}, 1
            try:
                with os.fdopen(write_fd, "w", encoding="utf-8") as pipe:
                    json.dump(payload, pipe)
            finally:
                os._exit(code)
        os.close(write_fd)
        self.pid, self.read_fd = pid, read_fd

    def wait(self) -> list[Path]:
        if self.pid is None:
            return self.step(*self.args)
        with os.fdopen(self.read_fd, encoding="utf-8") as pipe:
            text = pipe.read()
        self.read_fd = None
        os.waitpid(self.pid, 0)
        self.pid = None
        try:
            payload = json.loads(text)
        except ValueError:
            payload = {"error": "the process stopped before it finished"}
        if "error" in payload:
            raise RuntimeError(payload["error"])
        return [Path(p) for p in payload["paths"]]

    def cancel(self) -> None:
        """Stop the step if it still runs (the build failed or was interrupted)."""
        if self.pid is not None:
            with suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            with suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = None
        if self.read_fd is not None:
            with suppress(OSError):
                os.close(self.read_fd)
            self.read_fd = None


def safe_file_name(name: str) -> str:
    """A department code as an ASCII file name: Vietnamese letters lose their marks
    (Đ -> D, Ư -> U, as the names key does), other characters become '_'."""
    bare = "".join(ch for ch in key_letters(name.strip()))
    cleaned = re.sub(r"[^A-Za-z0-9_-]", "_", bare)[:64]
    return cleaned or "_"


def key_letters(text: str) -> str:
    """`text` with each letter replaced by its key (read.names.key), case kept."""
    out = []
    for ch in text:
        k = key(ch)
        if len(k) == 1 and k.isascii():
            out.append(k.upper() if ch.isupper() else k)
        else:
            out.append(ch)
    return "".join(out)


def reminder_file_names(codes: list[str]) -> dict[str, str]:
    """Department code -> file stem of its reminder, distinct for distinct codes: the ASCII
    name (safe_file_name), then `-2`, `-3`… for the later codes of a clash, in the order
    given (DonVi's order: the same names on every run)."""
    stems: dict[str, str] = {}
    taken: set[str] = set()
    for code in dict.fromkeys(codes):
        base = safe_file_name(code)
        stem, n = base, 1
        while stem.lower() in taken:  # case-insensitive file systems too
            n += 1
            stem = f"{base}-{n}"
        taken.add(stem.lower())
        stems[code] = stem
    return stems


def formal_docx(built: Built) -> list[Path]:
    """A formal report's Word file for signing, `report.docx`: the document the executed
    notebook shows (its sections in its order, the office's Markdown cells included),
    rendered by `wardbrief.document.word` — the same document as report.pdf."""
    from wardbrief.briefings import documents
    from wardbrief.document import word

    doc = documents.of_notebook(built.notebook, built.metrics, built.notebook_report)
    return [word.write(doc, built.staging / "report.docx")]


def reminder_docx(built: Built) -> list[Path]:
    """department_reminders: one Word file per department, `reminders/<CODE>.docx`."""
    from wardbrief.briefings import briefing, reminder
    from wardbrief.document import word

    folder = built.staging / "reminders"
    folder.mkdir(exist_ok=True)
    codes = briefing.reminder_departments(built.metrics)
    stems = reminder_file_names(list(built.metrics.get("departments") or {}) + codes)
    return [word.write(reminder.reminder_document(built.metrics, code),
                       folder / f"{stems[code]}.docx") for code in codes]


def _steps(*steps: ExtraStep) -> ExtraStep:
    def run(built: Built) -> list[Path]:
        return [path for step in steps for path in step(built)]
    return run


REPORT_NAMES = periods.REPORT_NAMES  # the one table: figures.periods.REPORT_KINDS
EXTRA_STEPS: dict[str, ExtraStep] = {"department_reminders": _steps(reminder_pdfs, reminder_docx)}
EARLY_STEPS: dict[str, EarlyStep] = {"weekly_briefing": annex_pdf, "monthly_report": annex_pdf}
REPORTS: dict[str, Report] = {
    kind.name: Report(kind.name, NOTEBOOKS_DIR / f"{kind.notebook}.ipynb",
                      EXTRA_STEPS.get(kind.name, formal_docx if kind.formal else None),
                      kind.period, kind.formal, EARLY_STEPS.get(kind.name))
    for kind in periods.REPORT_KINDS
}

# --- errors --------------------------------------------------------------------------------


class ReportFailed(Exception):
    """A report could not be built; the message is one line for the person at the desk."""

    def __init__(self, message: str, kept: Path | None = None) -> None:
        super().__init__(message)
        self.kept = kept


# --- execution ---------------------------------------------------------------------------------


def notebook_problems(path: Path) -> list[str]:
    """Why `path` cannot serve as a report notebook (empty list: it can)."""
    import nbformat

    if not path.is_file():
        return [f"{path} does not exist"]
    nb = nbformat.read(str(path), as_version=4)
    if not any("parameters" in c.metadata.get("tags", []) for c in nb.cells):
        return [f"{path.name} has no cell tagged 'parameters'"]
    return []


def notebook_parameters(
    metrics: dict[str, Any], source: str, allow_stale: bool
) -> dict[str, Any]:
    """The papermill parameters of every report: never a credential (they are written
    into the executed notebook)."""
    local = Path(source).expanduser()
    return {
        "source": str(local.resolve()) if local.exists() else source,
        "as_of": metrics["as_of"],
        "period_start": metrics.get("period_start"),
        "ward_name": metrics.get("ward"),
        "allow_stale": bool(allow_stale),
        "metrics_path": "metrics.json",
    }


def _first_line(text: str, limit: int = 70) -> str:
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"


def describe_failure(exc: BaseException) -> str:
    """One readable line: which cell failed and with what error."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        cell = f"In [{exc.exec_count}]" if exc.exec_count else f"cell {exc.cell_index}"
        error = f"{exc.ename}: {exc.evalue}" if exc.evalue else exc.ename
        return f"cell {cell} `{_first_line(exc.source)}` raised {error}"
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def execute(notebook: Path, output: Path, parameters: dict[str, Any]) -> NotebookNode:
    """Run `notebook` with papermill into `output`, working directory = output's folder.

    The kernel is `python3` resolved on this interpreter's Jupyter path first, talking
    over Unix sockets (no TCP port). It is this process's warm kernel (Kernel: started
    ahead, while the workbook was read, or left by the previous report of this process
    and cleared); a kernel whose notebook failed is not used again."""
    import papermill

    kernel = Kernel.current()
    km = kernel.ready_for(output.parent)
    try:
        nb = papermill.execute_notebook(
            str(notebook),
            str(output),
            parameters=parameters,
            kernel_name=KERNEL_NAME,
            cwd=str(output.parent),
            progress_bar=False,
            log_output=False,
            execution_timeout=CELL_TIMEOUT_S,
            km=km,  # saved after every cell: a hung cell's notebook is kept to that cell
        )
    except BaseException:
        kernel.discard()
        raise
    kernel.release_client()
    return nb


WARM_UP = ("import pandas, wardbrief.briefings.briefing, wardbrief.briefings.report, "
           "wardbrief.briefings.charts, wardbrief.forking; wardbrief.briefings.charts.warm_up(); "
           "wardbrief.forking.freeze_for_good()")
"""Run by a kernel as it starts (IPKernelApp.exec_lines; pandas for the notebooks'
DataFrames kept for exploration); its names are cleared before the first notebook, and
what it loaded is out of the cycle collector's reach from then on (forking.freeze_for_good:
the notebooks' collections walk what they make, not pandas, matplotlib and IPython)."""


class Kernel:
    """This process's Jupyter kernel, started before it is needed and kept for the next
    report: a kernel costs a second of imports (IPython, the briefings' templates and
    charts) that a run pays once per process instead of once per report.

    Before each notebook the kernel is cleared (`%reset -f`: every name the previous
    notebook made is gone, the imported modules stay), its working directory set to the
    report's folder and its execution count put back to 1, so the executed notebook
    reads as if its kernel were new. `start()` only launches the process (it boots
    meanwhile); `ready_for()` waits for it. A kernel whose notebook failed or timed out
    is shut down and the next report gets a new one."""

    _current: ClassVar[Kernel | None] = None
    _pid: ClassVar[int] = 0  # the process that made _current (a forked worker makes its own)
    _inherited: ClassVar[list[Kernel]] = []  # a forked worker's copy of its parent's: never touched

    def __init__(self) -> None:
        self.km: Any = None
        self.kc: Any = None  # the client that cleared the kernel for the current notebook
        self.sockets: str | None = None
        self.pid: int | None = None

    @classmethod
    def current(cls) -> Kernel:
        if cls._current is None or cls._pid != os.getpid():
            if cls._current is not None:  # the parent's, kept from the garbage collector:
                cls._inherited.append(cls._current)  # closing its sockets here would break it
            cls._current, cls._pid = Kernel(), os.getpid()
        return cls._current

    @classmethod
    def warm_up(cls) -> None:
        """Launch this process's kernel now (it boots while the caller reads the
        workbook); no-op when one is running. A kernel that cannot be launched is left
        to the first report, whose build then fails with the reason in one line."""
        kernel = cls.current()
        try:
            kernel.start()
        except Exception:  # noqa: BLE001 - raised again by ready_for, inside a report
            kernel.discard()

    @classmethod
    def shutdown_current(cls) -> None:
        if cls._current is not None and cls._pid == os.getpid():
            cls._current.discard()

    def start(self) -> None:
        if self.km is not None:
            return
        from jupyter_core.utils import run_sync
        from traitlets.config import Config

        os.environ.setdefault("JUPYTER_PREFER_ENV_PATH", "1")
        self.sockets = tempfile.mkdtemp(prefix="wbk-")
        config = Config({"KernelManager": {"transport": "ipc", "ip": f"{self.sockets}/k"}})
        km = _quiet_kernel_manager()(kernel_name=KERNEL_NAME, config=config)
        run_sync(km.start_kernel)(extra_arguments=[
            "--HistoryManager.hist_file=:memory:",
            # what every report notebook loads, loaded while the kernel boots
            f"--IPKernelApp.exec_lines={WARM_UP}"], cwd=self.sockets)
        self.km = km
        self.pid = getattr(km.provisioner, "pid", None)
        if self.pid:
            processes.register_child(self.pid)  # ended with this process, however it ends
        processes.at_exit(Kernel.shutdown_current)

    def ready_for(self, folder: Path) -> Any:
        """The kernel manager, its kernel cleared and working in `folder`; the client
        nbclient asks it for is the one that cleared it, connected already."""
        from jupyter_core.utils import run_sync

        self.start()
        try:
            run_sync(self._prepare)(folder)
        except BaseException:
            self.discard()
            raise
        return self.km

    async def _prepare(self, folder: Path) -> None:  # `folder` may be relative to our cwd
        self.km.ready_client = None
        if self.kc is not None:  # the previous notebook's: nbclient leaves it deaf
            self.kc.stop_channels()
            self.kc = None
        self.kc = await _connected_client(self.km)
        code = ("get_ipython().run_line_magic('reset', '-f')\n"
                f"__import__('os').chdir({str(folder.resolve())!r})\n"
                "get_ipython().execution_count = 1\n")
        reply = await self.kc.execute_interactive(code, silent=True, store_history=False,
                                                  timeout=60, output_hook=lambda _m: None)
        if reply["content"].get("status") != "ok":
            raise RuntimeError(f"the kernel could not be prepared: "
                               f"{reply['content'].get('ename')}")
        self.km.ready_client = self.kc

    def release_client(self) -> None:
        """Stop the client of the notebook that ran (nbclient started its heartbeat, a
        thread). A process forks between notebooks (the next report's annex), and a
        thread left running could be inside a lock at that instant: the thread's
        allocations start the cycle collector there, freeing a WeasyPrint document
        calls fontconfig, which holds its cache lock meanwhile, and the child is born
        with that lock taken and hangs at its first font (seen once in `run all`)."""
        kc, self.kc = self.kc, None
        if self.km is not None:
            self.km.ready_client = None
        if kc is not None:
            kc.stop_channels()

    def discard(self) -> None:
        """Shut the kernel down at once (nothing in it is kept)."""
        km, self.km = self.km, None
        kc, self.kc = self.kc, None
        pid, self.pid = self.pid, None
        if kc is not None:
            with suppress(Exception):
                kc.stop_channels()
        if km is not None:
            from jupyter_core.utils import run_sync

            with suppress(Exception):
                run_sync(km.shutdown_kernel)(now=True)
        if pid:
            processes.end_processes([pid], within=1.0)  # a kernel that did not answer
            processes.unregister_child(pid)
        if self.sockets is not None:
            shutil.rmtree(self.sockets, ignore_errors=True)
            self.sockets = None


async def _connected_client(km: Any, timeout: float = 60) -> Any:
    """A client of `km`'s running kernel whose IOPub channel receives: what
    `wait_for_ready` makes sure of, without its 0.2 s wait each time the kernel's first
    status message goes out before the new subscription is in place (nearly every time:
    0.4 s a notebook, as nbclient would make a client of its own too)."""
    from queue import Empty

    client = km.client()
    client.start_channels(hb=False)  # the heartbeat is a thread: started by nbclient's call
    deadline = time.monotonic() + timeout
    while True:
        asked = client.kernel_info()
        with suppress(Empty):
            while True:  # its reply, past any other
                reply = await client.shell_channel.get_msg(timeout=1)
                if reply["parent_header"].get("msg_id") == asked:
                    break
            await client.iopub_channel.get_msg(timeout=0.02)  # the subscription is in place
            return client
        if time.monotonic() > deadline or not await km.is_alive():
            client.stop_channels()
            raise RuntimeError(f"the kernel did not answer in {timeout:g} s")


def _quiet_kernel_manager() -> type:
    """A kernel manager whose kernel process writes nothing to our terminal: its own log
    lines ("KeyboardInterrupt caught in kernel", ...) are noise for the person at the
    desk; what the cells print is in the executed notebook. Its next `client()` is the
    connected one Kernel._prepare left (nbclient's wait for it then takes a millisecond,
    not 0.2 s)."""
    from jupyter_client.manager import AsyncKernelManager

    class QuietKernelManager(AsyncKernelManager):
        ready_client: Any = None  # Kernel._prepare's, given to the next client() call

        async def start_kernel(self, **kw: Any) -> None:
            kw.setdefault("stdout", subprocess.DEVNULL)
            kw.setdefault("stderr", subprocess.DEVNULL)
            await super().start_kernel(**kw)

        def client(self, **kw: Any) -> Any:
            given, self.ready_client = self.ready_client, None
            return given if given is not None and not kw else super().client(**kw)

    return QuietKernelManager


def stale_banner(metrics: dict[str, Any]) -> str | None:
    """The warning shown above a briefing made from a snapshot, else None."""
    source = metrics.get("source") or {}
    if not source.get("stale"):
        return None
    taken_at = source.get("taken_at")
    return labels.STALE_WARNING.format(taken_at=fmt.datetime_vn(taken_at) if taken_at else "?")


def page_marks(metrics: dict[str, Any]) -> dict[str, str]:
    """Notebook metadata for marks the template shows on every page: `demo_mark` when the
    figures come from the synthetic sample workbook (labels.demo_mark)."""
    mark = labels.demo_mark(metrics)
    return {"demo_mark": mark} if mark else {}


def build(
    report: Report,
    metrics: dict[str, Any],
    parameters: dict[str, Any],
    staging: Path,
    write_metrics: Callable[[dict[str, Any], Path], Any],
) -> Built:
    """Everything of one report in `staging`; raise StepFailed on the first failure."""
    import nbformat

    step = "writing metrics.json"
    background = None
    metrics = with_document(metrics, report.name,  # what this report is built from
                            document_fingerprint(report.notebook, TEMPLATES_DIR))
    try:
        if report.early is not None:  # the annex, laid out on another core meanwhile,
            _import_renderer()  # by a process that has nbconvert and WeasyPrint already
            background = Background(report.early, report, metrics, staging)
        write_metrics(metrics, staging)
        if report.early is None:  # they load while the kernel runs the notebook (in a
            # thread: a process forked in the middle of an import could wait for its lock)
            threading.Thread(target=_import_renderer, name="wardbrief-import",
                             daemon=True).start()
        step = "executing the notebook"
        output = staging / "report.ipynb"
        if report.notebook.stem in periods.SHARED_NOTEBOOKS:  # it is told which report
            parameters = {**parameters, "report": report.name}
        nb = execute(report.notebook, output, parameters)
        meta = nb.metadata.setdefault("wardbrief", {})
        given = meta.get("report")
        meta.update(page_metadata(report, metrics))
        if given:
            meta["report"] = given
        nbformat.write(nb, str(output))
    except Exception as exc:
        if background is not None:
            background.cancel()
        raise StepFailed(step, exc) from exc
    try:
        return render_outputs(report, staging, metrics, nb, background)
    finally:
        if background is not None:
            background.cancel()


def _import_renderer() -> None:
    with suppress(Exception):  # an import error is raised again where the module is used
        from wardbrief.publish import render  # noqa: F401


def page_metadata(report: Report, metrics: dict[str, Any]) -> dict[str, Any]:
    """The notebook metadata `wardbrief` the template reads: the report, its title, the
    stale-data banner and the marks of every page."""
    meta: dict[str, Any] = {"report": report.name,
                            "title": report.title(metrics.get("as_of"), metrics.get("period"))}
    banner = stale_banner(metrics)
    if banner:
        meta["stale_banner"] = banner
    meta.update(page_marks(metrics))
    return meta


def render_outputs(report: Report, folder: Path, metrics: dict[str, Any],
                   nb: NotebookNode, background: Background | None = None) -> Built:
    """report.html, report.pdf and the report's extra files from an executed notebook
    (nothing is computed: the notebook's outputs and metrics.json are shown); the
    report's early outputs from `background` when it made them, else here."""
    from wardbrief.publish import render

    step = "rendering HTML"
    try:
        html = render.notebook_to_html(nb, report.name)
        (folder / "report.html").write_text(html, encoding="utf-8")
        step = "rendering PDF"
        document = render.html_to_document(html, folder)
        document.write_pdf(folder / "report.pdf")
        built = Built(folder, metrics, nb, html, notebook_report=report.name, document=document)
        if report.extra:
            step = "extra outputs"
            built.files.extend(report.extra(built))  # the reminders are cut from `document`
        built.document = None
        if report.early:
            step = "extra outputs"
            built.files.extend(background.wait() if background is not None
                               else report.early(report, metrics, folder))
    except Exception as exc:
        raise StepFailed(step, exc) from exc
    return built


class StepFailed(Exception):
    def __init__(self, step: str, error: BaseException) -> None:
        super().__init__(step)
        self.step = step
        self.error = error

    def __str__(self) -> str:
        from papermill.exceptions import PapermillExecutionError

        if isinstance(self.error, PapermillExecutionError):  # the cell says where
            return describe_failure(self.error)
        return f"{self.step}: {describe_failure(self.error)}"


def build_and_publish(
    report: Report,
    metrics: dict[str, Any],
    parameters: dict[str, Any],
    out_root: Path,
    write_metrics: Callable[[dict[str, Any], Path], Any],
) -> Path:
    """Build `report` and publish it at `out_root/<as-of>/<report>/`; return that folder.

    Raises ReportFailed (the previous briefing untouched, the executed notebook kept)."""
    problems = notebook_problems(report.notebook)
    if problems:
        raise ReportFailed("; ".join(problems))
    with store.staging_folder(out_root, report.name) as staging:
        try:
            with time_limit(REPORT_TIMEOUT_S, f"building {report.name}"):
                build(report, metrics, parameters, staging, write_metrics)
        except Exception as exc:  # any failure: one line, the log kept
            kept = store.keep_failed(out_root, report.name, staging)
            raise ReportFailed(str(exc) if isinstance(exc, StepFailed)
                               else describe_failure(exc), kept) from exc
        final = store.published_path(out_root, metrics["as_of"], report.folder_name(metrics))
        try:
            store.publish(staging, final)
        except OSError as exc:  # a full disk: the previous briefing stays
            kept = store.keep_failed(out_root, report.name, staging)
            raise ReportFailed(f"publishing: {describe_failure(exc)}", kept) from exc
        return final


# --- a run -----------------------------------------------------------------------------------------


@dataclass
class RunResult:
    published: dict[str, Path] = field(default_factory=dict)
    failed: dict[str, ReportFailed] = field(default_factory=dict)
    index: Path | None = None

    @property
    def exit_code(self) -> int:
        return EXIT_DATA_ERRORS if self.failed else EXIT_OK


def _engine_write_metrics(metrics: dict[str, Any], out_dir: Path) -> Any:
    from wardbrief.figures.metrics import write_metrics

    return write_metrics(metrics, out_dir)


MetricsFor = Callable[[Report], dict[str, Any]]
"""The metrics of a report (computed once per period by the caller)."""


def _tell(report: Report, number: int, total: int, outcome: tuple[str, str, str | None, float],
          result: RunResult, out_root: Path, stdout: TextIO, stderr: TextIO) -> None:
    """One report's progress line (and its files, or its failure on stderr); the index is
    rewritten as each briefing is published."""
    status, text, kept, seconds = outcome
    print(f"[{number}/{total}] {report.name} …", end=" ", file=stdout, flush=True)
    if status == "failed":
        print(f"FAILED after {seconds:.1f} s", file=stdout, flush=True)
        kept_note = f" (executed notebook: {kept})" if kept else ""
        print(f"{report.name}: {text}{kept_note}", file=stderr, flush=True)
        result.failed[report.name] = ReportFailed(text, Path(kept) if kept else None)
        return
    print(f"done in {seconds:.1f} s", file=stdout, flush=True)
    folder = Path(text)
    result.published[report.name] = folder
    result.index = write_index_or_say(out_root, stderr) or result.index  # seen at once
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        print(f"  {path}", file=stdout)


class _Helpers:
    """Forked processes that build reports beside this one: every process takes the next
    report to build from one shared queue (the longest first), so none waits while
    another has two left. A helper's outcomes come back through a queue."""

    def __init__(self, count: int, order: list[int]) -> None:
        ctx = multiprocessing.get_context("fork")
        self.tasks = ctx.SimpleQueue()
        self.results = ctx.SimpleQueue()
        for index in order:
            self.tasks.put(index)
        for _ in range(count + 1):  # one end mark for each process, this one's too
            self.tasks.put(None)
        self.processes = [ctx.Process(target=_helper_loop, args=(self.tasks, self.results),
                                      name=f"wardbrief-build-{n + 1}", daemon=True)
                          for n in range(count)]
        with frozen_heap():
            for process in self.processes:
                process.start()

    def take(self) -> int | None:
        return self.tasks.get()

    def finished(self) -> dict[int, tuple[str, str, str | None, float]]:
        """The outcomes sent so far (without waiting)."""
        out = {}
        while not self.results.empty():
            index, outcome = self.results.get()
            out[index] = outcome
        return out

    def wait(self, missing: set[int]) -> dict[int, tuple[str, str, str | None, float]]:
        """Every outcome of `missing`; a helper that died leaves its report failed."""
        from multiprocessing.connection import wait

        out: dict[int, tuple[str, str, str | None, float]] = {}
        reader = self.results._reader  # type: ignore[attr-defined]
        while missing - out.keys():
            alive = [p.sentinel for p in self.processes if p.exitcode is None]
            if not alive:  # what they sent before they ended, then nothing more comes
                out.update(self.finished())
                for index in missing - out.keys():
                    out[index] = ("failed", "the process building it stopped", None, 0.0)
                break
            if reader in wait([reader, *alive]):
                out.update(self.finished())
        return out

    def terminate(self) -> None:
        for process in self.processes:
            process.terminate()

    def close(self) -> None:
        for process in self.processes:
            process.join(timeout=30)
            if process.exitcode is None:
                process.kill()
                process.join()


def _helper_loop(tasks: Any, results: Any) -> None:
    """A forked helper: its own event loop and kernel, then reports until the end mark;
    SIGTERM / SIGINT end it (and its kernel) without a word."""
    from wardbrief.processes import worker_signals

    worker_signals()
    _forked_worker()
    try:
        while (index := tasks.get()) is not None:
            results.put((index, _run_job(index)))
    finally:
        Kernel.shutdown_current()


def build_workers(jobs: int) -> int:
    """How many reports are built at once: one per core this process may use, at most
    `jobs`; 1 where processes cannot be forked."""
    if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(jobs, usable_cores()))


@dataclass
class _Job:
    report: Report
    metrics_for: MetricsFor
    source: str
    allow_stale: bool
    out_root: Path
    write_metrics: Callable[[dict[str, Any], Path], Any]
    metrics: dict[str, Any] | None = None
    failure: str | None = None  # why its metrics could not be computed
    seconds: float = 0.0  # spent on its metrics

    def figures(self) -> None:
        """Its metrics, once (in the process that builds it)."""
        if self.metrics is not None or self.failure is not None:
            return
        started = time.monotonic()
        try:
            self.metrics = self.metrics_for(self.report)
        except Exception as exc:  # noqa: BLE001 - reported in one line
            self.failure = f"metrics: {describe_failure(exc)}"
        self.seconds = time.monotonic() - started


_JOBS: list[_Job] = []  # set before the workers are forked: they inherit it, nothing is pickled


def _run_job(index: int) -> tuple[str, str, str | None, float]:
    """In a worker: the metrics of `_JOBS[index]` (unless computed), then build and
    publish it; ("ok", folder, None, seconds) or ("failed", message, kept notebook,
    seconds)."""
    job = _JOBS[index]
    job.figures()
    started = time.monotonic() - job.seconds
    if job.metrics is None:
        return "failed", job.failure or "metrics: none", None, time.monotonic() - started
    try:
        folder = build_and_publish(job.report, job.metrics,
                                   notebook_parameters(job.metrics, job.source, job.allow_stale),
                                   job.out_root, job.write_metrics)
    except ReportFailed as exc:
        return "failed", str(exc), str(exc.kept) if exc.kept else None, time.monotonic() - started
    except Exception as exc:  # noqa: BLE001 - reported in one line like any failure
        return "failed", describe_failure(exc), None, time.monotonic() - started
    return "ok", str(folder), None, time.monotonic() - started


BUILD_ORDER = ("department_reminders", "weekly_briefing", "monthly_report", "quarterly_report",
               "half_year_report", "year_report", "data_quality")
"""The reports from the longest to build to the shortest (measured on 5,000 cases)."""


def _build_rank(report: Report) -> int:
    return BUILD_ORDER.index(report.name) if report.name in BUILD_ORDER else len(BUILD_ORDER)


_preloaded = False  # in this process or the one it was forked from


def preload() -> None:
    """Import what building a report needs, and lay out one empty page (nbconvert's
    templates compiled, WeasyPrint's fonts found: 0.3 s the first time in a process),
    before the workers and the annex are forked: each then has it at once instead of
    doing it again. `run` calls it while another process reads the workbook; once
    done, it is not done again."""
    global _preloaded
    if _preloaded:
        return
    _preloaded = True
    import nbformat
    import papermill  # noqa: F401

    from wardbrief.document import word  # noqa: F401
    from wardbrief.publish import render

    with suppress(Exception):  # an error here is raised again where a report is built
        empty = nbformat.v4.new_notebook(metadata={"wardbrief": {"report": "weekly_briefing"}})
        render.html_to_document(render.notebook_to_html(empty, "weekly_briefing")).write_pdf()


_INHERITED_LOOPS: list[Any] = []


def _forked_worker() -> None:
    """A forked process starts its own event loop and its own kernel at once, kept for
    each report it builds. The parent's loop shares its epoll instance with the child:
    it is neither used nor closed here (closing it would unregister the parent's file
    descriptors) and is kept from the garbage collector, which would close it."""
    import asyncio

    if "jupyter_core.utils" in sys.modules:
        from jupyter_core import utils

        _INHERITED_LOOPS.append(utils._loop.get())
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        utils._loop.set(loop)
    Kernel.warm_up()


def run_reports(
    reports: list[Report],
    metrics_for: MetricsFor,
    source: str,
    allow_stale: bool,
    out_root: Path,
    *,
    write_metrics: Callable[[dict[str, Any], Path], Any] = _engine_write_metrics,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    workers: int | None = None,
    keep_kernel: bool = False,
) -> RunResult:
    """Build and publish each report (a failure does not stop the others); the caller
    holds the lock. Progress and the paths written go to stdout, failures to stderr.
    `keep_kernel`: this process's kernel stays up for the caller's next run_reports (a
    city's worker builds ward after ward); it is shut down when the process's work ends
    (processes.at_exit).

    Several reports are built at once in forked workers (`workers`, default
    build_workers: one per core) beside this process, each publishing its own folder;
    each process computes the metrics of the report it takes (`metrics_for`), so that
    the periods' figures are computed on every core too. The first report's are
    computed here before the workers are forked (they inherit them, and what the
    caller starts with them, such as the tracking workbook, is this process's). With
    one process every report's metrics come first, then the builds. Progress is told
    in the reports' order and the index rewritten as each is published."""
    global _JOBS
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    result = RunResult()
    jobs = [_Job(report, metrics_for, source, allow_stale, out_root, write_metrics)
            for report in reports]
    count = min(workers if workers is not None else build_workers(len(jobs)), len(jobs))
    # the longest first, so that no process is left with a long one at the end
    order = sorted(range(len(jobs)), key=lambda i: _build_rank(jobs[i].report))
    for index in order if count == 1 else order[:1]:
        jobs[index].figures()
    _JOBS = jobs
    done: dict[int, tuple[str, str, str | None, float]] = {}
    shown = 0

    def show_ready() -> None:
        """Tell, in the reports' order, each report whose build has ended."""
        nonlocal shown
        while shown < len(reports) and shown in done:
            _tell(reports[shown], shown + 1, len(reports), done[shown], result, out_root,
                  stdout, stderr)
            shown += 1

    helpers: _Helpers | None = None
    try:
        if count > 1:
            preload()
            helpers = _Helpers(count - 1, order)
            take = helpers.take
        else:
            queue = iter(order)

            def take() -> int | None:
                return next(queue, None)
        while (index := take()) is not None:  # this process builds too
            done[index] = _run_job(index)
            if helpers is not None:
                done.update(helpers.finished())
            show_ready()
        if helpers is not None:
            done.update(helpers.wait(set(order) - done.keys()))
        show_ready()
    except BaseException:
        if helpers is not None:
            helpers.terminate()  # staging folders left are removed by the next run
        raise
    finally:
        if helpers is not None:
            helpers.close()
        _JOBS = []
        if not keep_kernel:
            Kernel.shutdown_current()  # this process's kernel, if a report of the run used it
    if result.index is None:  # nothing published: the index is still regenerated once
        result.index = write_index_or_say(out_root, stderr)
    if result.index is not None:
        print(f"  {result.index}", file=stdout, flush=True)
    return result
