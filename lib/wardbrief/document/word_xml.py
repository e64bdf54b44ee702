"""WordprocessingML that python-docx has no call for, written element by element for
document.word: Times New Roman for every script of a run or style and in the document
defaults, a complex field (PAGE), table borders (none; none under the last row) and cell
padding, a cell's fill, rows kept whole, cells that do not wrap; text a Word file cannot
hold taken out.

Each element goes where the schema (ECMA-376 part 1) puts it among its siblings: Word
refuses a file ("unreadable content") where one stands before its predecessor.
"""

from __future__ import annotations

import copy
import functools
import re
import unicodedata
from typing import Any

from docx import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph as WordParagraph

FONT = "Times New Roman"
BLACK = RGBColor(0, 0, 0)


# Characters an XML document cannot hold (a name typed in the sheet might carry one).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text as Word holds it: composed (NFC, as the page prints it: a name typed with
    combining accents reads and searches like any other), without what XML cannot hold."""
    return _NOT_XML.sub("", unicodedata.normalize("NFC", text))


def set_font(target: Any, size: float | None = None, bold: bool | None = None,
             italic: bool | None = None) -> None:
    """Times New Roman for every script of a style or run (`w:rFonts` ascii, hAnsi,
    eastAsia, cs), black. A new run gets a copy of the run properties made once for its
    size, weight and slant (what the steps below write, element for element: python-docx
    takes a millisecond a run to write them, and a report has a thousand runs)."""
    r = getattr(target, "_r", None)
    if r is not None and r.rPr is None:
        r.insert(0, copy.deepcopy(_run_properties(size, bold, italic)))
    else:
        _set_font(target, size, bold, italic)


def _set_font(target: Any, size: float | None, bold: bool | None, italic: bool | None) -> None:
    font = target.font
    font.name = FONT
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    font.color.rgb = BLACK
    r_pr = target.element.get_or_add_rPr()
    _every_script(r_pr)
    if size is not None:  # complex-script size too
        cs = r_pr.find(qn("w:szCs"))
        if cs is None:
            cs = OxmlElement("w:szCs")
            r_pr.append(cs)
        cs.set(qn("w:val"), str(int(size * 2)))


def _every_script(r_pr: Any) -> None:
    """FONT for every script of a `w:rPr` (`w:rFonts` ascii, hAnsi, eastAsia, cs; its
    first child), the theme's fonts dropped."""
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


@functools.cache
def _run_properties(size: float | None, bold: bool | None, italic: bool | None) -> Any:
    """`w:rPr` of a new run as set_font's slow path writes it (schema order)."""
    word = DocxDocument()
    run = word.add_paragraph().add_run()
    _set_font(run, size, bold, italic)
    return run._r.rPr


def document_defaults(word: Any) -> None:
    """Times New Roman in the document defaults too (`w:docDefaults`), not the theme's."""
    defaults = word.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        word.styles.element.insert(0, defaults)
    holder = defaults.find(qn("w:rPrDefault"))
    if holder is None:
        holder = OxmlElement("w:rPrDefault")
        defaults.insert(0, holder)
    r_pr = holder.find(qn("w:rPr"))
    if r_pr is None:
        r_pr = OxmlElement("w:rPr")
        holder.append(r_pr)
    _every_script(r_pr)
    # kerned, as the PDF's text is (WeasyPrint kerns): a line the PDF fits on the page
    # fits in the Word file too (a bold `Kính gửi: …` ran its last word onto a line alone)
    if r_pr.find(qn("w:kern")) is None:
        kern = OxmlElement("w:kern")
        kern.set(qn("w:val"), "1")  # half-points: every size from 0.5 pt
        r_pr.insert_element_before(kern, *_AFTER_KERN)


# what follows `w:kern` in a `w:rPr` (the schema's order)
_AFTER_KERN = ("w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr",
               "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
               "w:eastAsianLayout", "w:specVanish", "w:oMath")


def field(paragraph: WordParagraph, instruction: str, shown: str) -> None:
    """A complex field (`w:fldChar` begin / instrText / separate / result / end)."""
    def char(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    paragraph.add_run()._r.append(char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    paragraph.add_run()._r.append(char("separate"))
    paragraph.add_run(shown)
    paragraph.add_run()._r.append(char("end"))


# what follows `w:pBdr` in a `w:pPr` (the schema's order)
_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
               "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
               "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
               "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
               "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
               "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


# what follows `w:tblBorders` in a `w:tblPr`, and `w:tblCellMar` (the schema's order)
_AFTER_TBL_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
                      "w:tblDescription", "w:tblPrChange")
_AFTER_TBL_CELL_MAR = _AFTER_TBL_BORDERS[_AFTER_TBL_BORDERS.index("w:tblCellMar") + 1:]


def _table_borders(tbl: Any) -> Any:
    """The table's own `w:tblBorders`, added in its place when it has none."""
    tbl_pr = tbl.tblPr
    borders = tbl_pr.find(qn("w:tblBorders"))
    if borders is None:
        borders = OxmlElement("w:tblBorders")
        tbl_pr.insert_element_before(borders, *_AFTER_TBL_BORDERS)
    return borders


def borderless(table: WordTable) -> None:
    """No border around or inside a new table (the header, the signature)."""
    borders = _table_borders(table._tbl)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)


def open_bottom(tbl: Any) -> None:
    """No rule under a table's last row (`w:tblBorders/w:bottom` nil)."""
    borders = _table_borders(tbl)
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "nil")
    # schema order of the edges: top, left/start, bottom, right/end, insideH, insideV
    later = [e for e in borders if e.tag in {qn(f"w:{n}") for n in (
        "right", "end", "insideH", "insideV")}]
    if later:
        later[0].addprevious(bottom)
    else:
        borders.append(bottom)


def cell_margins(table: WordTable, vertical_pt: float, side_pt: float) -> None:
    """Every cell's padding (`w:tblCellMar`, in twentieths of a point)."""
    margins = OxmlElement("w:tblCellMar")
    for edge, points in (("top", vertical_pt), ("left", side_pt), ("bottom", vertical_pt),
                         ("right", side_pt)):
        margin = OxmlElement(f"w:{edge}")
        margin.set(qn("w:w"), str(round(points * 20)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblCellMar")):
        tbl_pr.remove(old)
    tbl_pr.insert_element_before(margins, *_AFTER_TBL_CELL_MAR)


def cant_split(tr: Any) -> None:
    """`w:cantSplit` on a row (`w:tr`): the row moves to the next page whole."""
    tr_pr = tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.append(OxmlElement("w:cantSplit"))


def shade(cell: Any, fill: str) -> None:
    """The cell's background (`w:shd`, in the schema's place within `w:tcPr`)."""
    element = OxmlElement("w:shd")
    for attr, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)):
        element.set(qn(attr), value)
    cell._tc.get_or_add_tcPr().insert_element_before(
        element, "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign",
        "w:hideMark", "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange")


def no_wrap(cell: Any) -> None:
    """`w:noWrap`: a date or a case number stays on one line."""
    tc_pr = cell._tc.get_or_add_tcPr()
    if tc_pr.find(qn("w:noWrap")) is None:
        tc_pr.append(OxmlElement("w:noWrap"))


def bottom_border(paragraph: WordParagraph) -> None:
    """A thin solid line under `paragraph` (`w:pBdr`)."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for attr, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"),
                        ("w:color", "000000")):
        bottom.set(qn(attr), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_PBDR)
