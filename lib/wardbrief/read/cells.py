"""Column helpers over raw cells.

A spreadsheet column repeats itself (dates, departments, statuses): every cell-level
function here runs once per distinct value and is spread back with the factorized
codes, so a million rows cost one hash pass plus the distinct values.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from wardbrief.read.names import key


def distinct(column: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """(codes, distinct values as an object Series); code -1 marks a missing cell."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy(), pd.Series(column.cat.categories.astype(object),
                                                       dtype=object)
    codes, uniques = pd.factorize(column.to_numpy(dtype=object), use_na_sentinel=True)
    return codes, pd.Series(uniques, dtype=object, copy=False)


def spread(codes: np.ndarray, values: pd.Series | np.ndarray, missing: Any,
           index: pd.Index) -> pd.Series:
    """values[codes] with `missing` where code is -1, as a Series on `index`."""
    values = pd.Series(values)
    if values.dtype == bool:
        table = np.append(values.to_numpy(), bool(missing))
    elif values.dtype.kind in "iuf" and isinstance(missing, (int, float)):
        table = np.append(values.to_numpy(), missing)  # numbers stay numbers
    elif pd.api.types.is_datetime64_any_dtype(values):
        table = np.append(values.to_numpy(dtype="datetime64[ns]"), np.datetime64("NaT", "ns"))
    else:
        table = np.append(values.to_numpy(dtype=object), np.array([missing], dtype=object))
    return pd.Series(table[codes], index=index, copy=False)


def spread_objects(codes: np.ndarray, values: pd.Series | np.ndarray, missing: Any,
                   index: pd.Index, blanks: np.ndarray | None = None) -> pd.Series:
    """spread(codes, values, missing, index).astype(object), the same cells: pandas reads
    the cells (text with blanks: the blanks become NaN) on the distinct values the rows
    hold, not on a string array of every row made in between. `blanks`, when given,
    says which values are None, every other one being text (_text_and_blanks): the
    cells are then not inspected again."""
    table = np.append(pd.Series(values).to_numpy(dtype=object),
                      np.array([missing], dtype=object))
    used = np.zeros(len(table), dtype=bool)
    used[codes] = True  # code -1: the last entry, `missing`
    if blanks is not None and missing is None:
        blank = np.append(blanks, True)
        used_blank = used & blank
        if used_blank.any() and (used & ~blank).any():  # text with blanks: the blanks NaN
            table[used_blank] = np.nan
        return pd.Series(table[codes], index=index, dtype=object, copy=False)
    cells = table[used]
    if not _all_text(pd.Series(cells, dtype=object)):  # text without a blank stays
        blanks = _blanks_among_text(cells)
        if blanks is not None:  # what pandas makes of text with blanks, without its str array
            cells[blanks] = np.nan
        else:
            cells = pd.Series(cells).astype(object).to_numpy()
        table[used] = cells
    return pd.Series(table[codes], index=index, dtype=object, copy=False)


def _blanks_among_text(cells: np.ndarray) -> np.ndarray | None:
    """Where `cells` are None or NaN when all the others are text (some of it): the
    cells pandas turns into NaN when it reads them as text; None for any other mix."""
    if pd.api.types.infer_dtype(cells, skipna=True) != "string":
        return None
    blanks = pd.isna(cells)  # the cells infer_dtype passed over: the others are text
    if not all(c is None or (type(c) is float and math.isnan(c)) for c in cells[blanks]):
        return None  # pd.NA, NaT and the like: pandas decides
    return blanks


def per_value(column: pd.Series, func: Callable[[pd.Series], pd.Series], missing: Any
              ) -> pd.Series:
    """func applied to the distinct values of `column`, spread back over its rows."""
    codes, uniques = distinct(column)
    return spread(codes, func(uniques), missing, column.index)


def is_blank_value(cell: object) -> bool:
    if cell is None:
        return True
    if isinstance(cell, str):
        return not cell.strip()
    if isinstance(cell, float):
        return bool(np.isnan(cell))
    return cell is pd.NaT


