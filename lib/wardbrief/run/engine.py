"""The kernel of the reports' papermill engine (`wardbrief-warm`, in
wardbrief.run.papermill_engine): one kept warm per process, and `execute`.

A kernel costs a second of imports (IPython, pandas, the briefings' templates and
charts); a process building several reports pays it once. papermill chooses the engine
by name (`papermill.execute_notebook(..., engine_name=ENGINE_NAME)`); it is registered
through papermill's registry, by the entry point `papermill.engine` of the package
(pyproject.toml) or, in a checkout not installed again since, by use_engine().

Before each notebook the kernel's working directory is set to the report's folder,
every name the previous notebook made is cleared (`%reset -f`: the imported modules
stay) and its execution count put back to 1, so the executed notebook reads as if its
kernel were new. A notebook that fails (or a report that fails after it) shuts the
kernel down: the next report gets a new one.

The kernel's environment is allow-listed (kernel_environment): no credential, no
e-mail or service-account setting reaches a notebook. It is a child of the process
that launched it (jupyter_client passes JPY_PARENT_PID: the kernel ends when its parent
does) and registered with wardbrief.processes, which ends it on SIGTERM and Ctrl-C; its
connection file and sockets live in one folder, removed with the kernel, and swept by
the next run when a killed run left it (sweep_kernel_folders).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any, ClassVar

from wardbrief import processes

ENGINE_NAME = "wardbrief-warm"
KERNEL_NAME = "python3"
CELL_TIMEOUT_S = 600  # one notebook cell
KERNEL_FOLDER_PREFIX = "wardbrief-kernel-"  # + the pid of the process that owns it
KERNEL_FOLDER = re.compile(rf"^{KERNEL_FOLDER_PREFIX}(?P<pid>\d+)-")

WARM_UP = ("import pandas, wardbrief.briefings.briefing, wardbrief.briefings.report, "
           "wardbrief.briefings.charts; wardbrief.briefings.charts.warm_up()")
"""Run by a kernel as it starts (IPKernelApp.exec_lines), while the workbook is read:
what every report notebook loads. Its names are cleared before the first notebook."""

# What a notebook's kernel may see of this process's environment: the names below, and
# those beginning with one of the prefixes, except any name that holds a secret's word.
KERNEL_ENV_NAMES = frozenset({
    "PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "PYTHONPATH",
    "VIRTUAL_ENV", "MPLCONFIGDIR", "TMPDIR", "TEMP", "TMP", "SYSTEMROOT",
    "WARDBRIEF_SPREADSHEET", "WARDBRIEF_SNAPSHOT_DIR", "WARDBRIEF_SHEETS_API",
    "WARDBRIEF_SHEETS_TIMEOUT",
})
KERNEL_ENV_PREFIXES = ("LC_", "JUPYTER_", "XDG_")
SECRET_WORDS = ("PASSWORD", "SECRET", "TOKEN", "KEY", "CREDENTIAL", "SMTP", "SERVICE_ACCOUNT")


def kernel_environment(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The environment a kernel is launched with: the allow-listed part of `environ`
    (this process's by default), never a variable whose name holds a secret's word
    (WARDBRIEF_SMTP_PASSWORD, WARDBRIEF_SERVICE_ACCOUNT, GOOGLE_APPLICATION_CREDENTIALS,
    any *TOKEN*, *KEY*...)."""
    environ = dict(os.environ if environ is None else environ)
    kept = {name: value for name, value in environ.items()
            if (name in KERNEL_ENV_NAMES or name.startswith(KERNEL_ENV_PREFIXES))
            and not any(word in name.upper() for word in SECRET_WORDS)}
    kept.setdefault("JUPYTER_PREFER_ENV_PATH", "1")  # this interpreter's python3 kernel
    return kept


