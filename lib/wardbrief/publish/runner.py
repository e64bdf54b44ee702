"""Build the briefings and publish them: `outputs/<as-of>/<report>/`.

For each report the runner
1. writes the run's metrics (computed once per run by the caller) into a staging
   folder `outputs/.staging-*`,
2. executes `notebooks/<report>.ipynb` with papermill in that folder (the kernel is
   this interpreter's, its working directory the staging folder, so the notebook
   reads `metrics.json` beside it),
3. renders the executed notebook to `report.html` and `report.pdf` (wardbrief.publish.render)
   and runs the report's extra step, if any,
4. publishes: the staging folder becomes a version folder `outputs/<as-of>/.<report>.v<n>`
   and `outputs/<as-of>/<report>` is a symbolic link to it, replaced in one atomic
   rename: a reader (and index.html) sees either the previous briefing or the new one,
   never half of one and never none. The previous version is deleted only after the link
   points at the new one.

Killed at any point, a run leaves at worst an extra version folder or a link-to-be; the
next run repairs them under the lock before anything else (repair_outputs): a briefing
without a working link is linked to its newest complete version, versions no link points
at are removed, and the `.trash-*` folder of the older publisher is put back when its
briefing is missing.

A report that fails (in a cell, in rendering, over a time limit, or publishing on a full
disk) leaves the previous briefing untouched and its executed notebook under
`outputs/_failed/`; the run goes on with the next report. One run at a time:
`outputs/.lock`, released however the run ends. `outputs/index.html` lists every
published briefing and is written atomically (temporary file, fsync, rename).

Time limits: a notebook cell CELL_TIMEOUT_S, a whole report (notebook, HTML, PDF, extra
step) REPORT_TIMEOUT_S, the figures of a run FIGURES_TIMEOUT_S (commands.run).
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

import jinja2

from wardbrief.briefings import fmt, labels
from wardbrief.paths import TEMPLATE_NAME, TEMPLATES_DIR
from wardbrief.run.build import (
    Built,
    ReportFailed,
    StepFailed,
    describe_failure,
    page_marks,
    render_outputs,
)
from wardbrief.run.extras import reminder_file_names
from wardbrief.run.registry import REPORT_NAMES, REPORTS, Report, report_of_folder

FAILED_DIR = "_failed"
STAGING_PREFIX = ".staging-"
TRASH_PREFIX = ".trash-"  # the older publisher's backup of a briefing (repaired)
LOCK_FILE = ".lock"
DATE_DIR = re.compile(r"^\d{4}-\d{2}-\d{2}$")
VERSION = re.compile(r"^\.(?P<report>[^/]+)\.v(?P<n>\d+)$")  # .<report>.v<n> in a date folder
LINK_TMP = re.compile(r"^\.(?P<report>[^/]+)\.link-\d+$")

FaultHook = Callable[[str], None]
FAULT_HOOK: FaultHook | None = None
"""Called with the name of each step of publishing (tests: kill the process there)."""


def _step(name: str) -> None:
    if FAULT_HOOK is not None:
        FAULT_HOOK(name)


# --- errors --------------------------------------------------------------------------------


class Locked(Exception):
    """Another run holds outputs/.lock."""

    def __init__(self, pid: str) -> None:
        super().__init__(f"another run is in progress (pid {pid or '?'})")
        self.pid = pid


# --- lock ------------------------------------------------------------------------------------


@contextmanager
def run_lock(out_root: Path) -> Iterator[None]:
    """Hold `out_root/.lock` (flock, non-blocking) for the duration; raise Locked if taken."""
    out_root.mkdir(parents=True, exist_ok=True)
    with open(out_root / LOCK_FILE, "a+", encoding="ascii") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            raise Locked(handle.read().strip()) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        repair_outputs(out_root)
        yield  # closing the file releases the lock


def repair_outputs(out_root: Path) -> None:
    """Undo what a killed run left (we hold the lock: no run is live): staging folders and
    temporary index files go; every briefing gets back a working link (see the module's
    docstring); versions no link points at go."""
    for child in out_root.iterdir():
        if child.name.startswith(TRASH_PREFIX) and child.is_dir():
            _restore_trash(out_root, child)
        elif child.is_dir() and child.name.startswith(STAGING_PREFIX):
            shutil.rmtree(child, ignore_errors=True)
        elif child.is_file() and child.name.startswith(".index-"):
            child.unlink()
    for day in out_root.iterdir():
        if DATE_DIR.match(day.name) and day.is_dir() and not day.is_symlink():
            _repair_day(day)


def _restore_trash(out_root: Path, trash: Path) -> None:
    """`.trash-<as-of>-<report>`: the previous briefing, moved aside by the older publisher
    just before it was killed. Put back when its place is empty, else removed."""
    rest = trash.name[len(TRASH_PREFIX):]
    final = out_root / rest[:10] / rest[11:] if DATE_DIR.match(rest[:10]) else None
    if (final is not None and rest[11:] and not os.path.lexists(final)
            and (trash / "report.html").exists()):
        os.rename(trash, final)
    else:
        shutil.rmtree(trash, ignore_errors=True)


def _repair_day(day: Path) -> None:
    versions: dict[str, list[Path]] = {}
    for child in day.iterdir():
        if LINK_TMP.match(child.name) and child.is_symlink():
            child.unlink()
        elif (match := LINK_TMP.match(child.name)) and child.is_dir():
            # an older publisher's folder, swapped out by _replace_folder_by_link
            if os.path.lexists(day / match["report"]):
                shutil.rmtree(child, ignore_errors=True)
            else:
                os.rename(child, day / match["report"])
        elif (match := VERSION.match(child.name)) and child.is_dir() and not child.is_symlink():
            versions.setdefault(match["report"], []).append(child)
    for report, found in versions.items():
        final = day / report
        found.sort(key=lambda p: int(VERSION.match(p.name)["n"]))
        current = _link_target(final)
        if current is None and not (final.is_dir() and not final.is_symlink()):
            complete = [v for v in found if (v / "report.html").exists()]
            if complete:
                _point(final, complete[-1])
                current = complete[-1]
        for version in found:
            if version != current:
                shutil.rmtree(version, ignore_errors=True)


def _link_target(final: Path) -> Path | None:
    """The version folder `final` links to, when the link works."""
    if not final.is_symlink():
        return None
    target = final.parent / os.readlink(final)
    return target if target.is_dir() else None


def rerender(folder: Path) -> Built:
    """Render a published report again from its executed notebook (edited in JupyterLab,
    say) and its metrics.json, without recomputing anything; the folder is replaced
    atomically. Raises ReportFailed."""
    import nbformat

    folder = folder.resolve()
    executed, metrics_file = folder / "report.ipynb", folder / "metrics.json"
    missing = [p.name for p in (executed, metrics_file) if not p.is_file()]
    if missing:
        raise ReportFailed(labels.RENDER_MISSING.format(folder=folder, files=", ".join(missing)))
    nb = nbformat.read(str(executed), as_version=4)
    known = report_of_folder(folder.name)
    name = nb.metadata.get("wardbrief", {}).get("report") or (known.name if known else folder.name)
    report = REPORTS.get(name) or Report(name, Path())
    metrics = json.loads(metrics_file.read_text(encoding="utf-8"))
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{name}-", dir=folder.parent))
    try:
        staging.chmod(0o777 & ~_umask())
        for item in folder.iterdir():  # metrics.json, CSV files, the notebook
            if item.is_file() and item.suffix not in (".html", ".pdf"):
                shutil.copy2(item, staging / item.name)
        try:
            built = render_outputs(report, staging, metrics, nb)
        except StepFailed as exc:
            raise ReportFailed(str(exc)) from exc
        publish(staging, folder)
        built.staging = folder
        return built
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def keep_failed(out_root: Path, report: Report, staging: Path) -> Path | None:
    """Move the executed notebook of a failed run to `_failed/<timestamp>-<report>.ipynb`
    (None when there is none, or when even that fails: the failure line is what counts)."""
    try:
        return _keep_failed(out_root, report, staging)
    except OSError:
        return None


def _keep_failed(out_root: Path, report: Report, staging: Path) -> Path | None:
    executed = staging / "report.ipynb"
    if not executed.exists():
        return None
    failed_dir = out_root / FAILED_DIR
    failed_dir.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    target = failed_dir / f"{stamp}-{report.name}.ipynb"
    n = 1
    while target.exists():
        n += 1
        target = failed_dir / f"{stamp}-{report.name}-{n}.ipynb"
    shutil.move(str(executed), target)
    return target


# --- publishing ----------------------------------------------------------------------------------


def publish(staging: Path, final: Path) -> None:
    """Put `staging` at `final`: renamed to a new version folder beside `final`, then
    `final` (a symbolic link) swapped to it in one rename; the previous version goes only
    after the swap. On an OSError (a full disk) the previous briefing stays where it was,
    `staging` is put back and the error raised."""
    day = final.parent
    day.mkdir(parents=True, exist_ok=True)
    previous = _link_target(final)
    version = day / f".{final.name}.v{time.time_ns()}"
    os.rename(staging, version)
    _step("publish:version")
    try:
        if final.is_dir() and not final.is_symlink():  # published before versions existed
            previous = _replace_folder_by_link(final, version)
        else:
            _point(final, version)
    except BaseException:
        with suppress(OSError):
            legacy = day / f".{final.name}.v0"
            if legacy.is_dir() and not os.path.lexists(final):
                os.rename(legacy, final)  # the older publisher's folder back in its place
            os.rename(version, staging)
        raise
    _step("publish:linked")
    if previous is not None and previous != version:
        shutil.rmtree(previous, ignore_errors=True)


def _replace_folder_by_link(final: Path, version: Path) -> Path:
    """`final`, a real folder (an older publisher's), becomes a link to `version`; returns
    where the old folder went. Atomic where the kernel can exchange two names
    (renameat2 RENAME_EXCHANGE, Linux): else two renames, repaired by the next run if
    killed between them."""
    legacy = final.parent / f".{final.name}.v0"
    tmp = final.parent / f".{final.name}.link-{os.getpid()}"
    with suppress(FileNotFoundError):
        tmp.unlink()
    os.symlink(version.name, tmp)
    if _exchange(tmp, final):  # final is now the link, tmp the old folder (removed next)
        _step("publish:exchanged")
        return tmp
    tmp.unlink()
    os.rename(final, legacy)
    _step("publish:legacy")
    _point(final, version)
    return legacy


def _exchange(a: Path, b: Path) -> bool:
    """Swap two names in one step (renameat2 RENAME_EXCHANGE); False where unsupported."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0


def _point(final: Path, version: Path) -> None:
    """Make `final` a relative symbolic link to `version` in one rename."""
    tmp = final.parent / f".{final.name}.link-{os.getpid()}"
    with suppress(FileNotFoundError):
        tmp.unlink()
    os.symlink(version.name, tmp)
    try:
        os.replace(tmp, final)
    except BaseException:
        with suppress(OSError):
            tmp.unlink()
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# --- index --------------------------------------------------------------------------------------


def _index_template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR / TEMPLATE_NAME)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("outputs_index.html.j2")


