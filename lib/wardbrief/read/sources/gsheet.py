"""Google Sheets as the live source: one request per run, faults handled, a snapshot kept.

A run reads the sheet with exactly one `spreadsheets.get` with `includeGridData`, masked
(`fields`) to the tab titles and sheetIds, the spreadsheet's `locale` and `timeZone` (a
locale that does not read typed dates day-first is a source-level error, see
`sheet_locale`) and each cell's `effectiveValue` only: numbers stay numbers and date
cells arrive as serial numbers (days since 1899-12-30), which the contract reader
accepts as dates — the cells `values:batchGet` gives with `UNFORMATTED_VALUE` +
`SERIAL_NUMBER`, in one read instead of two (Google counts read requests against a
per-minute quota that a city's wards share).

Every request goes through the gspread client (`gspread.Client` with our
`RetryingHTTPClient`): a timeout on each, bounded retries with exponential backoff
and jitter on 429, 5xx, timeouts and dropped connections, then a `SheetsRequestError`
(a SourceError) that names the request, the last status and the number of attempts.
A 429 (the per-minute quota) is retried longer, its waits truncated at 64 s as Google
asks, so that a busy minute costs a ward time, never its briefing. With a `read_limit`
(`read_limit.ReadLimit`, shared by the wards of a city run) each request first waits
for its turn, so that the quota is not exceeded in the first place.
gspread's own `BackOffHTTPClient` is not used: its bound never triggers in 6.2.

The service-account key comes from `WARDBRIEF_SERVICE_ACCOUNT` /
`GOOGLE_APPLICATION_CREDENTIALS` or the config file (`wardbrief.config`), never from a
notebook parameter. Reading uses the read-only scope; `sheet init`/`publish`
(`wardbrief.publish.sheet_writeback`) ask for the write scope.

`WARDBRIEF_SHEETS_API` (or `sheets_api` in the config) redirects the API to another base
URL, e.g. the local stand-in of the tests: `http://127.0.0.1:8765`. A base that is not
a Google API host (https, *.googleapis.com) is always used with anonymous credentials
(is_google_api_url), so no token request and no key go anywhere else, whatever the
spelling of the address (`https://127.1:PORT`, a name that resolves to this machine…).
"""

from __future__ import annotations

import datetime as dt
import functools
import ipaddress
import logging
import random
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import gspread
import requests
from google.auth.credentials import AnonymousCredentials, Credentials
from google.auth.exceptions import GoogleAuthError, TransportError
from google.auth.transport.requests import AuthorizedSession
from gspread.exceptions import APIError, NoValidUrlKeyFound
from gspread.http_client import HTTPClient
from gspread.utils import extract_id_from_url, rowcol_to_a1

from wardbrief.config import ConfigError, MachineConfig, key_file_warning, load_settings
from wardbrief.read.names import tab_key
from wardbrief.read.schema import WRITTEN_TABS
from wardbrief.read.sources.base import CellLink, RawWorkbook, Rows, SourceError
from wardbrief.read.sources.read_limit import ReadLimit
from wardbrief.read.sources.sheet_locale import set_locale
from wardbrief.read.sources.snapshots import latest_snapshot, save_snapshot

log = logging.getLogger(__name__)

SHEETS_API_ROOT = "https://sheets.googleapis.com"
READ_SCOPES = ("https://www.googleapis.com/auth/spreadsheets.readonly",)
WRITE_SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)
SPREADSHEET_WEB_URL = "https://docs.google.com/spreadsheets/d/{key}"
GRID_FIELDS = ("spreadsheetId,properties(title,locale,timeZone),"
               "sheets(properties(sheetId,title,index,sheetType),"
               "data(startRow,startColumn,rowData(values(effectiveValue))))")
# An error cell's effectiveValue -> the text UNFORMATTED_VALUE shows for it.
ERROR_TEXT = {"ERROR": "#ERROR!", "NULL_VALUE": "#NULL!", "DIVIDE_BY_ZERO": "#DIV/0!",
              "VALUE": "#VALUE!", "REF": "#REF!", "NAME": "#NAME?", "NUM": "#NUM!",
              "N_A": "#N/A", "LOADING": "Loading..."}
_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{10,}$")

# Patched by the tests so that backoff does not slow them down.
_sleep = time.sleep
_uniform = random.uniform


class SheetsRequestError(SourceError):
    """A request to the Sheets API failed for good.

    `request` names it (e.g. `GET spreadsheets/<key>/values:batchGet`), `status` is the
    last HTTP status (None for a timeout or a dropped connection), `attempts` how many
    times it was sent."""

    def __init__(self, message: str, *, request: str, status: int | None, attempts: int):
        super().__init__(message)
        self.request = request
        self.status = status
        self.attempts = attempts


