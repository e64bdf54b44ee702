"""What every fork of wardbrief does around it (the run's reading process, the annex,
the workers of `run all`, a long PDF's second half), and how many cores it has."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager

from wardbrief.processes import usable_cores  # noqa: F401 - the one count of the cores

_frozen_for_good = False  # in this process or the one it was forked from


def freeze_for_good() -> None:
    """What this process holds now (the modules of nbconvert, WeasyPrint, papermill,
    compiled templates: it lives as long as the process) is moved out of the cycle
    collector's reach for the rest of the process, and of the processes it forks; the
    garbage among it is collected first: each full collection of a `run all` would walk
    those 100 MB again; it walks what the reports make. A no-op the second time."""
    global _frozen_for_good
    if _frozen_for_good:
        return
    gc.collect()
    gc.freeze()
    _frozen_for_good = True


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Around a fork: what this process holds is moved out of the cycle collector's reach
    meanwhile (gc.freeze), so that a child's collections do not write into each object
    it shares with this process (copying every page of them: the modules of nbconvert,
    WeasyPrint and pandas are 100 MB); this process's collector has them back after
    (a child forked inside the block keeps them frozen). After freeze_for_good, what it
    froze stays so and nothing more is done."""
    if _frozen_for_good:
        yield
        return
    here = os.getpid()
    gc.freeze()
    try:
        yield
    finally:
        if os.getpid() == here:
            gc.unfreeze()