def published(out_root: Path) -> list[dict[str, Any]]:
    """Every published briefing under `out_root`, newest date first."""
    entries = []
    order = {name: i for i, name in enumerate(REPORT_NAMES)}
    days = (p for p in out_root.iterdir() if DATE_DIR.match(p.name) and p.is_dir())
    for day in sorted(days, reverse=True):
        folders = [p for p in day.iterdir() if not p.name.startswith(".") and p.is_dir()
                   and (p / "report.html").exists()]
        for folder in sorted(folders, key=lambda p: (
                order.get(p.name.partition("-")[0], len(order)), p.name)):
            report = report_of_folder(folder.name) or Report(folder.name, Path())
            rel = f"{day.name}/{quote(folder.name)}"
            parts = sorted((folder / "reminders").glob("*.pdf"))
            names = _department_names(folder) if parts else {}
            parts = [p for p in parts if p.is_file()]
            title, subtitle = report.heading(day.name, _period_of(folder))
            entries.append(
                {
                    "date": fmt.date_vn(day.name),
                    "iso_date": day.name,
                    "report": folder.name,
                    "title": title,
                    "subtitle": subtitle,
                    "html": f"{rel}/report.html",
                    "pdf": f"{rel}/report.pdf" if (folder / "report.pdf").exists() else None,
                    "docx": f"{rel}/report.docx" if (folder / "report.docx").exists() else None,
                    "metrics": f"{rel}/metrics.json" if (folder / "metrics.json").exists() else None,
                    "parts": [{"name": names.get(p.stem, p.stem), "href": f"{rel}/reminders/{quote(p.name)}",
                               "docx": (f"{rel}/reminders/{quote(p.stem)}.docx"
                                        if p.with_suffix(".docx").exists() else None)}
                              for p in parts],
                    "demo_mark": demo_mark_of(folder),
                }
            )
    return entries


