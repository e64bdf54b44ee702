"""The fingerprint of a folder of CSV files: the sha256 of its files' bytes, tab by tab.

Made where it is first asked for (read.sources.base.RawWorkbook.fingerprint), from the
files as saved (a file saved again with other line breaks or quoting gets another print).
It needs hashlib only: `wardbrief metrics` has its worker process make it while the
figures are made (commands.metrics_tasks), without loading pandas there.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

_READ_BYTES = 1 << 20  # one buffer read into again and again (no fresh memory per chunk)


def folder_fingerprint(files: tuple[tuple[str, str], ...]) -> str:
    """`sha256:` of each (tab title, file) in order: the title, then the file's sha256."""
    digest = hashlib.sha256()
    for title, file in files:
        digest.update(json.dumps(["tab", title], ensure_ascii=False).encode())
        digest.update(file_digest(Path(file)))
    return "sha256:" + digest.hexdigest()


def file_digest(file: Path) -> bytes:
    """The sha256 of the file's bytes."""
    digest = hashlib.sha256()
    buffer = bytearray(_READ_BYTES)
    view = memoryview(buffer)
    with file.open("rb", buffering=0) as handle:
        while count := handle.readinto(buffer):
            digest.update(view[:count])
    return digest.digest()