def _all_text(values: pd.Series) -> bool:
    return pd.api.types.infer_dtype(values, skipna=False) == "string"


def blank_text(text: np.ndarray) -> np.ndarray:
    """Which of `text` (an object array of str only) are blank: empty or white space
    (str methods mapped in C, no pandas per item)."""
    spaces = np.fromiter(map(str.isspace, text), dtype=bool, count=len(text))
    return spaces | (text == "")


def _blank_values(values: pd.Series) -> pd.Series:
    if _all_text(values):  # the usual case
        return pd.Series(blank_text(values.to_numpy(dtype=object)), index=values.index,
                         copy=False)
    return values.map(is_blank_value).astype(bool)


def blank_mask(column: pd.Series) -> pd.Series:
    """A cell is blank when empty or only white space."""
    return per_value(column, _blank_values, True).astype(bool)


def blank_rows(frame: pd.DataFrame) -> np.ndarray:
    """The rows whose every cell is blank (blank_mask). Column by column, those with the
    fewest distinct cells first, each asked only about the rows still blank so far: a
    tab's dates or departments usually leave none, and a column of a million distinct
    ids is then not read at all."""
    blank = np.ones(len(frame), dtype=bool)
    for _, col in sorted((_distinct_bound(frame.iloc[:, i]), i) for i in range(frame.shape[1])):
        rows = np.flatnonzero(blank)
        if not len(rows):
            break
        blank[rows] = _blank_at(frame.iloc[:, col], rows)
    return blank


def _distinct_bound(column: pd.Series) -> int:
    if isinstance(column.dtype, pd.CategoricalDtype):
        return len(column.cat.categories)
    return len(column)


def _blank_at(column: pd.Series, rows: np.ndarray) -> np.ndarray:
    """blank_mask(column) at `rows` (positions), deciding only the distinct cells asked."""
    if not isinstance(column.dtype, pd.CategoricalDtype):
        return blank_mask(column.iloc[rows]).to_numpy()
    categories = column.cat.categories.to_numpy(dtype=object)
    codes = column.cat.codes.to_numpy()[rows]
    asked = (np.arange(len(categories)) if len(categories) <= len(rows)
             else np.unique(codes[codes >= 0]))
    flags = np.ones(len(categories) + 1, dtype=bool)  # the last: a missing cell (code -1)
    flags[asked] = _blank_values(pd.Series(categories[asked], dtype=object)).to_numpy()
    return flags[codes]


def one_cell_text(cell: object) -> str | None:
    """A cell as stripped text (None when blank); whole-number floats lose their '.0'."""
    if cell is None:
        return None
    if isinstance(cell, str):
        text = cell.strip()
        return text or None
    if isinstance(cell, float):
        if np.isnan(cell):
            return None
        return str(int(cell)) if cell.is_integer() else str(cell)
    if isinstance(cell, dt.datetime):
        return cell.isoformat(sep=" ")
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell).strip() or None


def _text_values(values: pd.Series) -> pd.Series:
    return _text_and_blanks(values)[0]


def _text_and_blanks(values: pd.Series) -> tuple[pd.Series, np.ndarray | None]:
    """(one_cell_text of each value, where it is None): the second only when the values
    are all text, the result then being text or None (else None)."""
    if _all_text(values):
        stripped = np.empty(len(values), dtype=object)
        stripped[:] = list(map(str.strip, values.to_numpy(dtype=object)))
        blanks = stripped == ""
        stripped[blanks] = None
        return pd.Series(stripped, index=values.index, dtype=object, copy=False), blanks
    return values.map(one_cell_text), None


