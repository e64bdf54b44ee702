"""The Word rendering of a document model (wardbrief.document.model), for signing:
python-docx in the layout of Nghị định 30/2020/NĐ-CP, Phụ lục I.

- A4 portrait; margins top/bottom 20 mm, left 30 mm, right 15 mm;
- Times New Roman (ascii, hAnsi, east-asian and complex-script names all set, so Word
  does not substitute another font), black; body 14 pt, justified, first line indented
  1 cm, 6 pt after each paragraph, lines 1.04 apart (the reminders 13 pt, no indent);
  tables, notes and the sample's notice set as the report's PDF sets them (ReportLook);
- the header: a borderless two-column table — issuing body (both lines bold, 13 pt, a
  short rule under) and `Số: …/BC-UBND` (13 pt) on the left; the national title (bold,
  12 pt), the motto (bold, 13 pt, a rule under) and the italic place-and-date line on the
  right;
- the document kind (bold, 14 pt) and its subject (bold, 14 pt, a rule under), centred;
- sections as the styles `Heading 1` / `Heading 2` (restyled: Times New Roman, black),
  tables as real Word tables (`Table Grid`, header row repeated on each page);
- `Kính gửi: …` bold and centred, as the PDF prints it;
- `Nơi nhận:` (bold italic 12 pt, its lines 11 pt) and the signature block (bold) side
  by side in a borderless two-column table, taking the last rows of the table above (or
  the paragraph before the closing one) with them to a new page;
- page numbers centred at the top from page 2: a PAGE field in the header, with a
  different (empty) first-page header;
- the document's marks (DỮ LIỆU MẪU, the synthetic sample) at the right of every page's
  header, the first's included; the notices under the title are the model's (header section).

Nothing here computes or words a figure: the document comes shaped.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph as WordParagraph

from wardbrief.document.model import (
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
from wardbrief.document.word_xml import (
    borderless,
    bottom_border,
    cant_split,
    cell_margins,
    document_defaults,
    field,
    no_wrap,
    open_bottom,
    set_font,
    shade,
    xml_text,
)

HEADER_PT = 13  # issuing body, number, motto, date line
NATION_PT = 12


@dataclass(frozen=True)
class TableLook:
    """How a table's cells are set, as the report's PDF sets them: at Word's own (single
    lines, nothing above and below the text, 5.4 pt at the sides) a long list of cases
    took a page more or less than its PDF."""

    size_pt: float
    padding_pt: tuple[float, float]  # above and below, at each side
    line: float = 1.25  # the line height, in sizes of the font (static/base.css)
    size_of: tuple[tuple[str, float], ...] = ()  # a table's class on the page -> its size

    def size(self, table: Table) -> float:
        classes = set(table.css.split())
        return next((pt for css, pt in self.size_of if css in classes), self.size_pt)


@dataclass(frozen=True)
class TextLook:
    """A paragraph style's size, weight and slant."""

    size_pt: float
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class ReportLook:
    """A report's Word file set as its PDF's stylesheet sets the page: so that the file
    signed reads as the PDF does, page for page."""

    body_pt: float  # NĐ 30: 13 to 14 pt
    indent_cm: float  # the first line of a paragraph, an item and a numbered heading
    note: TextLook  # a note under a table or a title (`p.wb-note`)
    notice: TextLook  # the sample data's notice under the title (`p.wb-notice`)
    table: TableLook


# reports/_formal.css (and static/base.css th, td); its units' table 10 pt
FORMAL_LOOK = ReportLook(14, 1.0, TextLook(11, italic=True), TextLook(11, bold=True),
                         TableLook(11, (2.5, 4), size_of=(("wb-departments", 10),)))
