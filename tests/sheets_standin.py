"""A local stand-in of the Google Sheets v4 API, enough for what wardbrief asks of it.

It runs on 127.0.0.1 (random free port) in a thread and is reached through the real
gspread client: tests point `WARDBRIEF_SHEETS_API` at `standin.base_url`.

Implemented, as gspread 6.2.1 calls them:
- GET  /v4/spreadsheets/{id}                      metadata (titles, sheetIds, locale,
                                                  timeZone; `fields` decides whether
                                                  locale and timeZone are sent); with
                                                  includeGridData=true every cell's
                                                  effectiveValue too
- GET  /v4/spreadsheets/{id}/values:batchGet      ranges=…, valueRenderOption, dateTimeRenderOption
- GET  /v4/spreadsheets/{id}/values/{range}       one range
- PUT  /v4/spreadsheets/{id}/values/{range}       valueInputOption required (RAW | USER_ENTERED)
- POST /v4/spreadsheets/{id}/values/{range}:clear
- POST /v4/spreadsheets/{id}/values:batchUpdate
- POST /v4/spreadsheets/{id}:batchUpdate          addSheet, updateCells, setDataValidation,
                                                  repeatCell, updateSheetProperties,
                                                  updateSpreadsheetProperties (atomic)

Every request is recorded (`standin.requests`). Faults are scriptable:
`standin.fail("values:batchGet", status=429, times=1)`, `standin.fail(status=503)` (always),
`standin.fail("values:batchGet", delay=1.0, times=1)` (answer too late),
`standin.fail(status=502, raw_body=b"<html>…")` (a proxy's page instead of JSON).

A read quota as Google's (60 read requests per minute per user): `standin.quota(reads=4,
seconds=30)` answers 429 RESOURCE_EXHAUSTED to every GET past 4 in any 30-second window
(the refused ones count too, as Google counts them); `standin.refused` counts those 429s,
`standin.clock` is the quota's clock (time.monotonic; a test may give its own).

Cells are stored as the API returns them with UNFORMATTED_VALUE + SERIAL_NUMBER: text,
numbers (integral ones as JSON integers), booleans, "" for an empty cell; a date or
datetime from an .xlsx becomes its serial number (days since 1899-12-30). A string
written with USER_ENTERED that starts with "=" becomes a formula (read back as
"#ERROR!"), which is what RAW must prevent.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self
from urllib.parse import parse_qs, unquote, urlsplit

EPOCH = dt.date(1899, 12, 30)
PREFIX = "/v4/spreadsheets/"


class Formula(str):
    """A cell entered as a formula (USER_ENTERED and a leading '=')."""


def serial(value: dt.date | dt.datetime | dt.time) -> int | float:
    """The serial number Sheets shows for a date/datetime/time with SERIAL_NUMBER."""
    if isinstance(value, dt.datetime):
        days = (value.date() - EPOCH).days
        seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
        return days + seconds / 86400 if seconds else days
    if isinstance(value, dt.date):
        return (value - EPOCH).days
    seconds = value.hour * 3600 + value.minute * 60 + value.second
    return seconds / 86400


def sheets_cell(value: Any) -> Any:
    """An .xlsx cell (as python-calamine gives it) -> the cell as the Sheets API returns it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return serial(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def read_xlsx_as_sheets(path: Path) -> dict[str, list[list[Any]]]:
    """Every tab of an .xlsx as the Sheets API would return it after an import.

    Cells are read with python-calamine. calamine turns an error cell (`#VALUE!`) into an
    empty string, whereas Sheets returns the error's text with UNFORMATTED_VALUE, so the
    error cells are put back from openpyxl."""
    import openpyxl
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    tabs = {
        name: [[sheets_cell(c) for c in row]
               for row in book.get_sheet_by_name(name).to_python(skip_empty_area=False)]
        for name in book.sheet_names
    }
    errors = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for sheet in errors.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if getattr(cell, "data_type", None) == "e":
                        grid = tabs[sheet.title]
                        grid[cell.row - 1][cell.column - 1] = str(cell.value)
    finally:
        errors.close()
    return tabs


@functools.lru_cache(maxsize=8)
def _cached_xlsx(path: Path) -> dict[str, list[list[Any]]]:
    return read_xlsx_as_sheets(path)


def col_letters(col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def quote_title(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


_A1 = re.compile(r"^([A-Za-z]*)(\d*)$")


def _a1(cell: str) -> tuple[int | None, int | None]:
    """'B3' -> (row 3, col 2), 1-based; missing parts None."""
    match = _A1.match(cell.replace("$", ""))
    if not match:
        raise ValueError(cell)
    letters, digits = match.groups()
    col = 0
    for ch in letters.upper():
        col = col * 26 + ord(ch) - 64
    return (int(digits) if digits else None), (col or None)


def split_range(a1: str) -> tuple[str, str]:
    """"'Tab ''x'''!A1:B2" -> ("Tab 'x'", "A1:B2"); a bare title -> (title, "")."""
    if a1.startswith("'"):
        end = 1
        while True:
            end = a1.index("'", end)
            if a1[end:end + 2] == "''":
                end += 2
                continue
            break
        title = a1[1:end].replace("''", "'")
        rest = a1[end + 1:]
        return title, rest[1:] if rest.startswith("!") else ""
    if "!" in a1:
        title, cells = a1.rsplit("!", 1)
        return title, cells
    return a1, ""


def trimmed(rows: list[list[Any]]) -> list[list[Any]]:
    """Rows as the API returns them: trailing empty cells and trailing empty rows dropped."""
    out = []
    for row in rows:
        row = list(row)
        while row and row[-1] in ("", None):
            row.pop()
        out.append(["#ERROR!" if isinstance(c, Formula) else c for c in row])
    while out and not out[-1]:
        out.pop()
    return out


@dataclass
class Sheet:
    sheet_id: int
    title: str
    index: int
    rows: list[list[Any]] = field(default_factory=list)
    validations: list[dict[str, Any]] = field(default_factory=list)
    formats: list[dict[str, Any]] = field(default_factory=list)

    def properties(self) -> dict[str, Any]:
        width = max((len(r) for r in self.rows), default=0)
        return {
            "sheetId": self.sheet_id,
            "title": self.title,
            "index": self.index,
            "sheetType": "GRID",
            "gridProperties": {"rowCount": max(1000, len(self.rows)),
                               "columnCount": max(26, width)},
        }

    def set(self, row: int, col: int, value: Any) -> None:
        """0-based row/col."""
        while len(self.rows) <= row:
            self.rows.append([])
        line = self.rows[row]
        while len(line) <= col:
            line.append("")
        line[col] = value

    def values(self) -> list[list[Any]]:
        return trimmed(self.rows)


@dataclass
class Spreadsheet:
    key: str
    title: str
    sheets: list[Sheet] = field(default_factory=list)
    locale: str = "vi_VN"  # File -> Settings -> Locale
    time_zone: str = "Asia/Ho_Chi_Minh"

    def sheet(self, title: str) -> Sheet | None:
        for sheet in self.sheets:
            if sheet.title.lower() == title.lower():
                return sheet
        return None

    def by_id(self, sheet_id: int) -> Sheet | None:
        return next((s for s in self.sheets if s.sheet_id == sheet_id), None)


@dataclass
class Fault:
    path_contains: str
    method: str | None
    status: int | None
    delay: float
    times: int | None  # None: every time
    retry_after: str | None = None
    raw_body: bytes | None = None  # sent as text/html instead of Google's JSON error
    hits: int = 0

    def matches(self, method: str, path: str) -> bool:
        if self.times is not None and self.hits >= self.times:
            return False
        if self.method and self.method.upper() != method:
            return False
        return self.path_contains in path


@dataclass
class Request:
    method: str
    path: str  # percent-decoded
    query: dict[str, list[str]]
    body: Any
    headers: dict[str, str]
    status: int = 0
    fault: bool = False

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None


class ApiError(Exception):
    def __init__(self, status: int, message: str, reason: str):
        super().__init__(message)
        self.status, self.message, self.reason = status, message, reason


def not_found(what: str) -> ApiError:
    return ApiError(404, f"Requested entity was not found: {what}", "NOT_FOUND")


def bad_request(message: str) -> ApiError:
    return ApiError(400, message, "INVALID_ARGUMENT")


class SheetsStandIn:
    def __init__(self) -> None:
        self.spreadsheets: dict[str, Spreadsheet] = {}
        self.requests: list[Request] = []
        self.faults: list[Fault] = []
        self.read_quota: tuple[int, float] | None = None  # (reads, seconds)
        self.read_times: list[float] = []  # when each GET came (monotonic)
        self.refused = 0  # GETs answered 429 by the quota
        self.clock = time.monotonic  # the quota's clock (a test may drive its own)
        self.lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- set-up ---------------------------------------------------------------------------
    def add_spreadsheet(self, key: str, tabs: dict[str, list[list[Any]]],
                        title: str = "Theo dõi phản ánh - Phường Đông Hải", *,
                        locale: str = "vi_VN",
                        time_zone: str = "Asia/Ho_Chi_Minh") -> Spreadsheet:
        book = Spreadsheet(key, title, locale=locale, time_zone=time_zone)
        for index, (name, rows) in enumerate(tabs.items()):
            # sheetIds like the real ones: the first tab 0, the others large and arbitrary
            sheet_id = 0 if index == 0 else 100_000_000 + index * 7_919_111
            book.sheets.append(Sheet(sheet_id, name, index, [list(r) for r in rows]))
        self.spreadsheets[key] = book
        return book

    def add_xlsx(self, key: str, path: Path, **options: Any) -> Spreadsheet:
        return self.add_spreadsheet(key, copy.deepcopy(_cached_xlsx(Path(path).resolve())),
                                    **options)

    def fail(self, path_contains: str = "", *, status: int | None = 503, times: int | None = None,
             delay: float = 0.0, method: str | None = None,
             retry_after: str | None = None, raw_body: bytes | None = None) -> Fault:
        fault = Fault(path_contains, method, status, delay, times, retry_after, raw_body)
        self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        self.faults.clear()

    def quota(self, reads: int, seconds: float) -> None:
        """At most `reads` GET requests in any `seconds` window; past it, 429."""
        self.read_quota = (reads, seconds)

    def _over_quota(self, method: str) -> bool:
        """Count this request against the read quota; True when it exceeds it. Called
        with the lock held."""
        if method != "GET" or self.read_quota is None:
            return False
        reads, seconds = self.read_quota
        now = self.clock()
        self.read_times = [t for t in self.read_times if t > now - seconds]
        over = len(self.read_times) >= reads
        self.read_times.append(now)
        if over:
            self.refused += 1
        return over

    # -- inspection -----------------------------------------------------------------------
    def requests_to(self, path_contains: str, method: str | None = None) -> list[Request]:
        return [r for r in self.requests
                if path_contains in r.path and (method is None or r.method == method.upper())]

    def sheet(self, key: str, title: str) -> Sheet:
        sheet = self.spreadsheets[key].sheet(title)
        assert sheet is not None, f"no tab {title!r} in {key}"
        return sheet

    # -- server ---------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        assert self._server is not None, "stand-in not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> str:
        standin = self

        class Handler(_Handler):
            owner = standin

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, daemon=True,
                                        name="sheets-standin")
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- dispatch -------------------------------------------------------------------------
    def handle(self, method: str, raw_path: str, query: dict[str, list[str]],
               body: Any) -> tuple[int, Any]:
        if not raw_path.startswith(PREFIX):
            raise not_found(raw_path)
        rest = raw_path[len(PREFIX):]
        key_part, _, tail = rest.partition("/")
        if not tail:
            key, _, verb = key_part.partition(":")
            book = self._book(key)
            if method == "GET" and not verb:
                grid = (query.get("includeGridData") or ["false"])[0] == "true"
                return 200, self._metadata(book, (query.get("fields") or [""])[0], grid)
            if method == "POST" and verb == "batchUpdate":
                return 200, self._batch_update(book, body or {})
            raise not_found(raw_path)
        book = self._book(unquote(key_part))
        if tail == "values:batchGet" and method == "GET":
            return 200, self._batch_get(book, query)
        if tail == "values:batchUpdate" and method == "POST":
            return 200, self._values_batch_update(book, body or {})
        if tail.startswith("values/"):
            encoded = tail[len("values/"):]
            verb = ""
            if ":" in encoded:  # a literal ':' is the verb; one inside the range is %3A
                encoded, verb = encoded.rsplit(":", 1)
            a1 = unquote(encoded)
            if method == "GET" and not verb:
                return 200, self._value_range(book, a1)
            if method == "PUT" and not verb:
                option = (query.get("valueInputOption") or [""])[0]
                return 200, self._write(book, a1, (body or {}).get("values", []), option)
            if method == "POST" and verb == "clear":
                return 200, self._clear(book, a1)
        raise not_found(raw_path)

    def _book(self, key: str) -> Spreadsheet:
        book = self.spreadsheets.get(key)
        if book is None:
            raise not_found(f"spreadsheet {key}")
        return book

    def _metadata(self, book: Spreadsheet, fields: str = "", grid: bool = False) -> dict[str, Any]:
        """As the API answers; with a `fields` mask, locale and timeZone only when the
        mask names them (the rest of the mask is not applied); with `grid`
        (includeGridData) each sheet's cells as `data[0].rowData[].values[].effectiveValue`."""
        properties: dict[str, Any] = {"title": book.title}
        for name, value in (("locale", book.locale), ("timeZone", book.time_zone)):
            if not fields or re.search(rf"\b{name}\b", fields):
                properties[name] = value
        return {
            "spreadsheetId": book.key,
            "properties": properties,
            "sheets": [{"properties": s.properties(),
                        **({"data": [_grid_data(s.values())]} if grid else {})}
                       for s in book.sheets],
            "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{book.key}/edit",
        }

    def _resolve(self, book: Spreadsheet, a1: str) -> tuple[Sheet, int, int]:
        title, cells = split_range(a1)
        sheet = book.sheet(title)
        if sheet is None:
            raise bad_request(f"Unable to parse range: {a1}")
        start = cells.split(":", 1)[0] if cells else ""
        row, col = _a1(start) if start else (None, None)
        return sheet, (row or 1) - 1, (col or 1) - 1

    def _value_range(self, book: Spreadsheet, a1: str) -> dict[str, Any]:
        sheet, row0, col0 = self._resolve(book, a1)
        if row0 or col0:
            raise bad_request("the stand-in reads whole tabs or ranges starting at A1 only")
        values = sheet.values()
        props = sheet.properties()["gridProperties"]
        last = f"{col_letters(props['columnCount'])}{props['rowCount']}"
        out: dict[str, Any] = {"range": f"{quote_title(sheet.title)}!A1:{last}",
                               "majorDimension": "ROWS"}
        if values:
            out["values"] = values
        return out

    def _batch_get(self, book: Spreadsheet, query: dict[str, list[str]]) -> dict[str, Any]:
        ranges = query.get("ranges", [])
        if not ranges:
            raise bad_request("ranges is required")
        return {"spreadsheetId": book.key,
                "valueRanges": [self._value_range(book, r) for r in ranges]}

    def _write(self, book: Spreadsheet, a1: str, values: list[list[Any]],
               option: str) -> dict[str, Any]:
        if option not in ("RAW", "USER_ENTERED"):
            raise bad_request("'valueInputOption' is required but not specified")
        sheet, row0, col0 = self._resolve(book, a1)
        for r, row in enumerate(values):
            for c, value in enumerate(row):
                if option == "USER_ENTERED" and isinstance(value, str) and value.startswith("="):
                    value = Formula(value)
                sheet.set(row0 + r, col0 + c, "" if value is None else value)
        width = max((len(r) for r in values), default=0)
        return {"spreadsheetId": book.key, "updatedRange": a1, "updatedRows": len(values),
                "updatedColumns": width, "updatedCells": sum(len(r) for r in values)}

    def _values_batch_update(self, book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
        option = body.get("valueInputOption", "")
        replies = [self._write(book, d["range"], d.get("values", []), option)
                   for d in body.get("data", [])]
        return {"spreadsheetId": book.key, "responses": replies}

    def _clear(self, book: Spreadsheet, a1: str) -> dict[str, Any]:
        sheet, row0, col0 = self._resolve(book, a1)
        if row0 or col0:
            raise bad_request("the stand-in clears whole tabs only")
        sheet.rows = []
        return {"spreadsheetId": book.key, "clearedRange": a1}

    def _batch_update(self, book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
        saved = copy.deepcopy(book.sheets), book.locale, book.time_zone
        try:
            replies = [self._apply(book, request) for request in body.get("requests", [])]
        except Exception:
            book.sheets, book.locale, book.time_zone = saved  # atomic, as the real API is
            raise
        return {"spreadsheetId": book.key, "replies": replies}

    def _apply(self, book: Spreadsheet, request: dict[str, Any]) -> dict[str, Any]:
        (kind, spec), = request.items()
        if kind == "updateSpreadsheetProperties":
            props, mask = spec.get("properties", {}), spec.get("fields", "")
            if not mask:
                raise bad_request("Invalid requests[].updateSpreadsheetProperties: "
                                  "'fields' is required")
            names = set(props) if mask == "*" else {f.strip() for f in mask.split(",")}
            unknown = names - {"locale", "timeZone", "title"}
            if unknown:
                raise bad_request(f"the stand-in does not implement properties {unknown}")
            book.locale = props.get("locale", book.locale) if "locale" in names else book.locale
            if "timeZone" in names:
                book.time_zone = props.get("timeZone", book.time_zone)
            if "title" in names:
                book.title = props.get("title", book.title)
            return {}
        if kind == "addSheet":
            props = spec.get("properties", {})
            title = props.get("title")
            if not title or book.sheet(title) is not None:
                raise bad_request(f'Invalid requests[].addSheet: A sheet with the name "{title}"'
                                  " already exists. Please enter another name.")
            sheet_id = props.get("sheetId")
            if sheet_id is None:
                sheet_id = max((s.sheet_id for s in book.sheets), default=0) + 1
            elif book.by_id(sheet_id) is not None:
                raise bad_request(f"Invalid requests[].addSheet: sheet id {sheet_id} exists")
            sheet = Sheet(int(sheet_id), title, props.get("index", len(book.sheets)))
            book.sheets.append(sheet)
            return {"addSheet": {"properties": sheet.properties()}}
        if kind == "updateCells":
            sheet, row0, col0 = self._grid_start(book, spec)
            for r, row in enumerate(spec.get("rows", [])):
                for c, cell in enumerate(row.get("values", [])):
                    entered = cell.get("userEnteredValue")
                    if entered is not None:
                        sheet.set(row0 + r, col0 + c, _entered(entered))
            sheet.formats.append({"updateCells": spec.get("fields")})
            return {}
        if kind == "setDataValidation":
            sheet = self._grid_sheet(book, spec["range"].get("sheetId", 0))
            sheet.validations.append(spec)
            return {}
        if kind in ("repeatCell", "updateSheetProperties", "autoResizeDimensions"):
            target = spec.get("range") or spec.get("properties") or spec.get("dimensions") or {}
            sheet = self._grid_sheet(book, target.get("sheetId", 0))
            sheet.formats.append({kind: spec})
            return {}
        raise bad_request(f"the stand-in does not implement {kind}")

    def _grid_sheet(self, book: Spreadsheet, sheet_id: int) -> Sheet:
        sheet = book.by_id(sheet_id)
        if sheet is None:
            raise bad_request(f"No grid with id: {sheet_id}")
        return sheet

    def _grid_start(self, book: Spreadsheet, spec: dict[str, Any]) -> tuple[Sheet, int, int]:
        if "start" in spec:
            start = spec["start"]
            return (self._grid_sheet(book, start.get("sheetId", 0)),
                    start.get("rowIndex", 0), start.get("columnIndex", 0))
        grid = spec.get("range", {})
        return (self._grid_sheet(book, grid.get("sheetId", 0)),
                grid.get("startRowIndex", 0), grid.get("startColumnIndex", 0))


def _entered(value: dict[str, Any]) -> Any:
    if "formulaValue" in value:
        return Formula(value["formulaValue"])
    for name in ("stringValue", "numberValue", "boolValue"):
        if name in value:
            return value[name]
    return ""


class _Handler(BaseHTTPRequestHandler):
    owner: SheetsStandIn
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _serve(self) -> None:
        owner = self.owner
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        length = int(self.headers.get("Content-Length") or 0)
        payload = self.rfile.read(length) if length else b""
        try:
            body = json.loads(payload) if payload else None
        except ValueError:
            body = None
        record = Request(self.command, path, parse_qs(parts.query, keep_blank_values=True),
                         body, {k.lower(): v for k, v in self.headers.items()})
        with owner.lock:
            owner.requests.append(record)
            fault = next((f for f in owner.faults if f.matches(self.command, path)), None)
            if fault is not None:
                fault.hits += 1
            over = owner._over_quota(self.command)
        if over:
            record.fault = True
            self._reply(record, 429, _error(429, "Quota exceeded for quota metric 'Read "
                                                 "requests' and limit 'Read requests per "
                                                 "minute per user'", "RESOURCE_EXHAUSTED"))
            return
        if fault is not None:
            record.fault = True
            if fault.delay:
                time.sleep(fault.delay)
            if fault.status is not None and fault.raw_body is not None:
                self._reply_raw(record, fault.status, fault.raw_body)
                return
            if fault.status is not None:
                headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                reason = {429: "RESOURCE_EXHAUSTED", 503: "UNAVAILABLE"}.get(fault.status,
                                                                            "INTERNAL")
                self._reply(record, fault.status,
                            _error(fault.status, "Scripted fault", reason), headers)
                return
        try:
            with owner.lock:
                status, answer = owner.handle(self.command, parts.path, record.query, body)
        except ApiError as err:
            status, answer = err.status, _error(err.status, err.message, err.reason)
        self._reply(record, status, answer)

    def _reply(self, record: Request, status: int, answer: Any,
               headers: dict[str, str] | None = None) -> None:
        record.status = status
        data = json.dumps(answer, ensure_ascii=False).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test)

    def _reply_raw(self, record: Request, status: int, body: bytes) -> None:
        record.status = status
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_PUT = do_POST = _serve


def _effective_value(value: Any) -> dict[str, Any]:
    """A stored cell as the CellData the API gives with `values(effectiveValue)`."""
    if isinstance(value, Formula):
        return {"effectiveValue": {"errorValue": {"type": "ERROR", "message": "Formula"}}}
    if value == "" or value is None:
        return {}
    if isinstance(value, bool):
        return {"effectiveValue": {"boolValue": value}}
    if isinstance(value, (int, float)):
        return {"effectiveValue": {"numberValue": value}}
    return {"effectiveValue": {"stringValue": str(value)}}


def _grid_data(rows: list[list[Any]]) -> dict[str, Any]:
    """GridData from the top-left cell: a blank row is `{}`, as the API sends it."""
    return {"rowData": [{"values": [_effective_value(v) for v in row]} if row else {}
                        for row in rows]}


def _error(status: int, message: str, reason: str) -> dict[str, Any]:
    return {"error": {"code": status, "message": message, "status": reason}}


ENV_VARS = (
    "WARDBRIEF_SERVICE_ACCOUNT", "GOOGLE_APPLICATION_CREDENTIALS", "WARDBRIEF_CONFIG",
    "WARDBRIEF_SPREADSHEET", "WARDBRIEF_SNAPSHOT_DIR", "WARDBRIEF_SHEETS_TIMEOUT",
    "WARDBRIEF_SHEETS_API",
)


def isolate(monkeypatch: Any, home: Path) -> None:
    """No key, config or spreadsheet of the developer's machine leaks into a test: the
    working folder and HOME are `home`, and wardbrief's variables are unset."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.chdir(home)
