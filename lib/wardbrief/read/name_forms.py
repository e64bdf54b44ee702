"""How people write a name the sheet does not know it holds, and its masking to initials.

A name is recognised after a title (ông, bà, anh, chị, cụ, em, cô, chú, bác, cháu), in one
run of words, each after white space only, and after a label (`công dân`, `hộ`, `gia
đình`, `Họ tên:`, `tên là`, ...) when its first word is a surname:

- the name's capitalised words: `nhà ông Ngô Văn Sáu` -> `nhà ông N.V.S.`; also after the
  title typed without its marks (`chi Lan`, `ong Tran Van Binh`; not `ba`, which is also
  "three": ngã ba Lê Lợi) and after `Ô.` (ông, abbreviated: `Ô. Trần Văn Tư`);
- a name typed in small letters: a surname, then the given name, or a middle name and
  the given name (`bà nguyễn thị hoa`, `ong tran van binh`, `anh vũ nam`). A surname
  that is also a common word right after a title (`bà phản ánh` is not Phan; đỗ, hồ, hà,
  lý, lâm: `anh đỗ xe`), or that is typed without its marks, counts only before a middle
  name (văn, thị, đức, ...).

After a word naming a place, a title is part of the place's name (phố Bà Triệu, chợ Ông
Tạ, cầu Ông Lãnh) and stays. A name without a title is not guessed at: streets are named
after people (đường Nguyễn Văn Linh, Bùi Thị Từ Nhiên); the names the sheet holds (every
reporter's) are masked wherever they are typed, by privacy.NameMatcher.

Linear in the text: one pass over its words, each looked at a bounded number of times.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from wardbrief.read.names import key, strip_marks

TITLES = frozenset({"ông", "bà", "anh", "chị", "cụ", "em", "cô", "chú", "bác", "cháu"})
# The titles typed without marks, but `ba`: also "three" (ngã ba, ba tầng).
BARE_TITLES = frozenset(strip_marks(t) for t in TITLES) - TITLES - {"ba"}
ABBREVIATED_TITLES = frozenset({"ô"})  # followed by a full stop: Ô. Trần Văn Tư
# After these, a title is part of a place's name: phố Bà Triệu, chợ Ông Tạ, cầu Ông Lãnh.
PLACE_WORDS = frozenset({"phố", "đường", "ngõ", "ngách", "hẻm", "kiệt", "phường", "xã",
                         "quận", "huyện", "tỉnh", "thôn", "xóm", "chợ", "cầu", "chùa", "đền",
                         "miếu", "đình", "trường", "bến", "sông", "hồ", "núi", "đảo"})
FORM_WORDS = 5  # the capitalised words of a name after a title, at most
# Vietnamese surnames, as written (small letters) ...
SURNAMES = frozenset({
    "nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ", "đặng", "bùi",
    "ngô", "dương", "đào", "đoàn", "vương", "trịnh", "trương", "phùng", "lưu", "đinh",
    "quách", "lương", "kiều", "triệu", "khúc", "mạc", "nghiêm", "giáp", "tăng", "lã"})
# ... and those that are also common words right after a title (a middle name must follow)
COMMON_WORD_SURNAMES = frozenset({"đỗ", "hồ", "hà", "lý", "lâm", "tô", "mai", "cao", "tạ",
                                  "thái", "châu", "chu", "đàm", "la", "từ", "đồng"})
# Middle names, without marks: văn and thị above all.
MIDDLE_NAMES = frozenset({"van", "thi", "duc", "huu", "ngoc", "xuan", "thanh", "minh",
                          "quang", "quoc", "cong", "dinh", "ba", "trong", "tien", "manh",
                          "duy", "gia", "khanh", "phuong", "thu", "thuy", "dieu", "bao",
                          "hoai", "nhu", "kim", "tuan", "hong", "bich", "thai"})
_SURNAME_KEYS = frozenset(key(s) for s in SURNAMES | COMMON_WORD_SURNAMES)
# Labels a name follows as a title does: `công dân Nguyễn Văn A`, `hộ Trần Văn B`,
# `Họ tên: Lê Thị C` (written with their marks, or all without).
LABELS = frozenset({("công", "dân"), ("người", "dân"), ("gia", "đình"), ("hộ",),
                    ("họ", "tên"), ("họ", "và", "tên"), ("người", "phản", "ánh"),
                    ("người", "gửi"), ("người", "kiến", "nghị"), ("người", "khiếu", "nại"),
                    ("tên",), ("tên", "là")})
_LABELS_BARE = frozenset(tuple(strip_marks(w) for w in label) for label in LABELS)
_LABEL_ENDS = frozenset(label[-1] for label in LABELS | _LABELS_BARE)

_WORD = re.compile(r"[^\W_]+")


def _any_of(words: Iterable[str]) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


# A text without one of these holds no name to look for: a title then white space, `Ô.`,
# or a label then a surname (a label's words are common: hộ kinh doanh, người dân).
_TITLE_HINT = re.compile(
    r"(?<![^\W_])(?:(?:" + _any_of(TITLES | BARE_TITLES) + r")\s|(?:"
    + _any_of(ABBREVIATED_TITLES) + r")\.|(?:"
    + "|".join(r"\s+".join(map(re.escape, label)) for label in LABELS | _LABELS_BARE)
    + r")[\s.:\-]{1,3}(?:" + _any_of(SURNAMES | COMMON_WORD_SURNAMES | _SURNAME_KEYS)
    + r")(?![^\W_]))", re.IGNORECASE)


@lru_cache(maxsize=262144)
def exact(word: str) -> str:
    """A word as written, case aside (NFC, case-folded)."""
    return unicodedata.normalize("NFC", word).casefold()


@lru_cache(maxsize=65536)
def initials(name: str) -> str | None:
    """`Nguyễn Văn An` -> `N.V.A.`"""
    words = _WORD.findall(unicodedata.normalize("NFC", name))
    return "".join(w[0].upper() + "." for w in words if w) or None


def mask_forms(text: str, kept: frozenset[str] = frozenset()) -> str:
    """`text` with each name written after a title replaced by its initials, but the
    names whose key is in `kept` (the heads of departments)."""
    if not _TITLE_HINT.search(text):
        return text
    words = list(_WORD.finditer(text))
    out: list[str] = []
    last, i = 0, 0
    while i < len(words):
        end = _name_end(text, words, i)
        if end == i + 1:
            i += 1
            continue
        start, stop = words[i + 1].start(), words[end - 1].end()
        name = text[start:stop]
        if key(name) not in kept:
            out += [text[last:start], initials(name) or ""]
            last = stop
        i = end
    out.append(text[last:])
    return "".join(out)


def _gap(text: str, words: list[re.Match[str]], j: int) -> str:
    """What stands between words[j - 1] and words[j]."""
    return text[words[j - 1].end():words[j].start()]


def _name_end(text: str, words: list[re.Match[str]], i: int) -> int:
    """The word after the name that words[i] introduces, as a title or as the last word
    of a label (i + 1: none)."""
    title = exact(words[i].group())
    if i + 1 == len(words):
        return i + 1
    gap = _gap(text, words, i + 1).strip()
    if title in ABBREVIATED_TITLES:
        if gap != ".":
            return i + 1
    elif title in TITLES or title in BARE_TITLES:
        if i and exact(words[i - 1].group()) in PLACE_WORDS and not _gap(
                text, words, i).strip():
            return i + 1
        if gap:
            return i + 1  # a name is in one run of words ("Gặp bà. Ngày mai")
    elif not (title in _LABEL_ENDS and gap in ("", ":", "-") and _label_at(words, i)
              and _is_surname(words[i + 1].group())):
        return i + 1  # after a label, a name starts with a surname (người dân Tổ 5)
    first = words[i + 1].group()
    if first[0].isupper():
        return _capitalised_end(text, words, i + 1, i + 1 + FORM_WORDS)
    return _small_letters_end(text, words, i + 1)


def _is_surname(word: str) -> bool:
    """A surname as written (Tổ is not Tô), or typed without marks."""
    typed = exact(word)
    bare = key(typed)
    return typed in SURNAMES or typed in COMMON_WORD_SURNAMES or (
        typed == bare and bare in _SURNAME_KEYS)


def _label_at(words: list[re.Match[str]], i: int) -> bool:
    """Whether words[i] ends a label (a title's place is taken by these words)."""
    for size in (1, 2, 3):
        if size <= i + 1:
            typed = tuple(exact(w.group()) for w in words[i + 1 - size:i + 1])
            if typed in LABELS or typed in _LABELS_BARE:
                return True
    return False


def _capitalised_end(text: str, words: list[re.Match[str]], j: int, most: int) -> int:
    start = j
    while j < len(words) and j < most:
        word = words[j]
        if not word.group()[0].isupper() or (j > start and _gap(text, words, j).strip()):
            break
        if len(word.group()) == 1 and text[word.end():word.end() + 1] == ".":
            break  # an initial: masked already
        j += 1
    return j


def _small_letters_end(text: str, words: list[re.Match[str]], j: int) -> int:
    """After the surname words[j]: the end of `surname [middle] given` (j: no name)."""
    surname = exact(words[j].group())
    following = [k for k in (j + 1, j + 2) if k < len(words) and words[k].group().isalpha()
                 and not _gap(text, words, k).strip()]
    if not following or following[0] != j + 1:
        return j
    middle = key(words[j + 1].group()) in MIDDLE_NAMES
    # a surname with its marks is one (phản is not Phan); any other needs a middle name
    certain = surname in SURNAMES and surname != key(surname)
    if not certain and not (middle and _is_surname(surname)):
        return j
    if middle and len(following) == 2:
        return j + 3
    return j + 2
