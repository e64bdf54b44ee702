"""The tracking tables: `Theo dõi` (every open case with its due date, working days left
and state, most urgent first; the tasks not completed) and `Lỗi dữ liệu` (the data
issues, a link to each cell) — as rows for the Google Sheet's tabs
(sheet_writeback.publish_summary) and as `theo-doi.xlsx` for a local workbook.

theo-doi.xlsx is printed as it is kept: each table on a tab of its own (the open cases
on `Theo dõi`, the tasks on `Theo dõi nhiệm vụ`, the issues on `Lỗi dữ liệu`), so that
its header row is frozen on screen and repeated at the top of each printed page (a tab
repeats one row only); landscape A4 the width of the table; a column wide enough for a
date on one line, longer text wrapped in its cell; DỮ LIỆU MẪU in each page's header when
the figures come from the sample, `Trang n/m` in its footer. No citizen's name, phone or
text: the tables hold codes, units, dates and states.
"""

from __future__ import annotations

import datetime as dt
import os
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wardbrief.briefings import fmt, labels
from wardbrief.figures import exports
from wardbrief.read import schema

# --- the rows ---------------------------------------------------------------------------


def _department_label(metrics: Mapping[str, Any], code: str | None) -> str:
    if not code or code == schema.UNASSIGNED:
        return labels.UNASSIGNED
    info = (metrics.get("departments") or {}).get(code) or {}
    return str(info.get("name") or code)


def tracking_case_rows(metrics: Mapping[str, Any]) -> list[list[Any]]:
    """Header + every open case of metrics `open_cases`, in its order (most urgent first)."""
    return _export_rows(exports.OPEN_CASE_COLUMNS, metrics.get("open_cases") or [], lambda case: {
        "department": _department_label(metrics, case.get("department"))})


def tracking_task_rows(metrics: Mapping[str, Any]) -> list[list[Any]]:
    """Header + the tasks not completed of metrics `open_tasks`, in its order."""
    return _export_rows(exports.OPEN_TASK_COLUMNS, metrics.get("open_tasks") or [], lambda task: {
        "lead": _department_label(metrics, task.get("lead")),
        "due": task.get("due") or labels.NO_DEADLINE})


def _export_rows(columns: Sequence[exports.ExportColumn], records: Sequence[Mapping[str, Any]],
                 shown: Callable[[Mapping[str, Any]], dict[str, Any]]) -> list[list[Any]]:
    """Header + a row per record: `shown` over its own values, then exports.shown (codes as
    words); a `date` column's value as a date (a date cell in theo-doi.xlsx)."""
    rows: list[list[Any]] = [[c.header for c in columns]]
    for record in records:
        values = {**record, **shown(record)}
        rows.append([_cell(exports.shown(c, values), c.format == "date") for c in columns])
    return rows


def _cell(value: Any, date: bool = False) -> Any:
    if value is None:
        return ""
    if date and isinstance(value, str) and value[:1].isdigit():
        return dt.date.fromisoformat(value)
    return value if isinstance(value, (int, float, str)) else str(value)


def _head(metrics: Mapping[str, Any], heading: str) -> list[list[Any]]:
    """The first rows of a tracking tab: its title (marked), the note, its heading."""
    title = labels.TRACKING_TITLE.format(as_of=fmt.date_vn(metrics.get("as_of")))
    return [[_marked(metrics, title)], [labels.WRITTEN_TAB_NOTE], [], [heading]]


def _cases_part(metrics: Mapping[str, Any]) -> list[list[Any]]:
    cases = tracking_case_rows(metrics)
    return cases if len(cases) > 1 else [[labels.TRACKING_CASES_EMPTY]]


def _tasks_part(metrics: Mapping[str, Any]) -> list[list[Any]]:
    tasks = tracking_task_rows(metrics)
    return tasks if len(tasks) > 1 else [[labels.TRACKING_TASKS_EMPTY]]


def tracking_rows(metrics: Mapping[str, Any]) -> list[list[Any]]:
    """Every row of the `Theo dõi` tab: the open cases, then the tasks not completed."""
    return [*_head(metrics, labels.TRACKING_CASES_HEADING), *_cases_part(metrics),
            [], [labels.TRACKING_TASKS_HEADING], *_tasks_part(metrics)]


