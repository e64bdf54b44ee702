"""The document model: a report is an ordered list of named sections of typed blocks.

A `Document` is shaped once from metrics.json (and the office's own text) by the
report's section builders (`wardbrief.briefings`); its renderers write it without
computing or wording anything: HTML through the one Jinja environment
(`document.templating`; the PDF is made from that HTML), Word through python-docx
(`document.word`), e-mail text (`document.email`). Every value is already written as the
reader sees it (`93,1%`, `27/11/2026`): a renderer never formats a figure.

Blocks hold plain text — never markup: escaping is the template engine's job.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

# The MIME type of a section's reference in a notebook output: the notebook says which
# section of the model a cell shows, so the Word file and the e-mail follow its order.
SECTION_MIME = "application/vnd.wardbrief.section+json"


@dataclass(frozen=True)
class Letterhead:
    """The top of an administrative document (NĐ 30/2020/NĐ-CP, Phụ lục I): issuing body
    and number left, national title, motto and place-and-date line right; then the kind
    of document and its subject (trích yếu), centred."""

    kind_name: ClassVar[str] = "letterhead"
    issuer: tuple[str, ...]
    number: str  # `Số:        /BC-UBND`, empty for a document without a number
    nation: str
    motto: str
    date_line: str
    title: str  # `BÁO CÁO`, `PHIẾU ĐÔN ĐỐC`
    subject: tuple[str, ...]  # one or more centred lines under the title
    addressee: str | None = None  # `Kính gửi: …`


@dataclass(frozen=True)
class Heading:
    """`I. KẾT QUẢ THỰC HIỆN` (level 1) or `1. Tiếp nhận, xử lý …` (level 2)."""

    kind_name: ClassVar[str] = "heading"
    text: str
    level: int = 1
    css: str = ""  # the page's class in place of `wb-h2`/`wb-h3` (an annex's unit)


# How a paragraph reads: body (justified, first line indented), note (small, italic),
# caption (a table's title, centred, bold), item (a `- ` line), notice (a boxed line
# every page of the sample shows), centred (a line centred, bold: an annex's title), lead
# (a sentence introducing the table or list after it: kept on its page), period (the
# centred italic line of the period under the title), verdict (a judgement, bold), label
# (the bold title of a list), unit (an annex's line under its unit's heading), part (the
# bold title of a part of an annex's unit), line (one annex entry on one line).
PARAGRAPH_STYLES = ("body", "note", "caption", "item", "notice", "centred", "italic", "lead",
                    "period", "verdict", "label", "unit", "part", "line")


@dataclass(frozen=True)
class Paragraph:
    kind_name: ClassVar[str] = "paragraph"
    text: str
    style: str = "body"


@dataclass(frozen=True)
class Table:
    """A table: header, rows of text cells, an optional total row (printed once, at the
    end), which columns are numbers (right-aligned), relative column widths."""

    kind_name: ClassVar[str] = "table"
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]
    widths: tuple[float, ...]
    foot: tuple[str, ...] | None = None
    css: str = ""  # the HTML page's class for this table (its column widths)
    nowrap: tuple[bool, ...] = ()  # columns kept on one line (dates)
    # Without `widths` the page's stylesheet sizes the columns (the weekly briefing's);
    # each column's and each row's class on the page (`num change`; `wb-worse`)
    columns_css: tuple[str, ...] = ()
    rows_css: tuple[str, ...] = ()
    # A URL per row ("" for none): the cell of column `link_column` opens it (a data
    # issue's cell in its Google Sheet). The HTML links the cell's text, plain text adds
    # the URL after it, Word keeps the text.
    links: tuple[str, ...] = ()
    link_column: int = 0

    def with_links(self, links: Sequence[str], column: int) -> Table:
        return replace(self, links=tuple(links), link_column=column)


@dataclass(frozen=True)
class Figure:
    """A chart: SVG bytes (the HTML page shows it; Word gets its caption and text)."""

    kind_name: ClassVar[str] = "figure"
    svg: bytes
    caption: str
    alt: str


@dataclass(frozen=True)
class Items:
    """A list: `- ` lines, or numbered (`1.`, `2.`) when `ordered`."""

    kind_name: ClassVar[str] = "items"
    lines: tuple[str, ...]
    ordered: bool = False
    css: str = ""


@dataclass(frozen=True)
class Title:
    """A document's kind and subject, centred (an annex in a file of its own), and a line
    saying what it is attached to."""

    kind_name: ClassVar[str] = "title"
    kind: str
    subject: tuple[str, ...]
    attached: str = ""


@dataclass(frozen=True)
class Group:
    """Blocks read as one: kept on one page (`css` says so, `keep-together`); with
    `beside`, those blocks printed to the right of them (a chart beside its table)."""

    kind_name: ClassVar[str] = "group"
    blocks: tuple[Block, ...]
    css: str = ""
    beside: tuple[Block, ...] = ()


@dataclass(frozen=True)
class Signature:
    """`Nơi nhận:` left and the signature block right (role lines, space, name)."""

    kind_name: ClassVar[str] = "signature"
    recipients_title: str
    recipients: tuple[str, ...]
    role: tuple[str, ...]
    name: str | None  # the signer's name (CauHinh), None: left for the signer to write
    placeholder: str = ""  # what the page shows where no name is given


Block = Letterhead | Title | Heading | Paragraph | Items | Table | Figure | Group | Signature


def flat(blocks: Sequence[Block]) -> Iterator[Block]:
    """The blocks in reading order, a group's own (then those beside them) in its place:
    how a renderer without columns (Word, plain text) reads them."""
    for block in blocks:
        if isinstance(block, Group):
            yield from flat(block.blocks)
            yield from flat(block.beside)
        else:
            yield block


@dataclass(frozen=True)
class Section:
    """A named part of a document. `office`: the office's own words (a Markdown cell of
    the notebook). `annex`: printed on its own pages after the signature (in Word after a
    page break; beside the report's PDF as its own file where the report says so)."""

    name: str
    blocks: tuple[Block, ...]
    office: bool = False
    annex: bool = False
    css: str = ""  # a class of the section's HTML element (e.g. the weekly's key points)

    def html(self) -> str:
        from wardbrief.document import templating

        return templating.render_section(self)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None
                          ) -> dict[str, Any]:
        """In a notebook: the section's HTML, and its name for `document.notebook` (which
        rebuilds the Word file from the notebook's order of sections)."""
        return {"text/html": self.html(), SECTION_MIME: {"section": self.name},
                "text/plain": f"<{self.name}>"}

    def _repr_html_(self) -> str:
        return self.html()

    def __str__(self) -> str:
        return self.html()

    def text(self) -> str:
        """The section as plain text (e-mail)."""
        from wardbrief.document import email

        return email.section_text(self)


@dataclass(frozen=True)
class Document:
    """A report: its name (`monthly_report`), its title for the page, its sections in
    reading order, and marks every rendering carries (DỮ LIỆU MẪU)."""

    report: str
    title: str
    sections: tuple[Section, ...]
    marks: tuple[str, ...] = ()
    page_css: str = field(default="", compare=False)

    def names(self) -> list[str]:
        return [s.name for s in self.sections]

    def section(self, name: str) -> Section:
        for s in self.sections:
            if s.name == name:
                return s
        raise KeyError(f"{self.report}: no section {name!r} (sections: {', '.join(self.names())})")

    def __getitem__(self, name: str) -> Section:
        return self.section(name)

    def __contains__(self, name: object) -> bool:
        return any(s.name == name for s in self.sections)

    def __iter__(self) -> Iterator[Section]:
        return iter(self.sections)

    def body(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if not s.annex)

    def annexes(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.annex)

    def with_sections(self, sections: Sequence[Section]) -> Document:
        return replace(self, sections=tuple(sections))

    def html(self) -> str:
        from wardbrief.document import templating

        return templating.render_document(self)

    def _repr_html_(self) -> str:
        return self.html()