@dataclass(frozen=True)
class RetryPolicy:
    """At most `attempts` sends of one request (`quota_attempts` while Google answers 429:
    the quota frees itself within a minute). After the n-th failure we wait a random time
    in [d/2, d] with d = base_delay * 2**(n-1) capped at max_delay (truncated exponential
    backoff with jitter; Google asks for a cap of 32 or 64 s), or longer when the server
    asks for it (Retry-After). `sleep` waits (None: the module's `_sleep`, which tests
    replace so that they do not wait)."""

    attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 64.0
    quota_attempts: int = 10
    sleep: Callable[[float], None] | None = None

    def allowed(self, status: int | None) -> int:
        """How many sends a request may get when its last answer had `status`."""
        return max(self.attempts, self.quota_attempts) if status == 429 else self.attempts

    def delay(self, failures: int, retry_after: float | None = None) -> float:
        ceiling = min(self.max_delay, self.base_delay * 2 ** (failures - 1))
        wait = _uniform(ceiling / 2, ceiling)
        if retry_after is not None:
            wait = max(wait, min(retry_after, self.max_delay))
        return wait


RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


def _retryable(status: int) -> bool:
    return status in RETRY_STATUSES or status >= 500


def describe_request(method: str, url: str) -> str:
    """`GET spreadsheets/<key>/values:batchGet`: what a person can recognise in a message."""
    path = unquote(urlsplit(url).path)
    marker = "/v4/"
    name = path.split(marker, 1)[1] if marker in path else path
    return f"{method.upper()} {name}"


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _api_message(err: APIError) -> str:
    """Google's one-line explanation; nothing when the body was not Google's JSON (an HTML
    page from a proxy, say)."""
    try:
        if str(err.error.get("status", "")).startswith("invalid JSON"):
            return ""
        message = " ".join(str(err.error.get("message") or "").split())
    except AttributeError:
        return ""
    return message if len(message) <= 300 else message[:299] + "…"


class RetryingHTTPClient(HTTPClient):
    """gspread's HTTP client with our retry loop around every request."""

    def __init__(
        self,
        auth: Credentials | None,
        session: requests.Session | None = None,
        *,
        policy: RetryPolicy | None = None,
        account: str | None = None,
        read_limit: ReadLimit | None = None,
    ) -> None:
        super().__init__(auth, session)  # type: ignore[arg-type]
        self.auth = auth  # type: ignore[assignment]
        self.policy = policy or RetryPolicy()
        self.account = account  # the service account's e-mail, for "share the sheet with …"
        self.read_limit = read_limit

    def request(self, method: str, endpoint: str, *args: Any, **kwargs: Any) -> requests.Response:
        label = describe_request(method, endpoint)
        policy = self.policy
        started = time.monotonic()
        last_status: int | None = None
        last_problem = ""
        attempt = 0
        while True:
            attempt += 1
            retry_after: float | None = None
            if self.read_limit is not None:
                self.read_limit.wait_turn()
            try:
                return super().request(method, endpoint, *args, **kwargs)
            except APIError as err:
                last_status = err.response.status_code
                reason = err.response.reason or ""
                last_problem = f"HTTP {last_status} {reason}".strip()
                if not _retryable(last_status):
                    raise self._refused(label, err, attempt) from err
                retry_after = _retry_after(err.response)
            except requests.Timeout:
                last_status = None
                last_problem = f"no answer within the {self.timeout} s timeout"
            except (requests.ConnectionError, TransportError) as exc:
                last_status = None
                last_problem = f"connection failed ({type(exc).__name__})"
            except requests.RequestException as exc:  # e.g. a response cut off midway
                last_status = None
                last_problem = f"incomplete answer ({type(exc).__name__})"
            except GoogleAuthError as exc:
                raise SheetsRequestError(
                    f"Google từ chối khóa tài khoản dịch vụ; hãy kiểm tra tệp khóa. / "
                    f"Google refused the service-account credentials for {label}: {exc}. "
                    "Check the key file (it may have been deleted or disabled in the console).",
                    request=label, status=None, attempts=attempt,
                ) from exc
            allowed = policy.allowed(last_status)
            if attempt >= allowed:
                break
            wait = policy.delay(attempt, retry_after)
            log.info("%s: %s, attempt %d of %d; retrying in %.1f s",
                     label, last_problem, attempt, allowed, wait)
            (policy.sleep or _sleep)(wait)
        elapsed = time.monotonic() - started
        raise SheetsRequestError(
            f"Google Sheets không phản hồi / did not answer: {label} failed {attempt} "
            f"times in {elapsed:.0f} s, last status: {last_problem}. Try again later, "
            "or build from the latest snapshot with --allow-stale.",
            request=label,
            status=last_status,
            attempts=attempt,
        )

    def _refused(self, label: str, err: APIError, attempt: int) -> SheetsRequestError:
        status = err.response.status_code
        detail = _api_message(err)
        if status == 403:
            who = f"the service account {self.account}" if self.account else "the service account"
            hint = (f"chia sẻ bảng tính cho {self.account or 'tài khoản dịch vụ'} (Người xem "
                    "để đọc; Người chỉnh sửa cho `sheet init` và `publish`) / "
                    f"share the spreadsheet with {who} (Viewer to read; Editor for "
                    "`wardbrief sheet init` and `publish`)")
        elif status == 404:
            hint = ("không có bảng tính (hoặc trang) với mã này: kiểm tra mã hoặc đường dẫn / "
                    "no spreadsheet (or tab) with that key: check the key or URL")
        elif status == 401:
            hint = ("Google từ chối khóa: kiểm tra tệp khóa tài khoản dịch vụ / "
                    "Google refused the credentials: check the service-account key file")
        else:
            hint = "yêu cầu bị từ chối / the request was rejected"
        message = (f"Google Sheets từ chối / refused {label}: HTTP {status}"
                   f"{' (' + detail + ')' if detail else ''}; {hint}.")
        return SheetsRequestError(message, request=label, status=status, attempts=attempt)


