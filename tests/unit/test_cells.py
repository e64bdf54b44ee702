"""read.cells: a column decided once per distinct cell and spread back over its rows gives
what deciding it row by row gives."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from wardbrief.read.cells import TextColumn, cell_text, spread, spread_objects
from wardbrief.read.names import key

CELLS = st.one_of(st.none(), st.sampled_from(["", "  ", "Tổ 4", "TO  4", "tổ-4", "Kênh", "x"]),
                  st.integers(-3, 3), st.just(float("nan")), st.just(dt.date(2026, 11, 2)))


def same(a: object, b: object) -> bool:
    """The same cell: equal type and value (NaN is NaN, None is not NaN)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


@settings(max_examples=300, deadline=None)
@given(st.lists(CELLS, min_size=1, max_size=6, unique_by=lambda c: (type(c), repr(c))),
       st.lists(st.integers(-1, 5), max_size=12), st.sampled_from([None, np.nan, "?"]))
def test_spread_objects_is_spread_as_objects(values, codes, missing):
    """pandas reads the cells the rows hold (a column of text makes its blanks NaN), not
    the distinct cells no row holds (the header's, say)."""
    codes = np.array([c for c in codes if c < len(values)], dtype=np.int64)
    index = pd.RangeIndex(len(codes))
    got = spread_objects(codes, pd.Series(values, dtype=object), missing, index)
    want = spread(codes, pd.Series(values, dtype=object), missing, index).astype(object)
    assert got.dtype == object
    assert all(same(a, b) for a, b in zip(got.tolist(), want.tolist(), strict=True))


def test_a_column_of_blanks_under_a_text_header_stays_none():
    column = pd.Series(pd.Categorical(["Kênh", "", " ", ""])).iloc[1:]
    assert cell_text(column).tolist() == [None, None, None]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Tổ 4", "TO  4", "tổ-4", "Tổ 5", " to 5 ", "", "Địa bàn",
                                 "dia ban", None]), max_size=10),
       st.booleans())
def test_first_spellings_follow_the_rows(cells, header_first):
    """Each row takes the first text (in row order) of the rows whose key is its key, as
    the rows hold them, whatever order the categories are in."""
    column = pd.Series(pd.Categorical((["Địa bàn"] if header_first else []) + cells))
    rows = column.iloc[1:] if header_first else column
    text = TextColumn(rows)
    got = text.rows(text.first_spellings(), np.nan).tolist()
    first: dict[str, str] = {}
    for cell in rows:
        stripped = cell.strip() if isinstance(cell, str) and cell.strip() else None
        if stripped is not None:
            first.setdefault(key(stripped), stripped)
    want = [first[key(c.strip())] if isinstance(c, str) and c.strip() else None
            for c in rows]
    assert [None if isinstance(g, float) else g for g in got] == want
    texts = [c.strip() for c in rows if isinstance(c, str) and c.strip()]
    assert text.texts_in_row_order() == list(dict.fromkeys(texts))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(["Tổ 4", "x", "Kênh"])), min_size=1,
                max_size=6),
       st.lists(st.integers(-1, 5), max_size=12))
def test_spread_objects_told_the_blanks_is_spread_as_objects(values, codes):
    """Told which values are None (all others text), spread_objects gives the same
    cells as when it looks at them itself."""
    codes = np.array([c for c in codes if c < len(values)], dtype=np.int64)
    index = pd.RangeIndex(len(codes))
    blanks = np.array([v is None for v in values], dtype=bool)
    got = spread_objects(codes, pd.Series(values, dtype=object), None, index, blanks)
    want = spread_objects(codes, pd.Series(values, dtype=object), None, index)
    assert got.dtype == object
    assert all(same(a, b) for a, b in zip(got.tolist(), want.tolist(), strict=True))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Tổ 4", " TO  4", "x ", "", "  ", "0912 345 678", "Kênh"]),
                max_size=10))
def test_cell_text_of_text_not_categorical_is_cell_text_of_its_categorical(cells):
    """A column of text kept as such (csvfolder._text_column) reads as the categorical
    of the same cells does."""
    as_text = cell_text(pd.Series(cells, dtype=object))
    as_categorical = cell_text(pd.Series(pd.Categorical(cells)))
    assert as_text.dtype == object
    assert all(same(a, b) for a, b in zip(as_text.tolist(), as_categorical.tolist(),
                                          strict=True))
