"""What every fork of wardbrief does around it (the run's reading process, the annex,
the workers of `run all`, a long PDF's second half)."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Around a fork: what this process holds is moved out of the cycle collector's reach
    meanwhile (gc.freeze), so that a child's collections do not write into each object
    it shares with this process (copying every page of them: the modules of nbconvert,
    WeasyPrint and pandas are 100 MB); this process's collector has them back after
    (a child forked inside the block keeps them frozen)."""
    here = os.getpid()
    gc.freeze()
    try:
        yield
    finally:
        if os.getpid() == here:
            gc.unfreeze()
