"""A report's document read back from its executed notebook (edited in JupyterLab, say).

The notebook shows the model section by section: a code cell's output names the section
it shows (`model.SECTION_MIME`), and a Markdown cell the office wrote is a section of its
own (`office-1`, `office-2`, …). `document_of_notebook` gives the document in the
notebook's order — the shaped sections it names, the office's words where the office put
them, then the shaped annexes the notebook leaves to a file of their own — so the Word
file and the e-mail say what the PDF says. Nothing is computed again: the sections are
the model shaped from the report's metrics.json.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import mistune

from wardbrief.document.model import SECTION_MIME, Block, Document, Heading, Paragraph, Section

# Cells left out of the rendering (the template's TagRemovePreprocessor, conf.json), and
# papermill's own cells.
HIDDEN_TAGS = frozenset({"remove-cell", "hide", "parameters", "injected-parameters"})
OFFICE_PREFIX = "office-"

_markdown = mistune.create_markdown(renderer=None)


def shown_cells(nb: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    for cell in nb.get("cells") or []:
        if not HIDDEN_TAGS & set((cell.get("metadata") or {}).get("tags") or []):
            yield cell


def section_names(cell: Mapping[str, Any]) -> list[str]:
    """The sections of the model a code cell's outputs show."""
    names = []
    for output in cell.get("outputs") or []:
        ref = (output.get("data") or {}).get(SECTION_MIME)
        if isinstance(ref, Mapping) and isinstance(ref.get("section"), str):
            names.append(ref["section"])
    return names


def document_of_notebook(nb: Mapping[str, Any], shaped: Document) -> Document:
    """`shaped` (the model from metrics) in the order the notebook shows it, with the
    office's Markdown cells as sections where they stand."""
    sections: list[Section] = []
    office = 0
    for cell in shown_cells(nb):
        if cell.get("cell_type") == "markdown":
            blocks = markdown_blocks(_source(cell))
            if blocks:
                office += 1
                sections.append(Section(f"{OFFICE_PREFIX}{office}", blocks, office=True))
        elif cell.get("cell_type") == "code":
            sections += [shaped[name] for name in section_names(cell) if name in shaped]
    shown = {s.name for s in sections}
    sections += [s for s in shaped.annexes() if s.name not in shown]
    return shaped.with_sections(sections)


def office_sections(nb: Mapping[str, Any]) -> list[Section]:
    """The office's own words in the notebook (its Markdown cells that are shown)."""
    return [s for s in document_of_notebook(nb, Document("", "", ())).sections if s.office]


def _source(cell: Mapping[str, Any]) -> str:
    source = cell.get("source") or ""
    return "".join(source) if isinstance(source, list) else str(source)


# --- Markdown -> blocks ------------------------------------------------------------------

def markdown_blocks(text: str) -> tuple[Block, ...]:
    """The office's Markdown as the model's blocks: `#`/`##` headings are level 1 (`VI.
    Ý KIẾN …`), deeper ones level 2; a paragraph all in emphasis reads italic; list items
    are `- ` lines. Inline marks are dropped (a formal document's body is plain)."""
    blocks: list[Block] = []
    for token in _markdown(text):
        kind = token.get("type")
        if kind == "heading":
            level = 1 if token.get("attrs", {}).get("level", 1) <= 2 else 2
            blocks.append(Heading(_inline(token.get("children")), level))
        elif kind == "paragraph":
            children = token.get("children") or []
            words = _inline(children)
            if not words:
                continue
            italic = len(children) == 1 and children[0].get("type") == "emphasis"
            blocks.append(Paragraph(words, "italic" if italic else "body"))
        elif kind == "list":
            ordered = token.get("attrs", {}).get("ordered")
            for n, item in enumerate(token.get("children") or [], start=1):
                words = " ".join(_inline(part.get("children")) for part in
                                 item.get("children") or [])
                blocks.append(Paragraph(f"{n}. {words}" if ordered else f"- {words}", "item"))
        elif kind == "block_quote":
            blocks += [b for b in markdown_blocks(_raw(token)) if isinstance(b, Paragraph)]
        elif kind in ("block_code", "block_html"):
            raw = str(token.get("raw") or "").strip()
            if raw:
                blocks.append(Paragraph(raw))
    return tuple(blocks)


def _inline(children: list[dict[str, Any]] | None) -> str:
    out = []
    for child in children or []:
        kind = child.get("type")
        if kind in ("softbreak", "linebreak"):
            out.append(" ")
        elif "children" in child:
            out.append(_inline(child["children"]))
        else:
            out.append(str(child.get("raw") or ""))
    return " ".join("".join(out).split())


def _raw(token: Mapping[str, Any]) -> str:
    return "\n\n".join(_inline(c.get("children")) for c in token.get("children") or [])