def _marked(metrics: Mapping[str, Any], title: str) -> str:
    """A tab's title, after DỮ LIỆU MẪU when the figures come from the synthetic sample."""
    mark = labels.demo_mark(metrics)
    return f"{mark} — {title}" if mark else title


def issue_rows(metrics: Mapping[str, Any], generated_at: dt.datetime) -> list[list[Any]]:
    """Every row of the `Lỗi dữ liệu` tab: the data issues in metrics order, each with
    the URL of its cell when the source is a Google Sheet (text: written RAW, Sheets shows
    it as a link)."""
    rows: list[list[Any]] = [
        [_marked(metrics, labels.ISSUES_TAB_TITLE.format(when=fmt.datetime_vn(generated_at)))],
        [labels.WRITTEN_TAB_NOTE],
        [],
        [c.header for c in exports.ISSUE_COLUMNS],
    ]
    for issue in metrics.get("data_issues") or []:
        shown = {**issue, "column": issue.get("column") or labels.ISSUES_WHOLE_TAB}
        rows.append([_cell(exports.shown(c, shown)) for c in exports.ISSUE_COLUMNS])
    if len(rows) == 4:
        rows.append([labels.ISSUES_NONE])
    return rows


# --- theo-doi.xlsx ----------------------------------------------------------------------


@dataclass(frozen=True)
class Tab:
    """A tab of theo-doi.xlsx: its title, its rows, its columns' widths (characters, A
    onwards) and the row of its column headers (1-based: frozen, repeated on each page)."""

    title: str
    rows: list[list[Any]]
    widths: tuple[float, ...]
    header_row: int


# Widths in characters of the default font: a date (dd/mm/yyyy) and a case or task code
# on one line at any zoom, a unit's name mostly on one; the headers and longer text wrap.
CASE_WIDTHS = (17, 36, 15, 13, 20, 15)
TASK_WIDTHS = (14, 44, 22, 26, 14, 15, 20)
ISSUE_WIDTHS = (11, 14, 7, 8, 22, 60, 30)
A4 = 9  # the spreadsheet's paper size code
# Times New Roman as the PDF and the Word files (Liberation Serif, its metric twin, where
# it is not installed): a column's width is counted in its characters, and a font the
# machine lacks (Calibri, openpyxl's default) is replaced by a wider one that overran them
FONT, FONT_PT = "Times New Roman", 11
LINE_PT = 14  # a wrapped row's height per line
# letters of Vietnamese text in FONT per unit of column width (the width of a digit), as
# LibreOffice wraps them; bold is wider
CHARS_PER_UNIT, CHARS_PER_UNIT_BOLD = 1.15, 1.0


def tracking_tabs(metrics: Mapping[str, Any], generated_at: dt.datetime) -> list[Tab]:
    """The tabs of theo-doi.xlsx, each table on its own."""
    return [
        Tab(schema.TRACKING_TAB, [*_head(metrics, labels.TRACKING_CASES_HEADING),
                           *_cases_part(metrics)], CASE_WIDTHS, 5),
        Tab(labels.TRACKING_TASKS_TAB, [*_head(metrics, labels.TRACKING_TASKS_HEADING),
                                        *_tasks_part(metrics)], TASK_WIDTHS, 5),
        Tab(schema.ISSUES_TAB, issue_rows(metrics, generated_at), ISSUE_WIDTHS, 4),
    ]


