"""Contract section 1: how hand-typed names are compared.

key(): NFD, drop combining marks, Đ/đ -> D/d, lower-case, every run of
non-alphanumeric characters -> one space, strip. Tab titles compare on the key
with spaces removed.
"""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)


def key(value: object) -> str:
    if value is None:
        return ""
    text = unicodedata.normalize("NFD", str(value))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("Đ", "D").replace("đ", "d").lower()
    return _NON_ALNUM.sub(" ", text).strip()


def tab_key(value: object) -> str:
    return key(value).replace(" ", "")
