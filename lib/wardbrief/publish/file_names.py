"""The file names of a report's parts: each department's reminder as an ASCII name,
the same on every run (the reminders' PDF and Word files, the mail's attachments, the
index's links)."""

from __future__ import annotations

import re

from wardbrief.read.names import key


def safe_file_name(name: str) -> str:
    """A department code as an ASCII file name: Vietnamese letters lose their marks
    (Đ -> D, Ư -> U, as the names key does), other characters become '_'."""
    bare = "".join(ch for ch in key_letters(name.strip()))
    cleaned = re.sub(r"[^A-Za-z0-9_-]", "_", bare)[:64]
    return cleaned or "_"


def key_letters(text: str) -> str:
    """`text` with each letter replaced by its key (read.names.key), case kept."""
    out = []
    for ch in text:
        k = key(ch)
        if len(k) == 1 and k.isascii():
            out.append(k.upper() if ch.isupper() else k)
        else:
            out.append(ch)
    return "".join(out)


def reminder_file_names(codes: list[str]) -> dict[str, str]:
    """Department code -> file stem of its reminder, distinct for distinct codes: the ASCII
    name (safe_file_name), then `-2`, `-3`… for the later codes of a clash, in the order
    given (DonVi's order: the same names on every run)."""
    stems: dict[str, str] = {}
    taken: set[str] = set()
    for code in dict.fromkeys(codes):
        base = safe_file_name(code)
        stem, n = base, 1
        while stem.lower() in taken:  # case-insensitive file systems too
            n += 1
            stem = f"{base}-{n}"
        taken.add(stem.lower())
        stems[code] = stem
    return stems