LOOK_OF = {  # reports/department_reminders.css: no first-line indent
    "department_reminders": ReportLook(13, 0.0, TextLook(10.5, italic=True),
                                       TextLook(10.5, italic=True), TableLook(10, (2, 3))),
}
BODY_LINES = 1.04  # the body's line spacing, in single lines (see _styles)
RECIPIENTS_TITLE_PT = 12
RECIPIENTS_PT = 11
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
PAGE_MM = (210, 297)
TEXT_WIDTH_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]  # 165
HEADER_COLUMNS_MM = (62, TEXT_WIDTH_MM - 62)
SIGNATURE_COLUMNS_MM = (80, TEXT_WIDTH_MM - 80)
HEADER_FILL = "E9EDF2"  # a table's header row, as static/base.css fills `th`
SIGNING_SPACE_LINES = 4
# what the signature takes with it to a new page: the last rows of a table just before the
# closing sentence, or the paragraph before it
SIGNATURE_TAKES_ROWS = 2
SIGNATURE_TAKES_PARAGRAPHS = 2
HAIRLINE_PT = 0.1  # the paragraph between a table and its last rows kept apart (see _tail_with_next)
TABLE_GAP_PT = 6  # after a table, before the next paragraph's own space
MARK_PT = 11
MARK_COLOUR = RGBColor(0xA3, 0, 0)  # as the PDF's mark
PLACEHOLDER_COLOUR = RGBColor(0x55, 0x55, 0x55)  # the signer's name not given (.wb-signer-name)


def write(doc: Document, path: str | Path) -> Path:
    """The Word file of `doc` at `path`: its sections in order, the annexes after the
    signature on new pages; the marks (DỮ LIỆU MẪU) in the header of every page."""
    word = DocxDocument()
    _page(word)
    look = LOOK_OF.get(doc.report, FORMAL_LOOK)
    _styles(word, look)
    _page_header(word, doc.marks)
    for section in doc.body():
        _section(word, section, look)
    for section in doc.annexes():
        breaker = word.add_paragraph()
        breaker.add_run().add_break(WD_BREAK.PAGE)
        _section(word, section, look)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    word.save(str(path))
    return path


# --- page, styles, page numbers ---------------------------------------------------------

def _page(word: Any) -> None:
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)


def _styles(word: Any, look: ReportLook) -> None:
    """Normal and the headings at the body size: what a paragraph, a heading and the
    signature are written in (they set no size of their own); Table Grid at the size
    of the tables' cells."""
    document_defaults(word)
    body_pt = look.body_pt
    normal = word.styles["Normal"]
    set_font(normal, body_pt)
    fmt = normal.paragraph_format
    # lines a little over single (NĐ 30: single to 1.5): the PDF's body runs at 1.25 of
    # its size and Word's single line of Times New Roman is about 1.15; at 1.04 every
    # body page of the formal reports printed from Word (LibreOffice) began where the
    # PDF's did, on the samples and on 5,000 cases (at 1.0, two in five did not)
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(6), BODY_LINES
    for name in ("Heading 1", "Heading 2"):
        style = word.styles[name]
        set_font(style, body_pt, bold=True, italic=False)
        pf = style.paragraph_format
        pf.space_before, pf.space_after, pf.line_spacing = Pt(6), Pt(6), 1.0
        pf.keep_with_next = True
    word.styles["Heading 2"].paragraph_format.first_line_indent = Cm(look.indent_cm)
    set_font(word.styles["Table Grid"], look.table.size_pt)


def _page_header(word: Any, marks: tuple[str, ...]) -> None:
    """PAGE centred in the top margin from page 2; the marks (DỮ LIỆU MẪU) right-aligned
    on every page, the first's included."""
    section = word.sections[0]
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field(paragraph, "PAGE", "2")
    for run in paragraph.runs:
        set_font(run, HEADER_PT)
    section.first_page_header.paragraphs[0].text = ""
    for mark in marks:
        for line in (section.header.add_paragraph(), section.first_page_header.paragraphs[0]
                     if not section.first_page_header.paragraphs[0].text
                     else section.first_page_header.add_paragraph()):
            line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run = line.add_run(xml_text(mark))
            set_font(run, MARK_PT, bold=True)
            run.font.color.rgb = MARK_COLOUR


# --- small writers --------------------------------------------------------------------

def _paragraph(container: Any, text: str, *, size: float | None = None, bold: bool = False,
               italic: bool = False, align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY,
               indent_cm: float = 0.0, after: float = 6, style: str | None = None
               ) -> WordParagraph:
    paragraph = container.add_paragraph(style=style) if style else container.add_paragraph()
    paragraph.alignment = align
    pf = paragraph.paragraph_format
    pf.space_after = Pt(after)
    pf.first_line_indent = Cm(indent_cm)
    run = paragraph.add_run(xml_text(text))
    set_font(run, size, bold=bold, italic=italic)
    return paragraph