def write_tracking_workbook(metrics: Mapping[str, Any], target: Path, *,
                            generated_at: dt.datetime | None = None) -> Path:
    """`theo-doi.xlsx`: the tracking tabs for a local workbook, streamed row by row
    (openpyxl's write-only mode: a week of a large ward has tens of thousands of open
    cases) to a temporary file and renamed into place."""
    from openpyxl import Workbook as XlsxWorkbook

    when = generated_at or dt.datetime.now().astimezone()
    book = XlsxWorkbook(write_only=True)
    _default_font(book)
    for tab in tracking_tabs(metrics, when):
        _fill(book.create_sheet(tab.title), tab, labels.demo_mark(metrics))
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")  # killed: run.store repairs
    try:
        book.save(tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def _default_font(book: Any) -> None:
    """FONT for every cell without a font of its own. openpyxl has no setting for it: the
    workbook's default font is its first font and the `Normal` style's (styles.xml), set
    here before any cell is written (a cell's own style is one more cell object a row:
    twice the time for tens of thousands of rows)."""
    from openpyxl.styles import Font
    from openpyxl.utils.indexed_list import IndexedList

    font = Font(name=FONT, size=FONT_PT, family=1)  # family 1: a roman (serif) face
    book._fonts = IndexedList([font])
    book._named_styles["Normal"].font = font


def _per_line(width: float, bold: bool) -> int:
    """How many letters a line of a wrapped cell `width` characters wide holds."""
    return max(int(width * (CHARS_PER_UNIT_BOLD if bold else CHARS_PER_UNIT)) - 1, 1)


def _lines(row: Sequence[Any], per_line: Sequence[int]) -> int:
    """How many lines the row takes, its longer text wrapped (most rows: one)."""
    lines = 1
    for value, letters in zip(row, per_line, strict=False):
        if isinstance(value, str) and len(value) > letters:
            lines = max(lines, len(textwrap.wrap(value, letters)))
    return lines


def _print_setup(sheet: Any, tab: Tab, mark: str | None) -> None:
    """Frozen header, the header repeated on each printed page, landscape A4 one page
    wide, the mark and `Trang n/m` on every page."""
    from openpyxl.utils import get_column_letter

    for i, width in enumerate(tab.widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = f"A{tab.header_row + 1}"
    sheet.print_title_rows = f"{tab.header_row}:{tab.header_row}"
    setup = sheet.page_setup
    setup.paperSize, setup.orientation = A4, "landscape"
    setup.fitToWidth, setup.fitToHeight = 1, 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = True
    margins = sheet.page_margins
    margins.left = margins.right = 0.5
    margins.top = margins.bottom = 0.6
    margins.header = margins.footer = 0.3
    if mark:
        sheet.oddHeader.right.text = f"&B{mark}"
        sheet.oddHeader.right.color = "A30000"  # as the PDF's mark
    sheet.oddFooter.center.text = labels.TRACKING_PAGE.format(page="&P", pages="&N")


def _fill(sheet: Any, tab: Tab, mark: str | None) -> None:
    """Cells as values, never formulas: text that starts with `=` is stored as text. Title,
    headings and header rows bold; a row with text longer than its column wraps, top
    aligned. `sheet` is a write-only worksheet: layout first, then the rows in order."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    _print_setup(sheet, tab, mark)
    headers = {c.header for c in (*exports.OPEN_CASE_COLUMNS, *exports.OPEN_TASK_COLUMNS,
                                  *exports.ISSUE_COLUMNS)}
    bold_font = Font(name=FONT, size=FONT_PT, family=1, bold=True)
    wrapped = Alignment(wrap_text=True, vertical="top")

    def cell(value: Any, bold: bool, wrap: bool) -> Any:
        formula_like = isinstance(value, str) and value.startswith("=")
        if value == "":
            return None
        if not (bold or wrap or formula_like or isinstance(value, dt.date)):
            return value  # written as the value's own type
        written = WriteOnlyCell(sheet, value=value)
        if formula_like:
            written.data_type = "s"
        elif isinstance(value, dt.date):  # a date cell, shown as staff write dates
            written.number_format = "DD/MM/YYYY"
        if bold:
            written.font = bold_font
        if wrap:
            written.alignment = wrapped
        return written

    per_line = {bold: [_per_line(w, bold) for w in tab.widths] for bold in (False, True)}
    for r, row in enumerate(tab.rows, start=1):
        # row 2 is the "do not type here" note; a one-cell row (a title) runs on, unwrapped
        bold = r != 2 and (len(row) == 1 or (bool(row) and row[0] in headers))
        lines = _lines(row, per_line[bold]) if len(row) > 1 else 1
        if lines > 1:  # set before the row is written (write-only); spreadsheets do not
            sheet.row_dimensions[r].height = lines * LINE_PT  # all grow a row to its text
        sheet.append([cell(value, bold, lines > 1) for value in row])
