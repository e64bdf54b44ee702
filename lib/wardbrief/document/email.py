"""The e-mail renderings of a document model: plain text and HTML.

Plain text: each section's blocks as lines (a table as lines of cells separated by
` | `), sections separated by a blank line, the marks (DỮ LIỆU MẪU) first. HTML: the same
sections through the one Jinja environment (`templates/wardbrief/sections/email.html.j2`),
styles inline for mail readers. Nothing is worded or computed here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from wardbrief.document import templating
from wardbrief.document.model import (
    Block,
    Document,
    Figure,
    Heading,
    Items,
    Letterhead,
    Paragraph,
    Section,
    Signature,
    Table,
    Title,
    flat,
)


def block_lines(block: Block) -> list[str]:
    if isinstance(block, Letterhead):
        return [block.title, *block.subject] + ([block.addressee] if block.addressee else [])
    if isinstance(block, Heading | Paragraph):
        return [block.text]
    if isinstance(block, Table):
        rows = [block.header, *_linked_rows(block)] + ([block.foot] if block.foot else [])
        return [" | ".join(cell for cell in row if cell) for row in rows]
    if isinstance(block, Figure):
        return [block.caption]
    if isinstance(block, Items):
        return [f"{n}. {line}" if block.ordered else f"- {line}"
                for n, line in enumerate(block.lines, start=1)]
    if isinstance(block, Title):
        return [block.kind, *block.subject] + ([block.attached] if block.attached else [])
    if isinstance(block, Signature):
        return [*block.role] + ([block.name] if block.name else [])
    return []


def _linked_rows(table: Table) -> list[tuple[str, ...]]:
    """The table's rows, a linked cell followed by its URL (`B7 <https://…>`)."""
    if not table.links:
        return list(table.rows)
    n = table.link_column
    return [row[:n] + (f"{row[n]} <{link}>",) + row[n + 1:] if link else row
            for row, link in zip(table.rows, table.links, strict=True)]


def section_text(section: Section) -> str:
    return "\n".join(line for block in flat(section.blocks) for line in block_lines(block))


def plain(document: Document, sections: Iterable[str] | None = None) -> str:
    """The document (or the named sections of it) as the text of an e-mail."""
    chosen = document.sections if sections is None else [document[n] for n in sections]
    parts = [*document.marks, *(section_text(s) for s in chosen)]
    return unicodedata.normalize("NFC", "\n\n".join(p for p in parts if p) + "\n")


def html(document: Document, sections: Iterable[str] | None = None) -> str:
    """The document (or the named sections of it) as the HTML part of an e-mail."""
    chosen = document.sections if sections is None else [document[n] for n in sections]
    return templating.render(templating.EMAIL_TEMPLATE, document=document, sections=chosen)
