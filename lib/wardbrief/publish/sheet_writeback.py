"""Writing to the ward's Google Sheet (write scope): `wardbrief sheet init` and `sheet publish`.

init    adds the contract's tabs that the spreadsheet lacks (matched by the contract's
        key, so `Đơn vị` counts as DonVi), with the canonical Vietnamese headers and
        dropdowns (data validation), and sets the spreadsheet's locale to vi_VN and its
        time zone to Asia/Ho_Chi_Minh (so typed dates are read day-first) — all in one
        atomic `spreadsheets.batchUpdate`. Tabs that exist are never touched.
publish writes the `Tổng hợp` tab (created, or cleared and rewritten): the department
        table and the accountability list, from the metrics dict; the `Theo dõi` tab: every
        open case with its due date, working days left and state, most urgent first, then
        the tasks not completed (metrics `open_cases`, `open_tasks`); and the `Lỗi dữ liệu`
        tab: the data issues with a link to each cell (those two tabs' rows:
        publish.tracking). Values are sent with
        `valueInputOption=RAW`, so a citizen's text that begins with `=`, `+`, `-` or `@`
        stays text and is never run as a formula. The three tabs are output only: the
        reader skips them (`gsheet.is_summary_tab`). For a local workbook the same
        tables go to `theo-doi.xlsx` (publish.tracking.write_tracking_workbook).

The tables are built by pure functions (metrics dict -> list of rows), tested without a
server; the functions that talk to the API take a gspread client from
`wardbrief.read.sources.gsheet.connect(write=True)`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import gspread
from gspread.utils import absolute_range_name

from wardbrief.briefings import fmt, labels
from wardbrief.briefings.marks import stale_banner
from wardbrief.figures import exports
from wardbrief.publish.tracking import issue_rows, tracking_rows
from wardbrief.read import schema
from wardbrief.read.names import key, tab_key
from wardbrief.read.schema import ISSUES_TAB, SUMMARY_TAB, TRACKING_TAB
from wardbrief.read.sources.gsheet import spreadsheet_url
from wardbrief.read.sources.sheet_locale import VIETNAM_LOCALE, VIETNAM_TIME_ZONE

ADMIN_FIELDS = (
    "spreadsheetId,properties(title),"
    "sheets(properties(sheetId,title,index,sheetType,gridProperties(rowCount,columnCount)))"
)

# --- init: the dropdowns ----------------------------------------------------------------

# PhanAnh `Trạng thái`: the contract's status words, as staff should type them. Every one
# is a known answered/open key or a "returned" word (tests check it against the schema).
STATUS_CHOICES = (
    "Mới tiếp nhận", "Đã giao", "Đang xử lý", "Đang xác minh", "Đã gia hạn",
    "Đã trả lời", "Đã xử lý", "Hoàn thành",
    "Trả lại", "Không thuộc thẩm quyền", "Trùng lặp", "Đã hủy",
)
RATING_CHOICES = ("Hài lòng", "Chưa hài lòng")
DAY_KIND_CHOICES = ("Nghỉ", "Làm bù")
# (tab, field, choices, strict). Status stays free text (strict=False: Sheets warns, the
# contract reader already accepts many spellings); rating and day kind are closed lists.
LIST_DROPDOWNS: tuple[tuple[str, str, Sequence[str], bool], ...] = (
    ("PhanAnh", "status", STATUS_CHOICES, False),
    ("PhanAnh", "rating", RATING_CHOICES, True),
    ("NgayNghi", "kind", DAY_KIND_CHOICES, True),
)
# Columns that name one department: a dropdown of the DonVi codes (not strict: a name or
# alias is accepted by the contract too). `Đơn vị phối hợp` holds several, so none there.
DEPARTMENT_FIELDS: tuple[tuple[str, str], ...] = (
    ("PhanAnh", "department"),
    ("NhiemVu", "lead"),
    ("TruyenThong", "department"),
)
# CauHinh starts with the contract's defaults written out, so staff see what to change
# (not the demo mark: a ward's own sheet is not a sample).
DEFAULT_SETTINGS: tuple[tuple[str, Any], ...] = tuple((s.label, s.default) for s in schema.SETTINGS
                                                      if s.name != "demo")
NEW_TAB_ROWS = 1000


@dataclass(frozen=True)
class SheetInfo:
    title: str
    sheet_id: int
    row_count: int = NEW_TAB_ROWS
    column_count: int = 26


def sheets_of(metadata: Mapping[str, Any]) -> list[SheetInfo]:
    out = []
    for sheet in metadata.get("sheets", []):
        props = sheet.get("properties", {})
        grid = props.get("gridProperties", {})
        out.append(SheetInfo(props["title"], int(props.get("sheetId", 0)),
                             int(grid.get("rowCount", NEW_TAB_ROWS)),
                             int(grid.get("columnCount", 26))))
    return out


def find_tab(sheets: Iterable[SheetInfo], tab: schema.Tab) -> SheetInfo | None:
    """The existing tab that the contract reader would take as `tab` (by tab key)."""
    wanted = tab.title_keys()
    return next((s for s in sheets if tab_key(s.title) in wanted), None)


def missing_tabs(sheets: Iterable[SheetInfo]) -> list[schema.Tab]:
    present = list(sheets)
    return [tab for tab in schema.TABS if find_tab(present, tab) is None]


def new_sheet_ids(taken: Iterable[int], count: int) -> list[int]:
    """Ids for the tabs we add, chosen by us so that one batchUpdate can also place the
    headers and dropdowns on them."""
    used = set(taken)
    out: list[int] = []
    candidate = 1_000_001
    while len(out) < count:
        if candidate not in used:
            out.append(candidate)
            used.add(candidate)
        candidate += 1
    return out


def department_range_formula(donvi_title: str, code_column: int = 1, header_row: int = 1) -> str:
    """`='DonVi'!$A$2:$A`: the codes of DonVi, below its header row (1-based inputs)."""
    letters = gspread.utils.rowcol_to_a1(1, code_column).rstrip("0123456789")
    quoted = absolute_range_name(donvi_title)
    return f"={quoted}!${letters}${header_row + 1}:${letters}"


def locate_code_column(rows: Sequence[Sequence[Any]]) -> tuple[int, int] | None:
    """(header row, code column), 1-based, of an existing DonVi tab's first rows."""
    header_keys = {key(h) for h in schema.DONVI.column("code").headers}
    for r, row in enumerate(rows, start=1):
        if any(c not in (None, "") and str(c).strip() for c in row):  # first non-blank row
            for c, cell in enumerate(row, start=1):
                if key(cell) in header_keys:
                    return r, c
            return None
    return None


