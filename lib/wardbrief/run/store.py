"""The store: `outputs/`, where briefings are published, one run at a time.

Layout of `outputs/` (the out root):

    .lock                          held by the run (or render, or send) working here
    <as-of>/<name>                 a symbolic link to the published version of a report
    <as-of>/.<name>.v<n>           its version folders: the published one and at most
                                   KEPT_VERSIONS older ones (n: the time it was published)
    <as-of>/theo-doi.xlsx          the tracking workbook of the run (commands.run),
                                   written as .theo-doi.xlsx.<pid>.tmp, then renamed
    _failed/<stamp>-<report>.ipynb the executed notebook of a report that failed
    .staging-<report>-*            a report being built (becomes a version folder)
    index.html                     every published briefing (wardbrief.run.index)

Publishing never shows half a briefing or none: the staging folder is renamed to a new
version folder, then the link is swapped to it in one rename, and the versions beyond
the kept ones are removed only after. Killed at any point, a run leaves at worst an
unlinked version folder or a link-to-be; the next holder of the lock repairs them before
anything else (repair_outputs): a briefing without a working link is linked to its
newest complete version, a version newer than the linked one (published by nobody) is
removed, a file left half-written under its temporary name goes, and the `.trash-*`
folder of the older publisher is put back when its briefing is missing.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

FAILED_DIR = "_failed"
STAGING_PREFIX = ".staging-"
TRASH_PREFIX = ".trash-"  # the older publisher's backup of a briefing (repaired)
LOCK_FILE = ".lock"
KEPT_VERSIONS = 2  # older versions of a briefing kept beside the published one
DATE_DIR = re.compile(r"^\d{4}-\d{2}-\d{2}$")
VERSION = re.compile(r"^\.(?P<report>[^/]+)\.v(?P<n>\d+)$")  # .<name>.v<n> in a date folder
LINK_TMP = re.compile(r"^\.(?P<report>[^/]+)\.link-\d+$")
FILE_TMP = re.compile(r"^\..+\.\d+\.tmp$")  # .<file>.<pid>.tmp: a file being written (theo-doi.xlsx)

FaultHook = Callable[[str], None]
FAULT_HOOK: FaultHook | None = None
"""Called with the name of each step of publishing (tests: kill the process there)."""


def checkpoint(name: str) -> None:
    """A step of publishing is done (FAULT_HOOK)."""
    if FAULT_HOOK is not None:
        FAULT_HOOK(name)


# --- the lock ----------------------------------------------------------------------------


class Locked(Exception):
    """Another run holds outputs/.lock; `pid` is the process holding it."""

    def __init__(self, pid: str) -> None:
        shown = pid or "?"
        super().__init__(f"đang có một lần chạy khác (pid {shown}); chờ lần đó xong rồi chạy "
                         f"lại. / another run is in progress (pid {shown})")
        self.pid = pid


_held: list[TextIO] = []  # the lock files this process holds (closed in a forked child)


def _forget_locks_in_child() -> None:
    """A forked process does not hold its parent's lock: the lock (flock) belongs to the
    open file, which a child shares until it closes its copy. Were the child to keep it,
    a run killed while its child lives would leave `.lock` taken, naming a dead pid."""
    for handle in _held:
        with suppress(OSError):
            handle.close()
    _held.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_locks_in_child)


@contextmanager
def run_lock(out_root: Path) -> Iterator[None]:
    """Hold `out_root/.lock` for the duration, then repair what a killed run left; raise
    Locked naming the pid of the holder when another process holds it.

    The lock is an flock on the file, so it ends with the process holding it however
    that process ends: a lock whose pid is dead is free and is taken over (the file then
    names this process)."""
    out_root.mkdir(parents=True, exist_ok=True)
    handle = open(out_root / LOCK_FILE, "a+", encoding="ascii")  # noqa: SIM115 - held open
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            raise Locked(handle.read().strip()) from None
        _held.append(handle)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        repair_outputs(out_root)
        yield
    finally:
        if handle in _held:
            _held.remove(handle)
        handle.close()  # releases the lock


# --- repair ------------------------------------------------------------------------------


def repair_outputs(out_root: Path) -> None:
    """Undo what a killed run left (the caller holds the lock: no run is live): staging
    folders and temporary index files go; every briefing gets back a working link (see
    the module's docstring); versions beyond the kept ones go."""
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
    names: set[str] = set()
    for child in day.iterdir():
        if (LINK_TMP.match(child.name) and child.is_symlink()) or (
                FILE_TMP.match(child.name) and child.is_file()):
            child.unlink()
        elif (match := LINK_TMP.match(child.name)) and child.is_dir():
            # an older publisher's folder, swapped out by _replace_folder_by_link
            if os.path.lexists(day / match["report"]):
                shutil.rmtree(child, ignore_errors=True)
            else:
                os.rename(child, day / match["report"])
        elif (match := VERSION.match(child.name)) and child.is_dir() and not child.is_symlink():
            names.add(match["report"])
    for name in names:
        final = day / name
        if final.is_dir() and not final.is_symlink():  # the older publisher's folder stands:
            _prune(day, name, None)  # a version beside it was never linked
            continue
        current = _link_target(final)
        if current is None:
            complete = [v for v in versions(day, name) if (v / "report.html").exists()]
            if complete:
                _point(final, complete[-1])
                current = complete[-1]
        _prune(day, name, current)


def versions(day: Path, name: str) -> list[Path]:
    """The version folders of briefing `name` in the date folder `day`, oldest first."""
    found = []
    for child in day.glob(f".{glob_escape(name)}.v*"):
        match = VERSION.match(child.name)
        if match and match["report"] == name and child.is_dir() and not child.is_symlink():
            found.append((int(match["n"]), child))
    return [path for _n, path in sorted(found)]


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def _prune(day: Path, name: str, current: Path | None) -> None:
    """Keep the published version of `name` and the KEPT_VERSIONS newest older ones;
    remove the others, and any version newer than the published one (a publisher killed
    before it linked it). Without a published version (None) every version goes."""
    found = versions(day, name)
    if current in found:
        at = found.index(current)
        older, newer = found[:at], found[at + 1:]
        found = [*older[:max(len(older) - KEPT_VERSIONS, 0)], *newer]
    for version in found:
        shutil.rmtree(version, ignore_errors=True)


def _link_target(final: Path) -> Path | None:
    """The version folder `final` links to, when the link works."""
    if not final.is_symlink():
        return None
    target = final.parent / os.readlink(final)
    return target if target.is_dir() else None


# --- staging and failures --------------------------------------------------------------


@contextmanager
def staging_folder(out_root: Path, report: str) -> Iterator[Path]:
    """A new folder `out_root/.staging-<report>-*` to build a report in, removed at the
    end unless it was published (publish renames it). Its path is absolute: papermill
    changes this process's working folder while a notebook runs, and the report's other
    outputs are written meanwhile by a thread of the same process."""
    out_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{report}-",
                                    dir=out_root)).absolute()
    try:
        staging.chmod(0o777 & ~_umask())  # published like any folder, not mkdtemp's 0700
        yield staging
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def keep_failed(out_root: Path, report: str, staging: Path) -> Path | None:
    """Move the executed notebook of a failed report to `_failed/<stamp>-<report>.ipynb`
    (None when there is none, or when even that fails: the failure line is what counts)."""
    try:
        return _keep_failed(out_root, report, staging)
    except OSError:
        return None