def cell_text(column: pd.Series) -> pd.Series:
    """Cells as stripped text, None where blank (once per distinct value; pandas makes
    the blanks NaN in a column that holds text). A column of text that is not a
    categorical (nearly every cell its own: csvfolder._text_column) is read row by row,
    with nothing to gain from finding its distinct cells first."""
    if not isinstance(column.dtype, pd.CategoricalDtype) and len(column):
        values = pd.Series(column.to_numpy(dtype=object), index=column.index, dtype=object,
                           copy=False)
        text, blanks = _text_and_blanks(values)
        if blanks is not None:
            if blanks.any() and not blanks.all():  # text with blanks: the blanks NaN
                text[blanks] = np.nan
            return text
    codes, uniques = distinct(column)
    text, blanks = _text_and_blanks(uniques)
    return spread_objects(codes, text, None, column.index, blanks)


def id_text(column: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """(cell_text of a column of ids, each row's id as a number: rows whose ids read as
    the same text share one, -1 where blank). The distinct cells are the ids already
    when stripping changed none of them (the usual sheet): no id is hashed again."""
    codes, uniques = distinct(column)
    text, blanks = _text_and_blanks(uniques)
    cells, texts = uniques.to_numpy(dtype=object), text.to_numpy(dtype=object)
    missing = pd.isna(texts) if blanks is None else blanks
    if ((texts == cells) | missing).all():  # every id as typed, or blank
        numbers = np.where(missing, -1, np.arange(len(texts)))
    else:
        numbers, _ = pd.factorize(texts, use_na_sentinel=True)
    groups = np.append(numbers, -1)[codes]  # code -1 (a missing cell): the last, -1
    return spread_objects(codes, text, None, column.index, blanks), groups


class TextColumn:
    """A column of raw cells read as text once per distinct cell.

    `text` (stripped, None where blank) and `keys` (read.names.key of the text, None where
    blank; made on first use) hold one entry per distinct cell; `codes` says which one
    each row holds (-1 for a missing cell). A rule decided on the distinct entries is
    spread over the rows with `rows(...)`, once, as the column it gives: a million rows
    cost a take, not a million lookups."""

    def __init__(self, column: pd.Series) -> None:
        self.codes, uniques = distinct(column)
        self.index = column.index
        self.text, self._blanks = _text_and_blanks(uniques)
        self._keys: pd.Series | None = None

    @property
    def keys(self) -> pd.Series:
        if self._keys is None:
            keys = self.text.map(key, na_action="ignore").astype(object)
            keys[self.text.isna()] = None
            self._keys = keys
        return self._keys

    def rows(self, per_distinct: pd.Series, missing: Any) -> pd.Series:
        """`per_distinct` (one entry per distinct cell) spread over the rows, `missing`
        where a cell is missing: bools and numbers as such, anything else as objects
        (spread_objects)."""
        if pd.Series(per_distinct).dtype.kind in "biuf":
            return spread(self.codes, per_distinct, missing, self.index)
        return spread_objects(self.codes, per_distinct, missing, self.index)

    def row_text(self) -> pd.Series:
        """cell_text of the column."""
        return spread_objects(self.codes, self.text, None, self.index, self._blanks)

    def first_appearance(self, where: np.ndarray | None = None) -> np.ndarray:
        """The distinct cells (their codes) in the order the rows (those of the mask
        `where`, or all) first hold them."""
        codes = self.codes if where is None else self.codes[where]
        return pd.unique(codes[codes >= 0])

    def first_spellings(self) -> pd.Series:
        """For each distinct cell, the first text (in row order) of the rows whose key
        is its key; NaN where blank."""
        order = self.first_appearance()
        text, keys = self.text.to_numpy()[order], self.keys.to_numpy()[order]
        first = pd.Series(text, index=keys).dropna()
        first = first[~first.index.duplicated(keep="first")]
        return self.keys.map(first).astype(object)

    def texts_in_row_order(self, where: np.ndarray | None = None) -> list[str]:
        """The distinct texts (blanks left out) in the order the rows (those of the mask
        `where`, or all) first hold them."""
        text = self.text.to_numpy()[self.first_appearance(where)]
        return list(dict.fromkeys(t for t in text if t is not None))