def demo_mark_of(folder: Path) -> str | None:
    """labels.DEMO_MARK when the briefing in `folder` was made from the synthetic sample
    (its metrics.json says `source.demo`), else None."""
    try:
        metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return page_marks(metrics).get("demo_mark") if isinstance(metrics, dict) else None


def _period_of(folder: Path) -> dict[str, Any] | None:
    """metrics.json's `period` of a published report on the cut-off, else None."""
    if "-" not in folder.name:
        return None
    try:
        period = json.loads((folder / "metrics.json").read_text(encoding="utf-8")).get("period")
    except (OSError, ValueError, AttributeError):
        return None
    return period if isinstance(period, dict) else None


def _department_names(folder: Path) -> dict[str, str]:
    """File stem of a department's reminder -> the department's name (metrics.json)."""
    try:
        metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
        departments = metrics.get("departments") or {}
        stems = reminder_file_names(list(departments))
        return {stems[code]: str(info.get("name") or code)
                for code, info in departments.items() if isinstance(info, dict)}
    except (OSError, ValueError, AttributeError):
        return {}


def _ward_name(out_root: Path, entries: list[dict[str, Any]]) -> str:
    for entry in entries:
        if entry["metrics"]:
            try:
                data = json.loads((out_root / entry["metrics"]).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(data.get("ward"), str):
                return data["ward"]
    return ""


def write_index(out_root: Path) -> Path:
    """Regenerate `out_root/index.html` (written to a temp file, then renamed)."""
    entries = published(out_root)
    html = _index_template().render(
        entries=entries,
        ward=_ward_name(out_root, entries),
        updated=datetime.now().strftime("%H:%M ngày %d/%m/%Y"),
    )
    target = out_root / "index.html"
    tmp = out_root / f".index-{os.getpid()}.html"
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(html)
            handle.flush()
            os.fsync(handle.fileno())
        _step("index:written")
        os.replace(tmp, target)
    except BaseException:
        with suppress(OSError):
            tmp.unlink()
        raise
    return target


def _write_index_or_say(out_root: Path, stderr: TextIO) -> Path | None:
    """write_index; on an OSError (a full disk) one line, the previous index kept."""
    try:
        return write_index(out_root)
    except OSError as exc:
        print(f"index.html: {describe_failure(exc)} (the previous index is kept)",
              file=stderr, flush=True)
        return None


