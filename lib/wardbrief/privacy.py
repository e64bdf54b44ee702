"""Citizens' personal data never reaches a leadership briefing unmasked.

- `mask_name("Nguyễn Văn An") -> "N.V.A."`
- `mask_phone("0385.185.676") -> "*******676"`
- `mask_text(text, names)`: phone-like digit runs and the given names inside
  free text are masked; the result is shortened to `limit` characters.
Masking is on the text only; HTML escaping is the renderer's job (citizen text is
untrusted everywhere).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import pandas as pd

PHONE_MASK = "[số điện thoại]"
SUMMARY_LIMIT = 160
# 8 or more digits, optionally with +, spaces, dots, dashes or brackets between them.
_PHONE = re.compile(r"(?<![\w])\+?\(?\d(?:[\s().\-]{0,2}\d){7,}(?!\w)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def mask_name(name: object) -> str | None:
    if name is None or (isinstance(name, float) and pd.isna(name)):
        return None
    words = _nfc(str(name)).split()
    return "".join(w[0].upper() + "." for w in words if w) or None


def mask_phone(phone: object) -> str | None:
    if phone is None or (isinstance(phone, float) and pd.isna(phone)):
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
              limit: int = SUMMARY_LIMIT) -> str | None:
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None
    out = _CONTROL.sub(" ", _nfc(str(text)))
    out = _PHONE.sub(PHONE_MASK, out)
    if names is not None:
        out = names.sub(lambda m: mask_name(m.group(0)) or "", out)
    out = " ".join(out.split())
    return shorten(out, limit)
