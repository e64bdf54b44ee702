"""One report, built in a staging folder (by a worker of the run, or the run's own
process): metrics.json, the notebook executed by papermill on the warm kernel
(wardbrief.run.engine), report.html and report.pdf from it, the report's extra outputs;
and, as a piece of its own that needs only the metrics, the outputs made from them
(the annex). Publishing the folder is the run's (wardbrief.run.reports)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wardbrief import processes
from wardbrief.briefings.marks import page_marks, stale_banner
from wardbrief.run.registry import Report, time_limit

if TYPE_CHECKING:
    from nbformat import NotebookNode

WriteMetrics = Callable[[dict[str, Any], Path], Any]
STOPPED_WAIT_S = 1.0  # how long a stopped report waits for its thread to finish


@dataclass
class Built:
    """What a report's build produced in its staging folder (paths inside it)."""

    staging: Path
    metrics: dict[str, Any]
    notebook: NotebookNode
    html: str
    files: list[Path] = field(default_factory=list)
    notebook_report: str = ""  # the report's name
    # while extra steps run: each document named on report.pdf's page as it was laid out
    # (WeasyPrint Documents by name: a department's reminder by its code)
    documents: dict[str, Any] = field(default_factory=dict)


class ReportFailed(Exception):
    """A report could not be built; the message is one line for the person at the desk."""

    def __init__(self, message: str, kept: Path | None = None) -> None:
        super().__init__(message)
        self.kept = kept


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
    return processes.describe_error(exc)


def notebook_problems(path: Path) -> list[str]:
    """Why `path` cannot serve as a report notebook (empty list: it can)."""
    import nbformat

    if not path.is_file():
        return [f"{path} does not exist"]
    nb = nbformat.read(str(path), as_version=4)
    if not any("parameters" in c.metadata.get("tags", []) for c in nb.cells):
        return [f"{path.name} has no cell tagged 'parameters'"]
    return []


def declared_parameters(path: Path) -> set[str]:
    """The names the notebook's `parameters` cell assigns."""
    import ast

    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    cell = next((c for c in nb.cells if "parameters" in c.metadata.get("tags", [])), None)
    if cell is None:
        return set()
    return {target.id for node in ast.parse(cell.source).body if isinstance(node, ast.Assign)
            for target in node.targets if isinstance(target, ast.Name)}


