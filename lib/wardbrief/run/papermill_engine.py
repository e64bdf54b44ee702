"""`wardbrief-warm`: papermill's nbclient engine on this process's warm kernel
(wardbrief.run.engine.WarmKernel).

papermill loads this module through the entry point `papermill.engine` as it starts
(the module extends papermill.engines, complete by then); elsewhere it is imported
after papermill (engine.use_engine), never before it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

from wardbrief.run.engine import ENGINE_NAME


class ScheduledSaves(NotebookExecutionManager):
    """papermill's execution manager, saving the running notebook at a cell's start or
    end only when `autosave_cell_every` seconds have passed since the last save
    (papermill saves it at both, every cell): a report is published whole or not at
    all, so the copies between are read by no one, and each is a JSON encoding and a
    validation of the whole notebook. The end of the run is always saved, whatever
    ended it: a notebook stopped in a hung cell is kept up to that cell."""

    _cell_step = False

    @contextmanager
    def _at_a_cell(self) -> Iterator[None]:
        self._cell_step = True
        try:
            yield
        finally:
            self._cell_step = False

    def cell_start(self, cell: Any, cell_index: int | None = None, **kwargs: Any) -> None:
        with self._at_a_cell():
            super().cell_start(cell, cell_index, **kwargs)

    def cell_complete(self, cell: Any, cell_index: int | None = None, **kwargs: Any) -> None:
        with self._at_a_cell():
            super().cell_complete(cell, cell_index, **kwargs)

    def save(self, **kwargs: Any) -> None:
        if self._cell_step and self.autosave_cell_every and \
                (self.now() - self.last_save_time).total_seconds() < self.autosave_cell_every:
            return
        super().save(**kwargs)


class WarmKernelEngine(NBClientEngine):
    """papermill's nbclient engine on this process's warm kernel (WarmKernel), in the
    working directory papermill set (`cwd`), the notebook saved on a schedule
    (ScheduledSaves). A notebook that fails leaves no kernel behind for the next."""

    @classmethod
    def execute_notebook(cls, nb: Any, kernel_name: str, output_path: str | None = None,
                         progress_bar: bool = True, log_output: bool = False,
                         autosave_cell_every: int = 30, **kwargs: Any) -> Any:
        """papermill's Engine.execute_notebook with ScheduledSaves as the manager."""
        nb_man = ScheduledSaves(nb, output_path=output_path, progress_bar=progress_bar,
                                log_output=log_output, autosave_cell_every=autosave_cell_every)
        nb_man.notebook_start()
        try:
            cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
        finally:
            nb_man.cleanup_pbar()
            nb_man.notebook_complete()
        return nb_man.nb

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
