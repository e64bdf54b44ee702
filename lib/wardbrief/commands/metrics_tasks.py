"""What `wardbrief metrics` hands its worker process (wardbrief.processes.Tasks): a CSV
folder's fingerprint, then the citizens' cells of the case lists (commands.metrics). Its
imports are light (hashlib, the masking): the worker starts without loading pandas."""

from __future__ import annotations

from typing import Any

from wardbrief.read.file_prints import folder_fingerprint
from wardbrief.read.privacy import mask_task

FINGERPRINT, MASK = "fingerprint", "mask"


def work(task: tuple[str, Any]) -> Any:
    """(FINGERPRINT, RawWorkbook.files) -> the fingerprint; (MASK, privacy.mask_task's
    task) -> its masked cells."""
    kind, what = task
    if kind == FINGERPRINT:
        return folder_fingerprint(what)
    return mask_task(what)