def _keep_failed(out_root: Path, report: str, staging: Path) -> Path | None:
    executed = staging / "report.ipynb"
    if not executed.exists():
        return None
    failed_dir = out_root / FAILED_DIR
    failed_dir.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    target = failed_dir / f"{stamp}-{report}.ipynb"
    n = 1
    while target.exists():
        n += 1
        target = failed_dir / f"{stamp}-{report}-{n}.ipynb"
    shutil.move(str(executed), target)
    return target


# --- publishing --------------------------------------------------------------------------


def published_path(out_root: Path, as_of: str, name: str) -> Path:
    """Where briefing `name` of `as_of` is published: `out_root/<as-of>/<name>`."""
    return out_root / str(as_of) / name


def publish(staging: Path, final: Path) -> None:
    """Put `staging` at `final`: renamed to a new version folder beside `final`, then
    `final` (a symbolic link) swapped to it in one rename; versions beyond the kept ones
    go only after the swap. On an OSError (a full disk) the previous briefing stays where
    it was, `staging` is put back and the error raised."""
    day = final.parent
    day.mkdir(parents=True, exist_ok=True)
    version = day / f".{final.name}.v{time.time_ns()}"
    os.rename(staging, version)
    checkpoint("publish:version")
    legacy_folder = None
    try:
        if final.is_dir() and not final.is_symlink():  # published before versions existed
            legacy_folder = _replace_folder_by_link(final, version)
        else:
            _point(final, version)
    except BaseException:
        with suppress(OSError):
            legacy = day / f".{final.name}.v0"
            if legacy.is_dir() and not os.path.lexists(final):
                os.rename(legacy, final)  # the older publisher's folder back in its place
            os.rename(version, staging)
        raise
    checkpoint("publish:linked")
    if legacy_folder is not None:
        shutil.rmtree(legacy_folder, ignore_errors=True)
    _prune(day, final.name, version)


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
        checkpoint("publish:exchanged")
        return tmp
    tmp.unlink()
    os.rename(final, legacy)
    checkpoint("publish:legacy")
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


