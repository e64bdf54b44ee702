"""How a briefing's table cells are written: a `Column` (row key, header, kind of value)
and `table_block`, which makes columns and rows of values a `Table` of the document
model, each cell written as its column's kind says (`show`); untrusted text made fit
for a cell (`text_cell`, `plain_text`).

The markup lives in the templates, rendered by the one environment
(`wardbrief.document.templating`: autoescape on, every value escaped by the engine,
citizen text included); Python only shapes data and writes values (`fmt`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from wardbrief.briefings import fmt
from wardbrief.document.model import Table
from wardbrief.document.templating import (  # noqa: F401 (re-exported)
    SECTIONS_DIR,
    environment,
    nfc,
    svg_data_uri,
)

TEXT_LIMIT = 200  # characters of untrusted text in a table cell
# Pictographs (emoji) and their joiners: no font of the PDF has them (they would print
# as empty boxes), and they carry nothing a briefing needs.
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u200d\ufe0f\u20e3]+")
# The control characters an XML document (Word) cannot hold, as a citizen's text may.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]+")
FORMAL_TEXT_LIMIT = 160  # characters of citizen or staff text in a formal document's cell


def plain_text(value: object, limit: int = FORMAL_TEXT_LIMIT) -> str:
    """Untrusted text for a cell of a formal document: pictographs and control characters
    dropped, one line, capped."""
    if value is None:
        return ""
    return fmt.cap_text(_NOT_XML.sub("", _EMOJI.sub("", str(value))), limit)


def text_cell(value: object) -> str:
    """Untrusted text for a table cell: emoji dropped, one line, capped (escaping is the
    template engine's)."""
    if value is None:
        return ""
    return fmt.cap_text(_EMOJI.sub("", str(value)), TEXT_LIMIT)


def _int_or_text(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return text_cell(value) if value not in (None, "") else fmt.DASH
    return fmt.int_vn(value)


def _rate_or_text(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return fmt.percent_vn(value)
    return text_cell(value) if value not in (None, "") else fmt.DASH


def _date_or_text(value: object) -> str:
    if isinstance(value, str) and not re.match(r"^\d{4}-\d{2}-\d{2}", value):
        return text_cell(value)
    return fmt.date_vn(value)  # type: ignore[arg-type]


def _days(value: object) -> str:
    return fmt.number_vn(value) if isinstance(value, int | float) else fmt.DASH  # type: ignore[arg-type]


# How a table column writes its values (Column.kind).
KINDS: dict[str, Callable[[Any], str]] = {
    "text": text_cell,
    "int": _int_or_text,
    "rate": _rate_or_text,
    "date": _date_or_text,
    "days": _days,
}


def show(value: object, kind: str = "text") -> str:
    """A table cell's text: `value` written as its column's kind says."""
    return KINDS[kind](value)


@dataclass(frozen=True)
class Column:
    """A table column: the row key, its header, how its values are written, its CSS."""

    key: str
    label: str
    kind: str = "text"
    css: str = ""  # "num" right-aligns, "wide" lets text take the width


def table_block(columns: Sequence[Column], rows: Sequence[Mapping[str, Any]], css: str = "",
                foot: Mapping[str, Any] | None = None) -> Table:
    """A table of the document model from columns and rows of values: each cell written as
    its column's kind says, each column's and row's class for the page (its stylesheet
    sizes the columns: no widths)."""
    return Table(
        header=tuple(c.label for c in columns),
        rows=tuple(tuple(show(row.get(c.key), c.kind) for c in columns) for row in rows),
        numeric=tuple("num" in c.css.split() for c in columns), widths=(),
        foot=tuple(show(foot.get(c.key, ""), c.kind if foot.get(c.key, "") != "" else "text")
                   for c in columns) if foot else None,
        css=css, columns_css=tuple(c.css for c in columns),
        rows_css=tuple(str(row.get("_class") or "") for row in rows))
