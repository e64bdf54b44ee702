"""Contract section 1: how hand-typed names are compared.

key(): NFD, drop combining marks, Đ/đ -> D/d, lower-case, every run of
non-alphanumeric characters -> one space, strip. Tab titles compare on the key
with spaces removed.
"""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)


def strip_marks(text: str) -> str:
    """Vietnamese without diacritics, case kept (`Phòng Văn hóa` -> `Phong Van hoa`)."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.replace("Đ", "D").replace("đ", "d")


def key(value: object) -> str:
    if value is None:
        return ""
    return _NON_ALNUM.sub(" ", strip_marks(str(value)).lower()).strip()


def tab_key(value: object) -> str:
    return key(value).replace(" ", "")