# --- finding a published briefing -------------------------------------------------------


@dataclass(frozen=True)
class Published:
    """A published briefing: its out root, date folder, name and the version folder
    asked for (the linked one unless a version folder was named)."""

    out_root: Path
    day: Path
    name: str
    version: Path

    @property
    def link(self) -> Path:
        return self.day / self.name


class NotPublished(Exception):
    """What was named is not a published briefing; the message says so, Vietnamese first."""


def find_published(spec: str | Path, out_root: Path = Path("outputs")) -> Published:
    """The briefing `spec` names: its link (`outputs/2026-11-27/weekly_briefing`), one of
    its version folders (`outputs/2026-11-27/.weekly_briefing.v<n>`, what the link
    resolves to), or its bare name (`weekly_briefing`: the newest date folder of
    `out_root` holding it). Raises NotPublished."""
    path = Path(spec)
    if len(path.parts) == 1 and not path.exists():
        days = sorted((d for d in out_root.iterdir() if DATE_DIR.match(d.name) and d.is_dir()),
                      reverse=True) if out_root.is_dir() else []
        for day in days:
            if _link_target(day / path.name) is not None or (day / path.name).is_dir():
                path = day / path.name
                break
        else:
            raise NotPublished(f"Không thấy báo cáo {spec} nào trong {out_root}: hãy chạy "
                               f"`wardbrief run` trước. / No briefing {spec} is published "
                               f"under {out_root}: run `wardbrief run` first.")
    path = Path(os.path.abspath(path))
    if path.is_symlink():  # the link: the name is the link's, the version its target
        day, name, version = path.parent, path.name, _link_target(path)
    elif (match := VERSION.match(path.name)) is not None:
        day, name, version = path.parent, match["report"], path
    else:
        day, name, version = path.parent, path.name, path
    if version is None or not version.is_dir() or not DATE_DIR.match(day.name):
        raise NotPublished(f"{spec} không phải một báo cáo đã lập (outputs/<ngày>/<báo cáo>): "
                           f"hãy chạy `wardbrief run` trước. / {spec} is not a published "
                           "briefing (outputs/<as-of>/<report>): run `wardbrief run` first.")
    return Published(day.parent, day, name, version)