def _text(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"userEnteredValue": {"boolValue": value}}
    if isinstance(value, (int, float)):
        return {"userEnteredValue": {"numberValue": value}}
    return {"userEnteredValue": {"stringValue": str(value)}}


def _validation(sheet_id: int, column: int, condition: dict[str, Any], strict: bool,
                first_row: int = 1) -> dict[str, Any]:
    """setDataValidation on one column (0-based), from `first_row` (0-based) to the end."""
    return {"setDataValidation": {
        "range": {"sheetId": sheet_id, "startRowIndex": first_row,
                  "startColumnIndex": column, "endColumnIndex": column + 1},
        "rule": {"condition": condition, "strict": strict, "showCustomUi": True},
    }}


def list_condition(choices: Sequence[str]) -> dict[str, Any]:
    return {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": c} for c in choices]}


def range_condition(formula: str) -> dict[str, Any]:
    return {"type": "ONE_OF_RANGE", "values": [{"userEnteredValue": formula}]}


def tab_rows(tab: schema.Tab) -> list[list[Any]]:
    """The first rows of a new tab: the canonical headers (and CauHinh's defaults)."""
    rows: list[list[Any]] = [[c.label for c in tab.columns]]
    if tab.name == "CauHinh":
        rows += [[name, value] for name, value in DEFAULT_SETTINGS]
    return rows


def init_requests(missing: Sequence[schema.Tab], sheet_ids: Sequence[int],
                  department_formula: str) -> list[dict[str, Any]]:
    """The batchUpdate requests that add `missing` (with ids `sheet_ids`): addSheet with a
    frozen bold header row, the header cells, then the dropdowns."""
    requests: list[dict[str, Any]] = []
    ids = dict(zip((t.name for t in missing), sheet_ids))
    for tab in missing:
        sheet_id = ids[tab.name]
        requests.append({"addSheet": {"properties": {
            "sheetId": sheet_id,
            "title": tab.name,
            "gridProperties": {"rowCount": NEW_TAB_ROWS,
                               "columnCount": max(26, len(tab.columns)),
                               "frozenRowCount": 1},
        }}})
        rows = tab_rows(tab)
        requests.append({"updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
            "rows": [{"values": [_text(v) for v in row]} for row in rows],
            "fields": "userEnteredValue",
        }})
        requests.append({"repeatCell": {
            "range": {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": 1},
            "cell": {"userEnteredFormat": {"textFormat": {"bold": True}}},
            "fields": "userEnteredFormat.textFormat.bold",
        }})
    fields = {t.name: [c.field for c in t.columns] for t in missing}
    for tab_name, field_name, choices, strict in LIST_DROPDOWNS:
        if tab_name in ids:
            column = fields[tab_name].index(field_name)
            requests.append(_validation(ids[tab_name], column, list_condition(choices), strict))
    for tab_name, field_name in DEPARTMENT_FIELDS:
        if tab_name in ids:
            column = fields[tab_name].index(field_name)
            requests.append(_validation(ids[tab_name], column,
                                        range_condition(department_formula), False))
    return requests


@dataclass
class InitPlan:
    added: list[str]  # titles of the tabs to add
    present: dict[str, str]  # contract tab -> title of the existing tab taken for it
    requests: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def plan_init(metadata: Mapping[str, Any],
              donvi_rows: Sequence[Sequence[Any]] | None = None) -> InitPlan:
    """What `sheet init` will do to a spreadsheet with this metadata (pure)."""
    sheets = sheets_of(metadata)
    present = {tab.name: found.title for tab in schema.TABS
               if (found := find_tab(sheets, tab)) is not None}
    missing = missing_tabs(sheets)
    notes: list[str] = []
    if "DonVi" in present:
        located = locate_code_column(donvi_rows or [])
        if located is None:
            notes.append(f"Tab {present['DonVi']!r}: no `Mã đơn vị` header found; the "
                         "department dropdowns point at its column A.")
            located = (1, 1)
        formula = department_range_formula(present["DonVi"], located[1], located[0])
    else:
        formula = department_range_formula("DonVi")
    ids = new_sheet_ids((s.sheet_id for s in sheets), len(missing))
    requests = init_requests(missing, ids, formula) if missing else []
    properties = metadata.get("properties") or {}
    wrong = {name: value for name, value, now in (
        ("locale", VIETNAM_LOCALE, properties.get("locale")),
        ("timeZone", VIETNAM_TIME_ZONE, properties.get("timeZone"))) if now and now != value}
    if wrong:
        requests.append({"updateSpreadsheetProperties": {
            "properties": wrong, "fields": ",".join(wrong)}})
        if "locale" in wrong:
            notes.append(
                f"Ngôn ngữ và khu vực: {properties['locale']} -> {VIETNAM_LOCALE}; kiểm tra "
                "lại các ngày đã gõ trước đây (có thể đã bị đọc tháng trước). / Locale "
                f"{properties['locale']} -> {VIETNAM_LOCALE}: check the dates typed before "
                "(they may have been read month-first).")
        if "timeZone" in wrong:
            notes.append(f"Múi giờ / time zone: {properties['timeZone']} -> "
                         f"{VIETNAM_TIME_ZONE}")
    return InitPlan([t.name for t in missing], present, requests, notes)


INIT_FIELDS = ADMIN_FIELDS.replace("properties(title)", "properties(title,locale,timeZone)")


def init_sheet(client: gspread.Client, key: str, *, dry_run: bool = False) -> InitPlan:
    """Add the missing contract tabs and set the Vietnamese locale: one metadata request,
    one read of DonVi's first rows when it exists, one batchUpdate (none when nothing is
    to change or on a dry run)."""
    http = client.http_client
    metadata = http.fetch_sheet_metadata(key, params={"fields": INIT_FIELDS})
    donvi = find_tab(sheets_of(metadata), schema.DONVI)
    donvi_rows: list[list[Any]] = []
    if donvi is not None:
        answer = http.values_get(key, absolute_range_name(donvi.title, "1:10"),
                                 params={"valueRenderOption": "UNFORMATTED_VALUE"})
        donvi_rows = answer.get("values", [])
    plan = plan_init(metadata, donvi_rows)
    if plan.requests and not dry_run:
        http.batch_update(key, {"requests": plan.requests})
    return plan


# --- publish: the Tổng hợp tab ----------------------------------------------------------

# The Tổng hợp tab's tables: columns of figures.exports (the CSV's headers).
DEPARTMENT_TABLE = tuple(c for c in exports.DEPARTMENT_COLUMNS if c.key in {
    "code", "name", "head", "received", "resolved", "resolved_on_time", "resolved_late", "open",
    "open_overdue", "on_time_rate", "compliance_rate"})
RATE_COLUMNS = tuple(i for i, c in enumerate(DEPARTMENT_TABLE) if c.format == "rate")
ACCOUNTABILITY_TABLE = tuple(c for c in exports.ACCOUNTABILITY_COLUMNS if c.key in {
    "case_id", "department", "head", "due", "responded", "working_days_late", "summary"})
SUMMARY_TITLE = "TỔNG HỢP KẾT QUẢ TIẾP NHẬN, XỬ LÝ PHẢN ÁNH, KIẾN NGHỊ"
DEPARTMENTS_HEADING = "Kết quả theo đơn vị"
UPDATED_LINE = ("Cập nhật lúc {when} bằng wardbrief. Tab này được ghi đè mỗi lần cập nhật: "
                "không nhập liệu vào đây.")


def _rate(value: Any) -> Any:
    return "" if value is None else round(float(value), 6)


def _department(metrics: Mapping[str, Any], code: str) -> Mapping[str, Any]:
    return (metrics.get("departments") or {}).get(code) or {}


def department_rows(metrics: Mapping[str, Any]) -> list[list[Any]]:
    """Header + one row per department (DonVi order; `_unassigned` only when it has cases)
    + the ward's total."""
    by_department = metrics["cases"]["by_department"]
    rows: list[list[Any]] = [[c.header for c in DEPARTMENT_TABLE]]
    for code, figures in by_department.items():
        if code == schema.UNASSIGNED:
            if not any(v for k, v in figures.items() if not k.endswith("_rate")):
                continue
            name, head, shown_code = labels.UNASSIGNED, "", ""
        else:
            info = _department(metrics, code)
            name, head, shown_code = info.get("name") or code, info.get("head") or "", code
        rows.append(_figure_row(shown_code, name, head, figures))
    rows.append(_figure_row("", labels.TOTAL, "", metrics["cases"]["totals"]))
    return rows


def _figure_row(code: str, name: str, head: str, figures: Mapping[str, Any]) -> list[Any]:
    row: list[Any] = [code, name, head]
    for column in DEPARTMENT_TABLE[3:]:
        value = figures.get(column.key)
        row.append(_rate(value) if column.format == "rate" else int(value or 0))
    return row


def accountability_rows(metrics: Mapping[str, Any]) -> list[list[Any]]:
    """Header + the open overdue cases (not answered), then the late answers, each list in
    the order of metrics (working days late, descending)."""
    cases = metrics["cases"]
    rows: list[list[Any]] = [[c.header for c in ACCOUNTABILITY_TABLE]]
    for entry in [*cases.get("overdue_cases", []), *cases.get("late_cases", [])]:
        code = entry.get("department") or ""
        head = entry.get("head") or _department(metrics, code).get("head") or ""
        responded = entry.get("responded")
        rows.append([
            str(entry["case_id"]),
            "" if code == schema.UNASSIGNED else code,
            head,
            fmt.date_vn(entry.get("due")),
            fmt.date_vn(responded) if responded else labels.NOT_ANSWERED,
            int(entry.get("working_days_late") or 0),
            str(entry.get("summary") or ""),
        ])
    return rows


def summary_rows(metrics: Mapping[str, Any], generated_at: dt.datetime) -> list[list[Any]]:
    """Every row of the `Tổng hợp` tab, top to bottom."""
    source = metrics.get("source") or {}
    rows: list[list[Any]] = [
        [f"{SUMMARY_TITLE} - {metrics.get('ward') or ''}".rstrip(" -")],
        [labels.PERIOD_LINE.format(start=fmt.date_vn(metrics.get("period_start")),
                                   end=fmt.date_vn(metrics.get("as_of")))],
        [UPDATED_LINE.format(when=fmt.datetime_vn(generated_at))],
        [labels.SOURCE_LINE.format(fingerprint=str(source.get("fingerprint", ""))
                                   .removeprefix("sha256:")[:12])],
    ]
    banner = stale_banner(metrics)  # the same warning as above a briefing
    if banner:
        rows.append([banner])
    rows += [[], [DEPARTMENTS_HEADING], *department_rows(metrics), [],
             [labels.ACCOUNTABILITY_TITLE]]
    accountability = accountability_rows(metrics)
    rows += accountability if len(accountability) > 1 else [[labels.ACCOUNTABILITY_EMPTY]]
    return rows


def percent_format_request(sheet_id: int) -> dict[str, Any]:
    return {"repeatCell": {
        "range": {"sheetId": sheet_id, "startColumnIndex": RATE_COLUMNS[0],
                  "endColumnIndex": RATE_COLUMNS[-1] + 1},
        "cell": {"userEnteredFormat": {"numberFormat": {"type": "PERCENT", "pattern": "0.0%"}}},
        "fields": "userEnteredFormat.numberFormat",
    }}


# --- publish: writing the tabs -------------------------------------------------------------


@dataclass
class PublishResult:
    title: str
    sheet_id: int
    created: bool
    rows: int
    url: str
    others: list[PublishResult] = field(default_factory=list)  # Theo dõi, Lỗi dữ liệu


def _grow_request(existing: SheetInfo, rows: int, width: int) -> dict[str, Any] | None:
    if existing.row_count >= rows and existing.column_count >= width:
        return None
    return {"updateSheetProperties": {
        "properties": {"sheetId": existing.sheet_id, "gridProperties": {
            "rowCount": max(existing.row_count, rows + 50),
            "columnCount": max(existing.column_count, width)}},
        "fields": "gridProperties(rowCount,columnCount)",
    }}


def publish_summary(client: gspread.Client, key: str, metrics: Mapping[str, Any], *,
                    generated_at: dt.datetime | None = None) -> PublishResult:
    """Write `Tổng hợp`, `Theo dõi` and `Lỗi dữ liệu`: one metadata request, a clear of
    each tab that exists, one batchUpdate (new tabs, sizes, formats), then one RAW write
    per tab. Returns the `Tổng hợp` result, the two others in `others`."""
    http = client.http_client
    when = generated_at or dt.datetime.now().astimezone()
    contents = [(SUMMARY_TAB, summary_rows(metrics, when)),
                (TRACKING_TAB, [[fmt.date_vn(v.isoformat()) if isinstance(v, dt.date) else v
                                 for v in row] for row in tracking_rows(metrics)]),  # RAW
                (ISSUES_TAB, issue_rows(metrics, when))]
    metadata = http.fetch_sheet_metadata(key, params={"fields": ADMIN_FIELDS})
    sheets = sheets_of(metadata)
    taken = [s.sheet_id for s in sheets]
    requests: list[dict[str, Any]] = []
    results: list[PublishResult] = []
    for wanted, rows in contents:
        width = max(len(r) for r in rows)
        existing = next((s for s in sheets if tab_key(s.title) == tab_key(wanted)), None)
        if existing is None:
            sheet_id = new_sheet_ids(taken, 1)[0]
            taken.append(sheet_id)
            title = wanted
            requests.append({"addSheet": {"properties": {
                "sheetId": sheet_id, "title": title,
                "gridProperties": {"rowCount": max(NEW_TAB_ROWS, len(rows) + 50),
                                   "columnCount": max(26, width)},
            }}})
            if wanted == SUMMARY_TAB:
                requests.append(percent_format_request(sheet_id))
        else:
            sheet_id, title = existing.sheet_id, existing.title
            http.values_clear(key, absolute_range_name(title))
            grow = _grow_request(existing, len(rows), width)
            if grow:
                requests.append(grow)
        results.append(PublishResult(title, sheet_id, existing is None, len(rows),
                                     f"{spreadsheet_url(key)}/edit#gid={sheet_id}"))
    if requests:
        http.batch_update(key, {"requests": requests})
    for result, (_, rows) in zip(results, contents):
        http.values_update(
            key, absolute_range_name(result.title, "A1"),
            params={"valueInputOption": "RAW"},
            body={"majorDimension": "ROWS", "values": rows},
        )
    summary, *others = results
    summary.others = others
    return summary