def notebook_parameters(metrics: dict[str, Any], source: str, allow_stale: bool
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


def write_metrics_files(metrics: dict[str, Any], out_dir: Path) -> Any:
    """metrics.json and its CSV twins (figures.metrics_files.write_metrics)."""
    from wardbrief.figures.metrics_files import write_metrics

    return write_metrics(metrics, out_dir)


def build_notebook(report: Report, metrics: dict[str, Any], parameters: dict[str, Any],
                   staging: Path, write_metrics: WriteMetrics = write_metrics_files, *,
                   beside: bool = False, after: list[Callable[[], Any]] | None = None
                   ) -> Built:
    """Everything of one report in `staging`; its outputs from the metrics alone too
    when `beside`, laid out by a thread of this process while the kernel runs the
    notebook (this process only waits on the kernel meanwhile), then each of `after`
    (steps of the run) by the same thread. Raises StepFailed on the first failure (the
    kernel is then shut down: the next report gets a new one)."""
    import nbformat

    from wardbrief.run import engine

    step = "writing metrics.json"
    meanwhile = None
    stopped = False
    try:
        write_metrics(metrics, staging)
        # the renderer loads (and the annex is laid out) once the kernel runs the notebook
        meanwhile = _Meanwhile(report, metrics, staging, beside, after or [])
        step = "executing the notebook"
        output = staging / "report.ipynb"
        if "report" in declared_parameters(report.notebook):  # one notebook of several
            parameters = {**parameters, "report": report.name}
        nb = engine.execute(report.notebook, output, parameters, on_running=meanwhile.go.set)
        meta = nb.metadata.setdefault("wardbrief", {})
        given = meta.get("report")
        meta.update(page_metadata(report, metrics))
        if given:
            meta["report"] = given
        nbformat.write(nb, str(output))
        step = "extra outputs"
        files = meanwhile.result()  # before rendering: one layout at a time
        built = render_outputs(report, staging, metrics, nb)
        built.files.extend(files)
        return built
    except StepFailed:
        engine.WarmKernel.discard_current()
        raise
    except BaseException as exc:
        if meanwhile is not None:
            meanwhile.cancelled = True
        engine.WarmKernel.discard_current()
        if isinstance(exc, Exception):
            raise StepFailed(step, exc) from exc
        stopped = True
        raise
    finally:
        if meanwhile is not None:
            meanwhile.go.set()
            # a stopped run (SIGTERM, Ctrl-C) does not wait for the thread, a daemon that
            # dies with the process: it may wait on an import's lock that the signal left
            # held in this thread, and the stop must end within its bound
            meanwhile.thread.join(timeout=STOPPED_WAIT_S if stopped else None)


class _Meanwhile:
    """A thread that, once the kernel runs the notebook (`go`; before, this process's
    own steps up to the first cell would share the interpreter with it), loads the
    renderer, makes the report's outputs from the metrics alone when asked, then runs
    the steps `after`; result() waits for the outputs and raises what raised. A report
    that failed before (`cancelled`) leaves the thread nothing to do."""

    def __init__(self, report: Report, metrics: dict[str, Any], staging: Path,
                 outputs: bool, after: list[Callable[[], Any]]) -> None:
        self.files: list[Path] = []
        self.error: BaseException | None = None
        self.go = threading.Event()
        self.made = threading.Event()
        self.cancelled = False
        step = report.from_metrics if outputs else None
        self.thread = threading.Thread(target=self._run,
                                       args=(step, report, metrics, staging, after),
                                       name="wardbrief-meanwhile", daemon=True)
        self.thread.start()

    def _run(self, *args: Any) -> None:
        try:
            self._work(*args)
        except BaseException:
            if not self.cancelled:
                raise
            # a cancelled report's staging folder is removed under it: nothing to say

    def _work(self, step: Any, report: Report, metrics: dict[str, Any], staging: Path,
              after: list[Callable[[], Any]]) -> None:
        self.go.wait()
        try:
            if self.cancelled:
                return
            _import_renderer()
            if step is not None:
                try:
                    self.files = step(report, metrics, staging)
                except Exception as exc:  # noqa: BLE001 - raised again by result()
                    self.error = exc
        finally:
            self.made.set()
        for later in after:
            if self.cancelled:
                return
            later()

    def result(self) -> list[Path]:
        self.made.wait()
        if self.error is not None:
            raise self.error
        return self.files


def _import_renderer() -> None:
    with suppress(Exception):  # an import error is raised again where the module is used
        from wardbrief.publish import render  # noqa: F401


def render_outputs(report: Report, folder: Path, metrics: dict[str, Any],
                   nb: NotebookNode, *, from_metrics: bool = False) -> Built:
    """report.html, report.pdf and the report's extra files from an executed notebook
    (nothing is computed: the notebook's outputs and metrics.json are shown); with
    `from_metrics` also the outputs made from the metrics alone (`wardbrief render`: a
    run has them made beside the notebook)."""
    from wardbrief.publish import render

    step = "rendering HTML"
    try:
        html = render.notebook_to_html(nb, report.name)
        (folder / "report.html").write_text(html, encoding="utf-8")
        step = "rendering PDF"
        page = render.html_to_page(html, folder)
        page.whole.write_pdf(folder / "report.pdf")
        built = Built(folder, metrics, nb, html, notebook_report=report.name,
                      documents=page.named)
        del page
        if report.extra:
            step = "extra outputs"
            built.files.extend(report.extra(built))
        built.documents = {}
        if from_metrics and report.from_metrics is not None:
            step = "extra outputs"
            built.files.extend(report.from_metrics(report, metrics, folder))
    except Exception as exc:
        raise StepFailed(step, exc) from exc
    return built


# --- the pieces a run hands to its workers ----------------------------------------------

NOTEBOOK, FROM_METRICS = "notebook", "from metrics"


@dataclass
class Piece:
    """A part of one report's build, done by whichever process of the run takes it."""

    kind: str  # NOTEBOOK or FROM_METRICS
    report: Report
    metrics: dict[str, Any]
    staging: Path
    parameters: dict[str, Any] = field(default_factory=dict)
    write_metrics: WriteMetrics = write_metrics_files
    beside: bool = False  # a NOTEBOOK piece that makes the outputs from the metrics too
    after: list[Callable[[], Any]] = field(default_factory=list)  # steps of the run,
    # by the thread that makes those outputs (a NOTEBOOK piece built in the run's process)


@dataclass
class PieceDone:
    """What a piece gave: the files it wrote, or why it failed (one line), and its time."""

    files: list[Path]
    failure: str | None
    seconds: float


def build_piece(piece: Piece) -> PieceDone:
    """Do `piece` within its report's time limit."""
    started = time.monotonic()
    try:
        with time_limit(piece.report.time_limit_s, f"building {piece.report.name}"):
            if piece.kind == NOTEBOOK:
                problems = notebook_problems(piece.report.notebook)
                if problems:
                    raise ReportFailed("; ".join(problems))
                built = build_notebook(piece.report, piece.metrics, piece.parameters,
                                       piece.staging, piece.write_metrics, beside=piece.beside,
                                       after=piece.after)
                files = built.files
            else:
                assert piece.report.from_metrics is not None
                files = piece.report.from_metrics(piece.report, piece.metrics, piece.staging)
    except Exception as exc:  # noqa: BLE001 - one line, the run goes on
        failure = str(exc) if isinstance(exc, (StepFailed, ReportFailed)) \
            else describe_failure(exc)
        if piece.kind == FROM_METRICS:
            failure = f"extra outputs: {failure}"
        return PieceDone([], failure, time.monotonic() - started)
    return PieceDone(files, None, time.monotonic() - started)


def warm_worker(kernels: int, number: int) -> None:
    """A worker of the run starts (number 1..): the first `kernels` of them launch
    their kernel at once; each loads the renderer meanwhile."""
    from wardbrief.run import engine

    if number <= kernels:
        engine.WarmKernel.warm_up()
    _import_renderer()