class WarmKernel:
    """This process's kernel, launched ahead (warm_up) and kept for the next report."""

    _current: ClassVar[WarmKernel | None] = None
    _owner: ClassVar[int] = 0  # the pid that made _current

    def __init__(self) -> None:
        self.km: Any = None
        self.kc: Any = None  # the client that prepared the kernel for the current notebook
        self.folder: str | None = None  # connection file and sockets
        self.pid: int | None = None

    @classmethod
    def current(cls) -> WarmKernel:
        if cls._current is None or cls._owner != os.getpid():
            cls._current, cls._owner = WarmKernel(), os.getpid()
        return cls._current

    @classmethod
    def warm_up(cls) -> None:
        """Launch this process's kernel now (it boots while the caller goes on); a
        kernel that cannot be launched is left to the first notebook, which then fails
        with the reason."""
        kernel = cls.current()
        try:
            kernel.start()
        except Exception:  # noqa: BLE001 - raised again by ready_for, inside a report
            kernel.discard()

    @classmethod
    def discard_current(cls) -> None:
        """Shut this process's kernel down (a report failed, or the work is over)."""
        if cls._current is not None and cls._owner == os.getpid():
            cls._current.discard()

    def start(self) -> None:
        if self.km is not None:
            return
        from jupyter_core.utils import run_sync
        from traitlets.config import Config

        processes.at_exit(WarmKernel.discard_current)
        self.folder = tempfile.mkdtemp(prefix=f"{KERNEL_FOLDER_PREFIX}{os.getpid()}-")
        config = Config({"KernelManager": {"transport": "ipc", "ip": f"{self.folder}/k"}})
        km = _QuietKernelManager(kernel_name=KERNEL_NAME, config=config,
                                 connection_file=f"{self.folder}/kernel.json")
        self.km = km
        run_sync(km.start_kernel)(
            extra_arguments=["--HistoryManager.hist_file=:memory:",
                             f"--IPKernelApp.exec_lines={WARM_UP}"],
            cwd=self.folder, env=kernel_environment())
        self.pid = getattr(km.provisioner, "pid", None)
        if self.pid:
            processes.register_child(self.pid)

    def ready_for(self, folder: Path) -> Any:
        """The kernel manager, its kernel cleared and working in `folder`; the client
        nbclient asks it for is the one that prepared it, connected already."""
        from jupyter_core.utils import run_sync

        self.start()
        try:
            run_sync(self._prepare)(folder)
        except BaseException:
            self.discard()
            raise
        return self.km

    async def _prepare(self, folder: Path) -> None:
        self.km.ready_client = None
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        self.kc = await _connected_client(self.km)
        # the working directory first: %reset asks for the current one, which a failed
        # report's deleted folder would not give
        code = (f"__import__('os').chdir({str(folder.resolve())!r})\n"
                "get_ipython().run_line_magic('reset', '-f')\n"
                "get_ipython().execution_count = 1\n")
        reply = await self.kc.execute_interactive(code, silent=True, store_history=False,
                                                  timeout=60, output_hook=lambda _m: None)
        if reply["content"].get("status") != "ok":
            raise RuntimeError(f"the kernel could not be prepared: "
                               f"{reply['content'].get('ename')}")
        self.km.ready_client = self.kc

    def release_client(self) -> None:
        """Stop the client of the notebook that ran: its sockets and their context are
        closed before the report is rendered."""
        kc, self.kc = self.kc, None
        if self.km is not None:
            self.km.ready_client = None
        if kc is not None:
            kc.stop_channels()

    def discard(self) -> None:
        """Shut the kernel down at once and remove its folder."""
        km, self.km = self.km, None
        kc, self.kc = self.kc, None
        pid, self.pid = self.pid, None
        if kc is not None:
            with suppress(Exception):
                kc.stop_channels()
        if pid:  # ended here first: the manager's own kill then finds it gone, and does
            # not wait out its polling interval
            processes.end_processes([pid], within=1.0)
            processes.unregister_child(pid)
        if km is not None:
            from jupyter_core.utils import run_sync

            with suppress(Exception):
                run_sync(km.shutdown_kernel)(now=True)
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


def sweep_kernel_folders(base: str | None = None) -> int:
    """Remove the kernel folders of processes that are gone (a run killed with
    SIGKILL); how many were removed."""
    base = base or tempfile.gettempdir()
    removed = 0
    with suppress(OSError):
        for entry in os.scandir(base):
            match = KERNEL_FOLDER.match(entry.name)
            if match and entry.is_dir(follow_symlinks=False) and not processes.running(int(match["pid"])):
                shutil.rmtree(entry.path, ignore_errors=True)
                removed += 1
    return removed


async def _connected_client(km: Any, timeout: float = 60) -> Any:
    """A client of `km`'s running kernel whose IOPub channel receives: what
    `wait_for_ready` makes sure of, without its 0.2 s wait when the kernel's first
    status message goes out before the subscription is in place."""
    from queue import Empty

    client = km.client()
    client.start_channels()
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


def _quiet_manager_class() -> type:
    from jupyter_client.asynchronous import AsyncKernelClient
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class ClientWithoutHeartbeat(AsyncKernelClient):
        """A client that starts no heartbeat thread: its manager tells whether the
        kernel (our child process) lives. The thread would outlive a stop: when SIGTERM or
        Ctrl-C ends the kernel, it opens its socket again on a context being closed and
        prints a traceback after the run's one line."""

        def start_channels(self, shell: bool = True, iopub: bool = True, stdin: bool = True,
                           hb: bool = True, control: bool = True) -> None:
            super().start_channels(shell=shell, iopub=iopub, stdin=stdin, hb=False,
                                   control=control)

    class QuietKernelManager(AsyncKernelManager):
        """A kernel manager whose kernel writes nothing to our terminal (what the cells
        print is in the executed notebook) and whose next `client()` is the connected
        one WarmKernel._prepare left."""

        ready_client: Any = None

        @default("client_factory")
        def _client_without_heartbeat(self) -> type:
            return ClientWithoutHeartbeat

        async def start_kernel(self, **kw: Any) -> None:
            kw.setdefault("stdout", processes.NOWHERE)
            kw.setdefault("stderr", processes.NOWHERE)
            await super().start_kernel(**kw)

        def client(self, **kw: Any) -> Any:
            given, self.ready_client = self.ready_client, None
            return given if given is not None and not kw else super().client(**kw)

    return QuietKernelManager


_QuietKernelManager = _quiet_manager_class()


def use_engine() -> None:
    """Make sure papermill knows the engine: installed, the package's entry point loads
    it as papermill starts; in a checkout not installed again since, it is registered
    here (papermill imported first: the engine's module extends papermill's)."""
    import papermill  # noqa: F401 - its start loads the entry points
    from papermill.engines import papermill_engines

    if ENGINE_NAME not in papermill_engines._engines:
        import wardbrief.run.papermill_engine  # noqa: F401 - registers itself


def execute(notebook: Path, output: Path, parameters: dict[str, Any], *,
            on_running: Callable[[], None] | None = None) -> Any:
    """Run `notebook` with papermill into `output` on the warm kernel, working
    directory = output's folder; saved as it ends, however it ends (a hung cell's
    notebook is kept up to that cell), and while it runs every 30 s at most.
    `on_running()` once the kernel is ready and the cells are about to run (this process
    then only waits on the kernel). Raises PapermillExecutionError when a cell fails."""
    import papermill

    use_engine()
    return papermill.execute_notebook(
        str(notebook), str(output), parameters=parameters, engine_name=ENGINE_NAME,
        kernel_name=KERNEL_NAME, cwd=str(output.parent), progress_bar=False,
        log_output=False, execution_timeout=CELL_TIMEOUT_S, on_running=on_running)