def _cell_paragraph(cell: Any, text: str, *, size: float | None, bold: bool = False,
                    italic: bool = False, align: Any = WD_ALIGN_PARAGRAPH.CENTER,
                    first: bool = False, line_pt: float | None = None) -> WordParagraph:
    """A paragraph of `cell` (its first when `first`); lines `line_pt` apart exactly, else
    single."""
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    if paragraph._p.pPr is None:  # new: a copy of the properties made once per look
        paragraph._p.insert(0, copy.deepcopy(_cell_paragraph_properties(align, line_pt)))
    else:
        _set_cell_paragraph(paragraph, align, line_pt)
    if text:
        set_font(paragraph.add_run(xml_text(text)), size, bold=bold, italic=italic)
    return paragraph


def _set_cell_paragraph(paragraph: WordParagraph, align: Any, line_pt: float | None) -> None:
    paragraph.alignment = align
    pf = paragraph.paragraph_format
    pf.space_after, pf.space_before, pf.first_line_indent = Pt(0), Pt(0), Cm(0)
    if line_pt is not None:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(line_pt)


@functools.cache
def _cell_paragraph_properties(align: Any, line_pt: float | None) -> Any:
    """`w:pPr` of a table cell's paragraph as _set_cell_paragraph writes it."""
    paragraph = DocxDocument().add_paragraph()
    _set_cell_paragraph(paragraph, align, line_pt)
    return paragraph._p.pPr


def _rule(container: Any, width_mm: float, column_mm: float) -> None:
    """A short solid line, centred: an empty paragraph with a bottom border, indented."""
    paragraph = _cell_paragraph(container, "", size=4)
    side = max((column_mm - width_mm) / 2, 0)
    paragraph.paragraph_format.left_indent = Mm(side)
    paragraph.paragraph_format.right_indent = Mm(side)
    bottom_border(paragraph)
    set_font(paragraph.add_run(), 4)


def _widths(table: WordTable, widths_mm: Iterable[float]) -> None:
    table.autofit = False
    widths = [Mm(width) for width in widths_mm]
    for column, width in zip(table.columns, widths, strict=False):
        column.width = width
    for row in table.rows:  # row by row: a column's cells are found from the whole grid
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width


