"""`wardbrief-warm`: papermill's nbclient engine on this process's warm kernel
(wardbrief.run.engine.WarmKernel).

papermill loads this module through the entry point `papermill.engine` as it starts
(the module extends papermill.engines, complete by then); elsewhere it is imported
after papermill (engine.use_engine), never before it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from papermill.engines import NBClientEngine, papermill_engines

from wardbrief.run.engine import ENGINE_NAME


class WarmKernelEngine(NBClientEngine):
    """papermill's nbclient engine on this process's warm kernel (WarmKernel), in the
    working directory papermill set (`cwd`). A notebook that fails leaves no kernel
    behind for the next."""

    @classmethod
    def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, *,
                                 on_running: Callable[[], None] | None = None,
                                 **kwargs: Any) -> Any:
        """`on_running()` (an engine argument of papermill.execute_notebook) is called
        once the kernel is ready and the cells are about to run."""
        from wardbrief.run.engine import WarmKernel

        kernel = WarmKernel.current()
        km = kernel.ready_for(Path.cwd())
        if on_running is not None:
            on_running()
        try:
            nb = super().execute_managed_notebook(nb_man, kernel_name, km=km, **kwargs)
        except BaseException:
            kernel.discard()
            raise
        kernel.release_client()
        if nb_man.nb.metadata.get("papermill", {}).get("exception"):
            kernel.discard()  # a cell failed: what it left is not trusted with the next
        return nb


papermill_engines.register(ENGINE_NAME, WarmKernelEngine)
