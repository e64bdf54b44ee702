"""Column helpers over raw cells.

A spreadsheet column repeats itself (dates, departments, statuses): every cell-level
function here runs once per distinct value and is spread back with the factorized
codes, so a million rows cost one hash pass plus the distinct values.
"""

from __future__ import annotations

import datetime as dt
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
    return codes, pd.Series(uniques, dtype=object)


def spread(codes: np.ndarray, values: pd.Series | np.ndarray, missing: Any,
           index: pd.Index) -> pd.Series:
    """values[codes] with `missing` where code is -1, as a Series on `index`."""
    values = pd.Series(values)
    if values.dtype == bool:
        table = np.append(values.to_numpy(), bool(missing))
    elif pd.api.types.is_datetime64_any_dtype(values):
        table = np.append(values.to_numpy(dtype="datetime64[ns]"), np.datetime64("NaT", "ns"))
    else:
        table = np.append(values.to_numpy(dtype=object), np.array([missing], dtype=object))
    return pd.Series(table[codes], index=index)


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


def _blank_values(values: pd.Series) -> pd.Series:
    if _all_text(values):  # the usual case: str methods mapped in C, no pandas per item
        text = values.to_numpy(dtype=object)
        spaces = np.fromiter(map(str.isspace, text), dtype=bool, count=len(text))
        return pd.Series(spaces | (text == ""), index=values.index)
    return values.map(is_blank_value).astype(bool)


def blank_mask(column: pd.Series) -> pd.Series:
    """A cell is blank when empty or only white space."""
    return per_value(column, _blank_values, True).astype(bool)


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
    if _all_text(values):
        stripped = np.empty(len(values), dtype=object)
        stripped[:] = list(map(str.strip, values.to_numpy(dtype=object)))
        stripped[stripped == ""] = None
        return pd.Series(stripped, index=values.index, dtype=object)
    return values.map(one_cell_text)


def cell_text(column: pd.Series) -> pd.Series:
    """Cells as stripped text, None where blank (once per distinct value)."""
    return per_value(column, _text_values, None).astype(object)


def text_and_keys(column: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(cell_text(column), keys_of(cell_text(column))) from one pass over the distinct
    cells (not a second one over the distinct texts)."""
    codes, uniques = distinct(column)
    text = _text_values(uniques)
    keys = text.map(key, na_action="ignore").astype(object)
    keys[text.isna()] = None
    return (spread(codes, text, None, column.index).astype(object),
            spread(codes, keys, None, column.index).astype(object))
