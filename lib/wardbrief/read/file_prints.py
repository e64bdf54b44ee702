"""The fingerprint of a folder of CSV files: the sha256 of its files' bytes, tab by tab.

Made where it is first asked for (read.sources.base.RawWorkbook.fingerprint), from the
files as saved (a file saved again with other line breaks or quoting gets another print).
Each file's size and modification time as it was read (`stamp`) are checked before and
after it is hashed: a file saved again since it was read would give the print of bytes
the figures were not made from, so that is refused (FileChanged), never printed.
It needs hashlib only: `wardbrief metrics` has its worker process make it while the
figures are made (commands.metrics_tasks), without loading pandas there.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

READ_BYTES = 1 << 20

Stamp = tuple[int, int]  # a file's size and st_mtime_ns
PrintedFile = tuple[str, str, Stamp]  # (tab title, file, its stamp as read)


class FileChanged(Exception):
    """A file of the folder was saved again after it was read (message: Vietnamese,
    then English)."""


def stamp(file: Path) -> Stamp:
    status = file.stat()
    return status.st_size, status.st_mtime_ns


def folder_fingerprint(files: tuple[PrintedFile, ...]) -> str:
    """`sha256:` of each (tab title, file) in order: the title, then the file's sha256;
    FileChanged when a file is not as it was read."""
    digest = hashlib.sha256()
    for title, file, read_as in files:
        path = Path(file)
        digest.update(json.dumps(["tab", title], ensure_ascii=False).encode())
        _unchanged(path, read_as)
        digest.update(file_digest(path))
        _unchanged(path, read_as)
    return "sha256:" + digest.hexdigest()


def _unchanged(path: Path, read_as: Stamp) -> None:
    try:
        now = stamp(path)
    except OSError:
        now = None
    if now != tuple(read_as):
        raise FileChanged(
            f"Tệp {path.name} đã thay đổi (được lưu lại hoặc bị xoá) trong khi đang lập số "
            f"liệu; hãy chạy lại khi tệp đã lưu xong / {path.name} changed (saved again or "
            f"removed) while the figures were being made; run again once it is saved")


def file_blocks(file: Path) -> Iterator[memoryview]:
    """The file's bytes, READ_BYTES at a time, each block read into the same buffer (no
    fresh memory for each: a new chunk is pages the kernel maps and zeroes, and the bytes
    are still in the processor's cache when they are used): a block is valid until the
    next is asked for."""
    buffer = bytearray(READ_BYTES)
    view = memoryview(buffer)
    with file.open("rb", buffering=0) as handle:
        while count := handle.readinto(buffer):
            yield view[:count]


def file_digest(file: Path) -> bytes:
    """The sha256 of the file's bytes."""
    digest = hashlib.sha256()
    for block in file_blocks(file):
        digest.update(block)
    return digest.digest()