def _two_columns(word: Any, widths_mm: tuple[float, float], rows: int = 1) -> WordTable:
    table = word.add_table(rows=rows, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    borderless(table)
    _widths(table, widths_mm)
    return table


# --- the blocks -----------------------------------------------------------------------

def _section(word: Any, section: Section, look: ReportLook) -> None:
    for block in flat(section.blocks):  # a group's blocks one after the other
        if isinstance(block, Letterhead):
            _letterhead(word, block)
        elif isinstance(block, Heading):
            _heading(word, block, look)
        elif isinstance(block, Table):
            _table(word, block, look.table)
        elif isinstance(block, Signature):
            _signature(word, block)
        elif isinstance(block, Figure):
            _paragraph(word, block.caption, italic=True, size=12,
                       align=WD_ALIGN_PARAGRAPH.CENTER)
        elif isinstance(block, Items):
            for n, line in enumerate(block.lines, start=1):
                _paragraph(word, f"{n}. {line}" if block.ordered else f"- {line}",
                           indent_cm=look.indent_cm)
        elif isinstance(block, Title):
            for line in (block.kind, *block.subject):
                _paragraph(word, line, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
                           after=0).paragraph_format.keep_with_next = True
            if block.attached:
                _paragraph(word, block.attached, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        else:
            _text(word, block, look)


def _letterhead(word: Any, head: Letterhead) -> None:
    table = _two_columns(word, HEADER_COLUMNS_MM, rows=2)
    left, right = table.rows[0].cells
    for i, line in enumerate(head.issuer):
        _cell_paragraph(left, line, size=HEADER_PT, bold=True, first=i == 0)
    _rule(left, 22, HEADER_COLUMNS_MM[0])
    _cell_paragraph(right, head.nation, size=NATION_PT, bold=True, first=True)
    _cell_paragraph(right, head.motto, size=HEADER_PT, bold=True)
    _rule(right, 60, HEADER_COLUMNS_MM[1])  # about the motto's length at 13 pt
    number, date_line = table.rows[1].cells
    _cell_paragraph(number, head.number, size=HEADER_PT, first=True)
    _cell_paragraph(date_line, head.date_line, size=HEADER_PT, italic=True, first=True)
    for cell in table.rows[1].cells:
        cell.paragraphs[0].paragraph_format.space_before = Pt(4)
    first = _paragraph(word, head.title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    first.paragraph_format.space_before = Pt(18)
    first.paragraph_format.keep_with_next = True
    for line in head.subject:
        _paragraph(word, line, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
                   after=0).paragraph_format.keep_with_next = True
    _rule(word, 40, TEXT_WIDTH_MM)
    word.add_paragraph().paragraph_format.space_after = Pt(0)
    if head.addressee:  # bold, as the PDF prints it (reports/department_reminders.css)
        _paragraph(word, head.addressee, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)


def _heading(word: Any, heading: Heading, look: ReportLook) -> None:
    if heading.level <= 1:
        _paragraph(word, heading.text, bold=True, style="Heading 1",
                   align=WD_ALIGN_PARAGRAPH.LEFT)
    else:
        _paragraph(word, heading.text, bold=True, style="Heading 2",
                   align=WD_ALIGN_PARAGRAPH.LEFT, indent_cm=look.indent_cm)


def _text(word: Any, block: Paragraph, look: ReportLook) -> None:
    if block.style == "caption":
        _paragraph(word, block.text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
                   size=13).paragraph_format.keep_with_next = True
    elif block.style in ("note", "notice"):
        text = look.notice if block.style == "notice" else look.note
        _paragraph(word, block.text, size=text.size_pt, bold=text.bold, italic=text.italic)
    elif block.style in ("centred", "issuer"):
        _paragraph(word, block.text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
                   after=0)
    elif block.style == "italic":
        _paragraph(word, block.text, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER,
                   size=13, after=12)
    else:  # body, item, lead
        paragraph = _paragraph(word, block.text, indent_cm=look.indent_cm)
        if block.style == "lead":  # a lead-in stays with what it introduces
            paragraph.paragraph_format.keep_with_next = True


def _table(word: Any, shaped: Table, look: TableLook) -> WordTable:
    rows = len(shaped.rows) + 1 + (1 if shaped.foot else 0)
    table = word.add_table(rows=rows, cols=len(shaped.header))
    table.style = word.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = shaped.widths or (1.0,) * len(shaped.header)  # sized by a page's stylesheet
    _widths(table, [TEXT_WIDTH_MM * w / sum(widths) for w in widths])
    cell_margins(table, *look.padding_pt)
    size = look.size(shaped)
    line_pt = size * look.line
    header_row = table.rows[0]
    tr_pr = header_row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for cell, text in zip(header_row.cells, shaped.header, strict=True):
        _cell_paragraph(cell, text, size=size, bold=True, first=True, line_pt=line_pt)
        shade(cell, HEADER_FILL)
    body = list(shaped.rows) + ([shaped.foot] if shaped.foot else [])
    nowrap = shaped.nowrap or (False,) * len(shaped.header)
    for row in table.rows:  # a row is never cut across two pages
        cant_split(row._tr)
    for r, values in enumerate(body, start=1):
        bold = bool(shaped.foot) and r == len(body)
        for cell, text, numeric, keep in zip(table.rows[r].cells, values, shaped.numeric,
                                             nowrap, strict=True):
            _cell_paragraph(cell, text, size=size, bold=bold, first=True, line_pt=line_pt,
                            align=WD_ALIGN_PARAGRAPH.RIGHT if numeric
                            else WD_ALIGN_PARAGRAPH.LEFT)
            if keep:
                no_wrap(cell)
    _keep_rows_together(table, len(body))
    _gap(word, TABLE_GAP_PT)
    return table


def _gap(word: Any, height_pt: float) -> None:
    """An empty paragraph exactly `height_pt` high: the space after a table (a body-size
    empty line there pushed a one-page reminder's signature onto a second page)."""
    pf = word.add_paragraph().paragraph_format
    pf.space_before, pf.space_after = Pt(0), Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(height_pt)


def _keep_rows_together(table: WordTable, body_rows: int) -> None:
    """No row left alone on a page: the header and the first row stay with the row
    after them, and the row before the last (the total, when there is one) with it —
    keep-with-next on a row's paragraphs binds the row to the next one (Word and
    LibreOffice alike)."""
    for index in {0} if body_rows < 2 else {0, 1, body_rows - 1}:
        for cell in table.rows[index].cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def _keep_with_signature(word: Any) -> None:
    """What goes to the next page with the signature when it does not fit: the closing
    paragraph(s) back to the end of the last table (its last rows) or, with no table
    just before, the paragraph before the closing one — as the PDF, where the ask stays
    with the end of the last list (reports/department_reminders.css). Keep-with-next on
    a paragraph, and on a row's paragraphs, binds each to what follows."""
    texts = 0
    for element in reversed(word.element.body):
        if element.tag == qn("w:tbl"):
            _tail_with_next(element)
            return
        if element.tag == qn("w:p"):
            paragraph = WordParagraph(element, word._body)
            paragraph.paragraph_format.keep_with_next = True
            texts += bool(paragraph.text.strip())
            if texts == SIGNATURE_TAKES_PARAGRAPHS:
                return


def _tail_with_next(tbl: Any) -> None:
    """The last SIGNATURE_TAKES_ROWS rows of a table (`w:tbl`) kept with what follows it.
    LibreOffice keeps a table's last row with the next paragraph only while the table
    has not run over a page break (a table's continuation on the next page never gives
    up its last rows), so those rows are a table of their own, after a hairline
    paragraph: the table above has no bottom rule, the rows' own top rule closes it on
    the page, and on a new page the rows carry their rules (not the header)."""
    rows = tbl.findall(qn("w:tr"))
    body = [tr for tr in rows if tr.trPr is None or tr.trPr.find(qn("w:tblHeader")) is None]
    kept = body[-SIGNATURE_TAKES_ROWS:] if len(body) > SIGNATURE_TAKES_ROWS else rows
    for tr in kept:
        cant_split(tr)
        for p in tr.iter(qn("w:p")):
            p.get_or_add_pPr().get_or_add_keepNext()
    if kept is rows:  # a short table goes whole
        return
    tail = copy.deepcopy(tbl)
    for tr in tail.findall(qn("w:tr")):
        tail.remove(tr)
    for tr in kept:
        tail.append(tr)  # moved from the table above
    open_bottom(tbl)
    hairline = OxmlElement("w:p")
    tbl.addnext(hairline)
    hairline.addnext(tail)
    pf = WordParagraph(hairline, None).paragraph_format
    pf.space_before, pf.space_after, pf.keep_with_next = Pt(0), Pt(0), True
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(HAIRLINE_PT)


def _signature(word: Any, signature: Signature) -> None:
    """`Nơi nhận:` and the signature, kept on the page of what precedes them: no page
    holds only a signature (nor only the closing sentence and a signature)."""
    _keep_with_signature(word)
    spacer = word.add_paragraph()
    spacer.paragraph_format.space_after = Pt(0)
    spacer.paragraph_format.keep_with_next = True
    table = _two_columns(word, SIGNATURE_COLUMNS_MM)
    cant_split(table.rows[0]._tr)
    left, right = table.rows[0].cells
    _cell_paragraph(left, signature.recipients_title, size=RECIPIENTS_TITLE_PT, bold=True,
                    italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, first=True)
    for line in signature.recipients:
        _cell_paragraph(left, line, size=RECIPIENTS_PT, align=WD_ALIGN_PARAGRAPH.LEFT)
    for i, line in enumerate(signature.role):
        _cell_paragraph(right, line, size=None, bold=True, first=i == 0)
    for _ in range(SIGNING_SPACE_LINES):
        _cell_paragraph(right, "", size=None)
    # the signer's name, else what the PDF shows there ("(Ký, ghi rõ họ tên)"), in its grey
    name = _cell_paragraph(right, signature.name or signature.placeholder, size=None,
                           bold=True)
    if not signature.name:
        for run in name.runs:
            run.font.color.rgb = PLACEHOLDER_COLOUR