class RedirectingSession(AuthorizedSession):
    """An AuthorizedSession that sends Sheets API requests to `api_base` instead of
    https://sheets.googleapis.com (gspread builds its URLs from constants in gspread.urls,
    so the redirection is done here, per request, rather than by patching gspread)."""

    def __init__(self, credentials: Credentials, api_base: str | None = None) -> None:
        super().__init__(credentials)
        self.api_base = api_base.rstrip("/") if api_base else None

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:
        if self.api_base and url.startswith(SHEETS_API_ROOT):
            url = self.api_base + url[len(SHEETS_API_ROOT):]
        return super().request(method, url, *args, **kwargs)


def is_loopback_url(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_google_api_url(url: str) -> bool:
    """True only for https://<host>.googleapis.com: the hosts a credential may go to."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    return parts.scheme == "https" and host.endswith(".googleapis.com")


def _settings() -> MachineConfig:
    try:
        return load_settings()
    except ConfigError as exc:
        raise SourceError(str(exc)) from exc


def resolve_credentials(
    settings: MachineConfig, *, write: bool, api_base: str | None
) -> tuple[Credentials, str | None]:
    """(credentials, service-account e-mail). Read-only scope unless `write`."""
    if api_base and not is_google_api_url(api_base):  # an override: never a credential
        return AnonymousCredentials(), None
    path = settings.service_account_file
    if path is None:
        raise SourceError(
            "Chưa cấu hình khóa tài khoản dịch vụ / no service-account key configured: set "
            "WARDBRIEF_SERVICE_ACCOUNT=/path/to/key.json, or service_account_file in "
            "wardbrief.toml or ~/.config/wardbrief/config.toml (README, section Google Sheets)."
        )
    if not path.is_file():
        raise SourceError(
            f"Không tìm thấy tệp khóa {path} / The service-account key {path} (from "
            f"{settings.service_account_origin}) does not exist."
        )
    warning = key_file_warning(path)
    if warning:
        log.warning(warning)
    from google.oauth2 import service_account

    scopes = list(WRITE_SCOPES if write else READ_SCOPES)
    try:
        creds = service_account.Credentials.from_service_account_file(str(path), scopes=scopes)
    except (ValueError, KeyError, OSError) as exc:
        raise SourceError(
            f"{path} không phải tệp khóa JSON của tài khoản dịch vụ / {path} (from "
            f"{settings.service_account_origin}) is not a service-account JSON key: {exc}"
        ) from exc
    return creds, creds.service_account_email


def connect(
    *,
    write: bool = False,
    credentials: Credentials | None = None,
    api_base: str | None = None,
    timeout: float | None = None,
    retry: RetryPolicy | None = None,
    settings: MachineConfig | None = None,
    read_limit: ReadLimit | None = None,
) -> gspread.Client:
    """A gspread client with our retrying HTTP client, a timeout and the right scope."""
    settings = settings or _settings()
    api_base = api_base or settings.sheets_api
    if api_base and not api_base.startswith("https://") and not is_loopback_url(api_base):
        raise SourceError(f"Sheets API base {api_base} must be https:// (or a loopback address)")
    account: str | None = None
    if credentials is None:
        credentials, account = resolve_credentials(settings, write=write, api_base=api_base)
    session = RedirectingSession(credentials, api_base)
    factory = functools.partial(RetryingHTTPClient, policy=retry, account=account,
                                read_limit=read_limit)
    client = gspread.Client(auth=credentials, session=session, http_client=factory)  # type: ignore[arg-type]
    client.set_timeout(timeout or settings.timeout)
    return client


def spreadsheet_key(spec: str | None, settings: MachineConfig | None = None) -> str:
    """The key of `gsheet:<key>`, `gsheet:<URL>`, a URL or a bare key; `gsheet:` alone (or
    nothing) means the `spreadsheet` of the config."""
    text = (spec or "").strip()
    if text.startswith("gsheet:"):
        text = text[len("gsheet:"):].strip()
    if not text:
        configured = (settings or _settings()).spreadsheet
        if not configured:
            raise SourceError(
                "Chưa chỉ bảng tính nào: dùng gsheet:<mã> hoặc đường dẫn của bảng tính. / "
                "No spreadsheet given: pass gsheet:<key> or the sheet's URL, or set "
                "spreadsheet in wardbrief.toml / WARDBRIEF_SPREADSHEET."
            )
        return spreadsheet_key(configured.removeprefix("gsheet:") or "-", settings)
    if "/" in text:
        try:
            return extract_id_from_url(text)
        except NoValidUrlKeyFound as exc:
            raise SourceError(f"{text} không phải đường dẫn của một bảng tính Google / "
                              f"{text} is not the URL of a Google spreadsheet") from exc
    if not _KEY_RE.match(text):
        raise SourceError(f"{text!r} không phải mã bảng tính (chuỗi dài trong đường dẫn) / "
                          f"{text!r} is not a spreadsheet key (the long id in the sheet's URL)")
    return text


def spreadsheet_url(key: str) -> str:
    return SPREADSHEET_WEB_URL.format(key=key)


def make_cell_link(key: str, sheet_ids: Mapping[str, int]) -> CellLink:
    """cell_link(tab title, row, col) -> `…/d/<key>/edit#gid=<gid>&range=<A1>`."""
    base = spreadsheet_url(key)
    ids = dict(sheet_ids)

    def cell_link(tab_title: str, row: int, col: int) -> str | None:
        gid = ids.get(tab_title)
        if gid is None or row < 1 or col < 1:
            return None
        return f"{base}/edit#gid={gid}&range={rowcol_to_a1(row, col)}"

    return cell_link


def _clean_cell(cell: Any) -> Any:
    """As the API gives it -> as the contract reader takes it. Every Sheets number is a
    double: ints become floats (as a local .xlsx yields them); blank text becomes None."""
    if isinstance(cell, bool) or cell is None:
        return cell
    if isinstance(cell, int):
        return float(cell)
    if isinstance(cell, str):
        return cell if cell.strip() else None
    return cell


def is_summary_tab(title: str) -> bool:
    """A tab that `sheet publish` writes — `Tổng hợp`, `Theo dõi`, `Lỗi dữ liệu` — matched
    by tab key: output, never read back as data (nor counted in the fingerprint)."""
    return tab_key(title) in {tab_key(t) for t in WRITTEN_TABS}


def grid_tabs(metadata: Mapping[str, Any]) -> list[tuple[str, int]]:
    """(title, sheetId) of the tabs to read, in the sheet's order: grid tabs only, not the
    summary tab that `sheet publish` writes."""
    sheets = [s.get("properties", {}) for s in metadata.get("sheets", [])]
    sheets.sort(key=lambda p: p.get("index", 0))
    return [
        (p["title"], int(p.get("sheetId", 0)))
        for p in sheets
        if p.get("sheetType", "GRID") == "GRID" and not is_summary_tab(p["title"])
    ]


def _effective(cell: Mapping[str, Any]) -> Any:
    """A CellData's effectiveValue as UNFORMATTED_VALUE would give it."""
    value = cell.get("effectiveValue") or {}
    for kind in ("numberValue", "stringValue", "boolValue"):
        if kind in value:
            return value[kind]
    if "errorValue" in value:
        return ERROR_TEXT.get(str(value["errorValue"].get("type")), "#ERROR!")
    return None


def rows_from_grid(data: Sequence[Mapping[str, Any]]) -> Rows:
    """The cells of one sheet's `data` (GridData), placed as in the sheet (row 1 = first
    list), trailing blanks trimmed as the values API trims them."""
    rows: Rows = []
    for grid in data:
        row_offset, col_offset = int(grid.get("startRow", 0)), int(grid.get("startColumn", 0))
        for number, row_data in enumerate(grid.get("rowData") or [], start=row_offset):
            cells = [_effective(c) for c in row_data.get("values") or []]
            while cells and cells[-1] is None:  # empty cells, not white space: as values
                cells.pop()
            if not cells:
                continue
            while len(rows) <= number:
                rows.append([])
            rows[number] = [None] * col_offset + [_clean_cell(c) for c in cells]
    return rows


def fetch_workbook(client: gspread.Client, key: str) -> dict[str, Any]:
    """The one read of a run: titles, sheetIds, locale, time zone and every cell."""
    return client.http_client.fetch_sheet_metadata(
        key, params={"includeGridData": "true", "fields": GRID_FIELDS})


def pull(client: gspread.Client, key: str) -> tuple[RawWorkbook, dict[str, int]]:
    """Read every tab of the spreadsheet live: (RawWorkbook, tab title -> sheetId)."""
    try:
        metadata = fetch_workbook(client, key)
        tabs_ids = grid_tabs(metadata)
        grids = {s["properties"]["title"]: s.get("data") or [] for s in metadata["sheets"]}
        tabs = {title: rows_from_grid(grids[title]) for title, _ in tabs_ids}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:  # not the API's JSON
        raise SourceError(
            f"Google Sheets answered spreadsheet {key} with something that is not the "
            f"Sheets API's JSON ({type(exc).__name__}: {exc}); check WARDBRIEF_SHEETS_API "
            "or any proxy in between."
        ) from exc
    taken_at = dt.datetime.now(dt.UTC)
    sheet_ids = dict(tabs_ids)
    properties = metadata.get("properties") or {}
    raw = RawWorkbook(
        kind="gsheet",
        location=spreadsheet_url(key),
        tabs=tabs,
        taken_at=taken_at,
        cell_link=make_cell_link(key, sheet_ids),
    )
    set_locale(raw, properties.get("locale"), properties.get("timeZone"))
    return raw, sheet_ids


def open_gsheet(
    spec: str,
    *,
    allow_stale: bool = False,
    snapshot_dir: str | Path | None = None,
    credentials: Credentials | None = None,
    api_base: str | None = None,
    timeout: float | None = None,
    retry: RetryPolicy | None = None,
    read_limit: ReadLimit | None = None,
    **_ignored: Any,
) -> RawWorkbook:
    """Read the Google Sheet named by `spec` and keep a snapshot of what was read.

    When the sheet cannot be read: with `allow_stale`, the newest snapshot of that
    spreadsheet (stale=True, taken_at = when it was taken); otherwise SourceError.
    `read_limit` paces the requests with the other processes of the run."""
    settings = _settings()
    key = spreadsheet_key(spec, settings)
    folder = Path(snapshot_dir) if snapshot_dir is not None else settings.snapshot_dir
    try:
        client = connect(credentials=credentials, api_base=api_base, timeout=timeout,
                         retry=retry, settings=settings, read_limit=read_limit)
        raw, sheet_ids = pull(client, key)
    except SourceError as exc:
        if not allow_stale:
            raise
        return _stale(key, folder, exc)
    try:
        save_snapshot(raw, folder, spreadsheet_id=key, sheet_ids=sheet_ids)
    except OSError as exc:
        raise SourceError(f"Đã đọc bảng tính nhưng không lưu được bản chụp vào {folder} / "
                          f"The sheet was read but its snapshot cannot be kept in {folder}: "
                          f"{exc}") from exc
    return raw


def _stale(key: str, folder: Path, failure: SourceError) -> RawWorkbook:
    snap = latest_snapshot(folder, spreadsheet_id=key)
    if snap is None:
        raise SourceError(
            f"{failure}\nKhông có bản chụp nào của bảng tính {key} trong {folder} / "
            f"No snapshot of spreadsheet {key} in {folder} to fall back on."
        ) from failure
    raw = snap.raw
    raw.cell_link = make_cell_link(key, snap.sheet_ids)
    taken = raw.taken_at.isoformat(timespec="seconds") if raw.taken_at else "?"
    log.warning("Dữ liệu cũ / stale data: %s -- using the snapshot taken %s (%s)",
                failure, taken, snap.path)
    return raw
