"""Citizens' personal data never reaches a leadership briefing unmasked.

Which cells hold it, and who sees what, is declared here once (PERSONAL_CELLS and the
rule under it): every output is made from metrics.json, and figures.metrics takes each of
these cells through the workbook's one PersonalData as it puts the cell into the metrics;
a data issue quotes its cell through mask_text (read.tables.quoted).

- `mask_name("Nguyễn Văn An") -> "N.V.A."`
- `mask_phone("0385.185.676") -> "*******676"`
- `mask_text(text, names)`: phone numbers, e-mail addresses and the names known to
  `names` (a NameMatcher) inside free text are masked; the result is shortened to
  `limit` characters.

Every pattern here sees citizen text and runs in linear time: each regex either needs a
digit / an '@' per step of its repetition (no two ways to match one character) or has
bounded repetitions, and text is cut to a few times `limit` before it is masked.

Names are matched on their key (read.names.key: no diacritics, any case, any
punctuation between the words), so `Bùi Thế Dũng` is masked in `BUI THE DUNG`,
`bùi-thế-dũng` and `Bui The Dung`: the text is split into words once and each run of up
to MAX_NAME_WORDS words is looked up in a set of name keys (one hash per word and
length, whatever the number of reporters). A one-word name is masked only where it is
spelled exactly (case aside), since without its diacritics it is often a common word.

Besides the names the sheet knows, a name is recognised by the way people write one
after a title (read.name_forms): `nhà ông Ngô Văn Sáu` -> `nhà ông N.V.S.`, `bà nguyễn
thị hoa` -> `bà N.T.H.`, but `phố Bà Triệu`. The heads of departments (DonVi `Thủ
trưởng`) are not citizens: their names stay.

Masking is on the text only; HTML escaping is the renderer's job (citizen text is
untrusted everywhere).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import compress
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the briefings import this module; pandas is not needed to mask text
    import pandas as pd

from wardbrief.read.name_forms import TITLES, exact, initials, mask_forms
from wardbrief.read.names import key, strip_marks

# --- which cells hold citizens' data, and who sees them ------------------------------------

NAME, PHONE, TEXT = "name", "phone", "text"
# Contract tab -> field -> what the cell holds: a citizen's name, their phone, or free text
# staff type (where names, phones and e-mail addresses turn up: "Bà X (0912…) phản ánh",
# "nhà ông X", a name typed into `Lĩnh vực`). Any other cell a data issue quotes (a name
# typed into a date cell) is free text too.
PERSONAL_CELLS: dict[str, dict[str, str]] = {
    "PhanAnh": {"reporter": NAME, "phone": PHONE, "summary": TEXT, "area": TEXT,
                "category": TEXT, "status": TEXT, "channel": TEXT, "rating": TEXT},
    "NhiemVu": {"content": TEXT, "group": TEXT, "basis": TEXT, "status": TEXT},
    "TruyenThong": {"title": TEXT},
    "NgayNghi": {"note": TEXT},
}
# Who sees what: names as initials, phones and e-mail addresses replaced, in every
# output: metrics.json and the CSV files, every report (HTML, PDF, Word, the
# annex), the reminders, theo-doi.xlsx and the tabs written to the sheet, every e-mail.
# The office's data-quality list and `check` quote the cell they are about (the office's
# own sheet, read.tables.quoted): masked the same way, whole up to its VALUE_LIMIT, the
# cell's address saying where it is.

PHONE_MASK = "[số điện thoại]"
EMAIL_MASK = "[thư điện tử]"
SUMMARY_LIMIT = 160
MAX_NAME_WORDS = 8  # a reporter name longer than this is matched on its first 8 words
_INPUT_FACTOR = 4  # text is cut to limit * 4 characters before it is masked

# What people type between the digits of a phone number: spaces (any), . - _ / : · ( ) +
# and dashes – — ‐ ‑ − (zero-width characters are removed before matching).
_SEP = r"[\s.\-_/:·()+\u2010\u2011\u2012\u2013\u2014\u2212]"
# A run of digits, each after at most 3 separators: a phone number when it holds 9 digits
# or more (10 for a mobile, 11 for a landline, 9 when a spreadsheet dropped the leading
# 0), so that a count like 10000000 is not one. Each repetition must end on a digit and
# no separator is a digit, so a run matches in one way only (linear).
_DIGITS = re.compile(r"\+?\d(?:" + _SEP + r"{0,3}\d)*")
PHONE_DIGITS = 9
# A shorter run (6 to 8 digits: a landline without its area code, a mobile cut short) is
# a phone number after a word that says so ("SĐT: 3842 999", "gọi 842999"), or with its
# last digits typed as x ("0912345xxx"): the few characters before and after it tell.
_PHONE_CUE = re.compile(r"(?<![^\W_])(?:sđt|sdt|đt|dt|đtdđ|dtdd|điện thoại|dien thoai|di động|"
                        r"di dong|số máy|so may|zalo|liên hệ|lien he|gọi|goi)"
                        r"[\s:.\-]{0,3}(?:(?:số|so)\s{1,3})?$", re.IGNORECASE)
_HIDDEN_DIGITS = re.compile(_SEP + r"?[xX*]{2,4}(?![^\W_])")
SHORT_PHONE_DIGITS = 6
# Dates and times are not phone numbers: found first, then hidden from _DIGITS.
_DATE_OR_TIME = re.compile(
    r"(?<![\d/.\-])(?:\d{1,2}([/.\-])\d{1,2}\1(?:\d{4}|\d{2})|\d{4}-\d{1,2}-\d{1,2})"
    r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2})?)?(?![\d/.\-])"
    r"|(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?![\d:])")
_EMAIL = re.compile(r"[\w.+\-]{1,64}@[^\W_](?:[\w\-]{0,62}\.){1,8}[^\W\d_]{2,24}(?![\w])")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[\s\x00-\x1f\x7f]+")
_WORD = re.compile(r"[^\W_]+")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --- names -------------------------------------------------------------------------------

def mask_name(name: object) -> str | None:
    if name is None or (isinstance(name, float) and math.isnan(name)):
        return None
    return initials(str(name))


@lru_cache(maxsize=262144)
def _word_key(word: str) -> str:
    return strip_marks(word).lower()


def _name_words(name: str) -> list[str]:
    """The words of a name as typed in `Người phản ánh`, without a title before it ("Bà
    Nguyễn Thị Hoa" is found as "Nguyễn Thị Hoa"), at most MAX_NAME_WORDS."""
    words = _WORD.findall(_nfc(name))
    if len(words) >= 3 and exact(words[0]) in TITLES:
        words = words[1:]
    return words[:MAX_NAME_WORDS]


class NameMatcher:
    """The names to mask, looked up word by word (see the module's docstring)."""

    def __init__(self, names: Iterable[object]) -> None:
        self.keys: set[str] = set()  # "bui the dung": names of 2 words or more
        # "bui" -> (4, 3): the first word of each of them, with their numbers of words
        self.first: dict[str, tuple[int, ...]] = {}
        self.single: set[str] = set()  # "hằng": one-word names, spelled exactly
        self.longest = 1
        self.kept: frozenset[str] = frozenset()  # keys of names that stay (heads)
        for name in names:
            if not isinstance(name, str):
                continue
            words = _name_words(name)
            if len(words) >= 2:
                keys = [_word_key(w) for w in words]
                self.keys.add(" ".join(keys))
                lengths = self.first.get(keys[0], ())
                if len(keys) not in lengths:
                    self.first[keys[0]] = tuple(sorted((*lengths, len(keys)), reverse=True))
                self.longest = max(self.longest, len(words))
            elif words and len(words[0]) >= 2:
                self.single.add(exact(words[0]))

    def __bool__(self) -> bool:
        return bool(self.keys or self.single)

    def keep(self, names: Iterable[object]) -> None:
        """These names stay wherever they are written (the heads of departments): not
        masked as a reporter's name nor after a title."""
        kept = {key(n) for n in names if isinstance(n, str) and key(n)}
        self.kept = self.kept | kept
        self.keys -= kept
        self.single -= {exact(n.strip()) for n in names
                        if isinstance(n, str) and len(_WORD.findall(n)) == 1}

    def mask(self, text: str) -> str:
        """`text` with every known name replaced by its initials (linear in the text)."""
        return self.mask_words(text)[0]

    def mask_words(self, text: str) -> tuple[str, list[str] | None]:
        """mask(text), with the words of `text` (as _WORD finds them) when no name was
        found in it (the result is then `text` itself), else None."""
        if not self:
            return text, None
        spelled = _WORD.findall(text)
        keys = list(map(_word_key, spelled))
        found = self._names_at(spelled, keys)
        if not found:
            return text, spelled
        words = list(_WORD.finditer(text))  # the same words, with where they stand
        out: list[str] = []
        last = 0
        for i, n in found:
            start, end = words[i].start(), words[i + n - 1].end()
            out.append(text[last:start])
            out.append(mask_name(text[start:end]) or "")
            last = end
        out.append(text[last:])
        return "".join(out), None

    def _names_at(self, spelled: list[str], keys: list[str]) -> list[tuple[int, int]]:
        """(first word, number of words) of each name found, left to right, a name read
        at its longest; a word inside a name found is not the start of another."""
        # where a name may start: a name's first word key (a word key holds no space), or
        # a one-word name as spelled; every other word is passed over
        first = self.first
        starts = list(compress(range(len(keys)), map(first.__contains__, keys)))
        if self.single:
            single = self.single
            starts = sorted({*starts, *(i for i, w in enumerate(spelled)
                                        if exact(w) in single)})
        found: list[tuple[int, int]] = []
        after = 0  # the first word not inside a name found already
        for i in starts:
            if i < after:
                continue
            n_found = 0
            for n in first.get(keys[i], ()):  # the longest name first, as it reads
                if n <= len(keys) - i and " ".join(keys[i:i + n]) in self.keys:
                    n_found = n
                    break
            if not n_found and self.single and exact(spelled[i]) in self.single:
                n_found = 1
            if n_found:
                found.append((i, n_found))
                after = i + n_found
        return found


def name_matcher(names: Iterable[object]) -> NameMatcher:
    return NameMatcher(names)


# --- phones and e-mail addresses -----------------------------------------------------------

def mask_phone(phone: object) -> str | None:
    if phone is None or (isinstance(phone, float) and math.isnan(phone)):
        return None
    digits = re.sub(r"\D", "", str(phone))
    if not digits:
        return None
    return "*" * max(len(digits) - 3, 0) + digits[-3:]


def _mask_phones(text: str) -> str:
    if sum(map(str.isdigit, text)) < SHORT_PHONE_DIGITS:
        return text
    # Dates and times are hidden (same length, no digit) so that they are never read as
    # part of a phone number; the spans found apply to the original text.
    hidden = _DATE_OR_TIME.sub(lambda m: "x" * len(m.group(0)), text)
    out, last = [], 0
    for match in _DIGITS.finditer(hidden):
        start, end = match.start(), match.end()
        digits = sum(map(str.isdigit, match.group(0)))
        if digits < SHORT_PHONE_DIGITS:
            continue
        touching = (start > 0 and hidden[start - 1].isalnum()) or (
            end < len(hidden) and hidden[end].isalnum())  # a letter or a hidden date beside
        if digits >= PHONE_DIGITS:
            glued = touching or (
                start > 1 and hidden[start - 1] in "-_/." and hidden[start - 2].isalpha())
            if glued and not match.group(0).startswith(("0", "+")):
                continue  # part of a code (PA20261234567, PA-2026-000505), not a phone
        elif (tail := _HIDDEN_DIGITS.match(text, end)) is not None:
            end = tail.end()
        elif touching or not _PHONE_CUE.search(hidden, max(0, start - 20), start):
            continue
        out.append(text[last:start])
        out.append(PHONE_MASK)
        last = end
    out.append(text[last:])
    return "".join(out)


def _mask_emails(text: str) -> str:
    return _EMAIL.sub(EMAIL_MASK, text) if "@" in text else text


# --- text -------------------------------------------------------------------------------------

def shorten(text: str, limit: int = SUMMARY_LIMIT) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-") + "…"


def clean_text(text: str, limit: int | None = None) -> str:
    """NFC, zero-width characters removed, white space and control characters folded
    into single spaces, stripped; cut to limit * 4 characters first when limit is given."""
    if limit is not None and len(text) > limit * _INPUT_FACTOR:
        text = text[: limit * _INPUT_FACTOR]
    out = _ZERO_WIDTH.sub("", _nfc(text))
    if not out.isprintable() or "  " in out:
        out = _SPACES.sub(" ", out)
    return out.strip()


def mask_text(text: object, names: NameMatcher | None = None,
              limit: int | None = SUMMARY_LIMIT) -> str | None:
    """Phones, e-mail addresses and known names masked, then shortened to `limit`."""
    return _mask_text(text, names, limit)[0]


def _mask_text(text: object, names: NameMatcher | None, limit: int | None
               ) -> tuple[str | None, list[str] | None]:
    """mask_text, with the words of the result when they were split already (else None)."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None, None
    out = _mask_phones(_mask_emails(clean_text(str(text), limit)))
    out = mask_forms(out, names.kept if names is not None else frozenset())
    words = None
    if names is not None:
        out, words = names.mask_words(out)
    if limit is None:
        return out, words
    short = shorten(out, limit)
    return short, (words if short is out else None)


def mask_summaries(summaries: pd.Series, reporters: pd.Series,
                   names: NameMatcher | None = None, limit: int = SUMMARY_LIMIT
                   ) -> list[str | None]:
    """mask_text over a column, once per distinct (text, reporter): each case's own
    reporter is masked too, even when `names` does not know them."""
    return SummaryMasker(names, limit)(summaries, reporters)


class SummaryMasker:
    """mask_summaries for several columns of one workbook, each distinct text masked once
    whichever column it comes in.

    The text is masked once per distinct text; the reporter's own name is then looked
    for only where the masked text holds its first word (it is a name of the text's
    words or of none). What a reporter needs (the word to look for, a matcher of their
    name, their initials) is made once per reporter."""

    def __init__(self, names: NameMatcher | None = None, limit: int = SUMMARY_LIMIT) -> None:
        self.names = names
        self.limit = limit
        self._texts: dict[str, _Masked] = {}
        self._owners: dict[str, _Owner] = {}

    def __call__(self, summaries: pd.Series, reporters: pd.Series) -> list[str | None]:
        return self.mask_list(summaries.tolist(), reporters.tolist())

    def mask_list(self, texts: list[object], owners: list[object]) -> list[str | None]:
        """Each text masked (the known names, phones, e-mail addresses) with its row's
        own reporter masked too, shortened to `limit`. What is decided once per distinct
        text (its masked form, its words) or owner (the name to look for) is made first,
        so that a row costs a few lookups (a list may hold 60,000 cases)."""
        masked_of = self._texts
        for text in dict.fromkeys(t for t in texts if isinstance(t, str)):
            if text not in masked_of:
                masked_of[text] = _Masked(*_mask_text(text, self.names, self.limit * 2))
        owner_of = self._owners
        for own in dict.fromkeys(o for o in owners if isinstance(o, str)):
            if own not in owner_of:
                owner_of[own] = _Owner(own)
        limit = self.limit
        out: list[str | None] = []
        append = out.append
        for text, own in zip(texts, owners):
            seen = masked_of[text] if isinstance(text, str) else None
            masked = None if seen is None else seen.text
            if masked is None:
                append(None)
                continue
            if isinstance(own, str):
                owner = owner_of[own]
                if owner.may_be_in(seen):
                    masked = owner.matcher().mask(masked)
                if owner.initials is not None and owner.stripped in masked:
                    masked = masked.replace(owner.stripped, owner.initials)
                if masked is not seen.text:
                    append(shorten(masked, limit))
                    continue
            # the text as masked for everyone, shortened once (most rows: no owner in it)
            if seen.short is None:
                seen.short = shorten(masked, limit)
            append(seen.short)
        return out


class _Masked:
    """A text masked at twice the limit, with its words (split on first use)."""

    __slots__ = ("_exact", "_keys", "_words", "short", "text")

    def __init__(self, text: str | None, words: list[str] | None = None) -> None:
        self.text = text
        self.short: str | None = None  # shorten(text, limit), made on first use
        self._words = words
        self._keys: set[str] | None = None
        self._exact: set[str] | None = None

    def words(self) -> list[str]:
        if self._words is None:
            self._words = _WORD.findall(self.text or "")
        return self._words

    def word_keys(self) -> set[str]:
        if self._keys is None:
            self._keys = set(map(_word_key, self.words()))
        return self._keys

    def exact_words(self) -> set[str]:
        if self._exact is None:
            self._exact = set(map(exact, self.words()))
        return self._exact


class _Owner:
    """A case's own reporter, as SummaryMasker looks for them in the case's text."""

    def __init__(self, own: str) -> None:
        self.own = own
        words = _name_words(own)
        # NameMatcher([own]) can find something only where the text holds the first word
        # key of a name of two words or more, or a one-word name as spelled
        self.first_key = _word_key(words[0]) if len(words) >= 2 else None
        self.exact = exact(words[0]) if len(words) == 1 and len(words[0]) >= 2 else None
        self.stripped = _nfc(own.strip())
        self.initials = (mask_name(self.stripped) or "") if len(self.stripped) >= 2 else None
        self._matcher: NameMatcher | None = None

    def may_be_in(self, masked: _Masked) -> bool:
        if self.first_key is not None:
            return self.first_key in masked.word_keys()
        return self.exact is not None and self.exact in masked.exact_words()

    def matcher(self) -> NameMatcher:
        if self._matcher is None:
            self._matcher = NameMatcher([self.own])
        return self._matcher


# --- the one mask of a workbook's cells --------------------------------------------------

class PersonalData:
    """Each cell of PERSONAL_CELLS as every output shows it, for one workbook (built once
    by read.contract, asked by figures.metrics for each report): a name as initials, a
    phone's last three digits, free text masked (mask_text) with the row's own reporter
    when there is one, a summary shortened to SUMMARY_LIMIT. Any other cell is as read.
    Each distinct text is masked once, whichever report or column asks."""

    def __init__(self, names: NameMatcher) -> None:
        self.names = names
        self._with_owner = SummaryMasker(names)
        self._texts: dict[str, str | None] = {}

    def cells(self, tab: str, field: str, values: list[object],
              owners: list[object] | None = None) -> list[object]:
        """`values` of column `field` of `tab` as shown; `owners`: each row's reporter."""
        kind = PERSONAL_CELLS.get(tab, {}).get(field)
        if kind is None:
            return list(values)
        if kind == NAME:
            return [mask_name(v) for v in values]
        if kind == PHONE:
            return [mask_phone(v) for v in values]
        if owners is not None:
            return self._with_owner.mask_list(values, owners)
        return [self._text(v) for v in values]

    def cells_later(self, tab: str, asks: list[tuple[str, list[object], list[object] | None]]
                    ) -> Callable[[], list[list[object]]]:
        """cells() of each (field, values, owners) ask, when the function returned is
        called: here, then (commands.metrics.MaskedElsewhere starts on them at once in a
        worker process, the figures going on meanwhile)."""
        return lambda: mask_asks(self, tab, asks)

    def column(self, tab: str, field: str, values: pd.Series, owners: pd.Series | None = None
               ) -> list[object]:
        """cells() of a frame's column (a blank cell None); `owners`: each row's reporter."""
        listed = values.astype(object).where(values.notna(), None).tolist()
        return self.cells(tab, field, listed, None if owners is None else owners.tolist())

    def _text(self, value: object) -> str | None:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        text = value if isinstance(value, str) else str(value)
        if text not in self._texts:
            self._texts[text] = mask_text(text, self.names, limit=None)
        return self._texts[text]


def mask_asks(people: PersonalData, tab: str,
              asks: list[tuple[str, list[object], list[object] | None]]) -> list[list[object]]:
    """people.cells() of each (field, values, owners) ask, in order."""
    return [people.cells(tab, field, values, owners) for field, values, owners in asks]


def mask_task(task: tuple[NameMatcher, str, list[tuple[str, list[object], list[object] | None]]]
              ) -> list[list[object]]:
    """mask_asks in a worker process (wardbrief.processes): the workbook's names, the tab
    and the asks come with the task, the masked cells go back."""
    names, tab, asks = task
    return mask_asks(PersonalData(names), tab, asks)
