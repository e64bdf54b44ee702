"""Citizens' personal data never reaches a leadership briefing unmasked.

- `mask_name("Nguyễn Văn An") -> "N.V.A."`
- `mask_phone("0385.185.676") -> "*******676"`
- `mask_text(text, names)`: phone-like digit runs and the given names inside
  free text are masked; the result is shortened to `limit` characters.
Masking is on the text only; HTML escaping is the renderer's job (citizen text is
untrusted everywhere).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the briefings import this module; pandas is not needed to mask text
    import pandas as pd

PHONE_MASK = "[số điện thoại]"
SUMMARY_LIMIT = 160
# A run of digits with +, spaces, dots, dashes or brackets between them; it is a phone
# number when it holds 8 digits or more and no gap of more than 2 separators.
# (A plain character class first keeps the scan fast; word boundaries are checked after.)
_PHONE_CANDIDATE = re.compile(r"[+(\d][\d\s().\-]{7,}\d")
_GAP = re.compile(r"[^\d]{3,}")
_SPACES = re.compile(r"[\s\x00-\x1f\x7f]+")


def _mask_phone_run(match: re.Match) -> str:
    """Mask each piece of the run (split at gaps of 3+ separators) holding 8+ digits."""
    run, text = match.group(0), match.string
    start, end = match.start(), match.end()
    glued = (start > 0 and text[start - 1].isalnum()) or (end < len(text)
                                                         and text[end].isalnum())
    if glued and not run.startswith(("0", "+")):
        return run  # part of a longer code (PA20261234567), not a phone number
    prefix = ""
    if run.startswith("(") and ")" not in run:
        prefix, run = "(", run[1:]  # an opening bracket before the number stays
    out, last = [prefix], 0
    for gap in _GAP.finditer(run):
        piece = run[last:gap.start()]
        out.append(PHONE_MASK if sum(ch.isdigit() for ch in piece) >= 8 else piece)
        out.append(gap.group(0))
        last = gap.end()
    piece = run[last:]
    out.append(PHONE_MASK if sum(ch.isdigit() for ch in piece) >= 8 else piece)
    return "".join(out)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=65536)
def _initials(name: str) -> str | None:
    words = _nfc(name).split()
    return "".join(w[0].upper() + "." for w in words if w) or None


def mask_name(name: object) -> str | None:
    if name is None or (isinstance(name, float) and math.isnan(name)):
        return None
    return _initials(str(name))



def mask_phone(phone: object) -> str | None:
    if phone is None or (isinstance(phone, float) and math.isnan(phone)):
        return None
    digits = re.sub(r"\D", "", str(phone))
    if not digits:
        return None
    return "*" * max(len(digits) - 3, 0) + digits[-3:]


def shorten(text: str, limit: int = SUMMARY_LIMIT) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-") + "…"


def name_pattern(names: Iterable[object]) -> re.Pattern | None:
    """One regex matching any of the names (NFC, case-insensitive), longest first."""
    cleaned = sorted({_nfc(str(n)).strip() for n in names if isinstance(n, str) and n.strip()},
                     key=len, reverse=True)
    cleaned = [n for n in cleaned if len(n) >= 4]
    if not cleaned:
        return None
    return re.compile("|".join(re.escape(n) for n in cleaned), re.IGNORECASE)


def mask_text(text: object, names: re.Pattern | None = None,
              limit: int | None = SUMMARY_LIMIT) -> str | None:
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    out = _nfc(str(text))
    if not out.isprintable() or "  " in out:
        out = _SPACES.sub(" ", out)
    out = out.strip()
    out = _PHONE_CANDIDATE.sub(_mask_phone_run, out)
    if names is not None:
        out = names.sub(lambda m: mask_name(m.group(0)) or "", out)
    return out if limit is None else shorten(out, limit)


def mask_summaries(summaries: pd.Series, reporters: pd.Series,
                   names: re.Pattern | None = None, limit: int = SUMMARY_LIMIT
                   ) -> list[str | None]:
    """mask_text over a column: phone numbers and the given names are masked once per
    distinct text, then each case's own reporter name by plain substring."""
    texts = summaries.tolist()
    masked_once = {t: mask_text(t, names, limit=None) for t in set(texts) if isinstance(t, str)}
    out: list[str | None] = []
    for text, own in zip(texts, reporters.tolist()):
        masked = masked_once.get(text) if isinstance(text, str) else None
        if masked is not None and isinstance(own, str) and len(own.strip()) >= 2:
            masked = masked.replace(_nfc(own.strip()), mask_name(own) or "")
        out.append(None if masked is None else shorten(masked, limit))
    return out
