"""The Google Sheets source, driven through the real gspread client against the local
stand-in of the Sheets v4 API (tests/sheets_standin.py). Nothing leaves 127.0.0.1."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
from pathlib import Path

import pytest
from builders import FIXTURES
from sheets_standin import SheetsStandIn, isolate
from wardbrief.commands import cli, sheet
from wardbrief.config import load_settings
from wardbrief.figures.metrics import compute_metrics, load
from wardbrief.read import schema
from wardbrief.read.contract import read_workbook
from wardbrief.read.names import tab_key
from wardbrief.read.sources import SourceError, gsheet, open_source
from wardbrief.read.sources.gsheet import (
    READ_SCOPES,
    WRITE_SCOPES,
    RetryPolicy,
    SheetsRequestError,
    open_gsheet,
    resolve_credentials,
    rows_from_grid,
    spreadsheet_key,
)

MESSY_KEY = "1MessyDongHaiSheet_2026-abc"
CLEAN_KEY = "1CleanDongHaiSheet_2026-xyz"
AS_OF, PERIOD_START = dt.date(2026, 11, 27), dt.date(2026, 11, 1)
MESSY_TITLES = ["HuongDan", "DonVi", "Lĩnh vực", "CauHinh", "NgayNghi", "PhanAnh",
                "Nhiệm vụ", "Truyền thông", "ChiTieu"]


READ = f"/v4/spreadsheets/{MESSY_KEY}"  # the one read request of a run


@pytest.fixture
def standin(monkeypatch, tmp_path):
    isolate(monkeypatch, tmp_path)
    with SheetsStandIn() as server:
        server.add_xlsx(MESSY_KEY, FIXTURES / "messy.xlsx")
        server.add_xlsx(CLEAN_KEY, FIXTURES / "clean.xlsx")
        monkeypatch.setenv("WARDBRIEF_SHEETS_API", server.base_url)
        yield server


@pytest.fixture
def sleeps(monkeypatch):
    """Backoff waits are recorded, not slept."""
    waited: list[float] = []
    monkeypatch.setattr(gsheet, "_sleep", waited.append)
    return waited


@pytest.fixture
def snapshots(tmp_path):
    return tmp_path / "outputs" / "_snapshots"


def gid(standin: SheetsStandIn, key: str, title: str) -> int:
    return standin.sheet(key, title).sheet_id


# --- one request per run -----------------------------------------------------------------

def test_one_read_request_per_run(standin, snapshots):
    raw = open_gsheet(f"gsheet:{MESSY_KEY}", snapshot_dir=snapshots)

    # titles, sheetIds, locale and every cell's effective value in one spreadsheets.get:
    # one read of the per-minute quota the wards of a city share
    assert [(r.method, r.path) for r in standin.requests] == [
        ("GET", f"/v4/spreadsheets/{MESSY_KEY}")]
    (read,) = standin.requests
    assert read.param("includeGridData") == "true"
    assert read.param("fields") == gsheet.GRID_FIELDS
    assert "sheetId" in read.param("fields") and "effectiveValue" in read.param("fields")
    # anonymous credentials: no token was requested, none is sent
    assert all("authorization" not in r.headers for r in standin.requests)

    assert raw.kind == "gsheet"
    assert raw.location == f"https://docs.google.com/spreadsheets/d/{MESSY_KEY}"
    assert list(raw.tabs) == MESSY_TITLES
    assert raw.stale is False
    assert raw.taken_at.tzinfo is not None
    assert abs((dt.datetime.now(dt.UTC) - raw.taken_at).total_seconds()) < 60


def test_cells_pass_through_as_the_api_gives_them(standin, snapshots):
    raw = open_gsheet(f"gsheet:{MESSY_KEY}", snapshot_dir=snapshots)
    phan_anh = raw.tabs["PhanAnh"]
    assert phan_anh[0] == []  # the blank row above the header stays, so row numbers hold
    assert phan_anh[1][:3] == ["STT", "Mã phản ánh", "Ngày tiếp nhận"]
    # row 3: STT 1 (a number, as float), text date kept as text, blanks -> None,
    # Ngày trả lời 2026-08-17 as its serial number
    row = phan_anh[2]
    assert row[0] == 1.0 and isinstance(row[0], float)
    assert row[2] == "03.08.2026"
    assert row[10:13] == [None, None, None]
    assert row[13] == 46251.0 == (dt.date(2026, 8, 17) - dt.date(1899, 12, 30)).days
    # row 37: a datetime cell arrives as a fractional serial number
    assert phan_anh[36][2] == pytest.approx(46252 + (16 * 60 + 7) / 1440)


def test_rows_from_grid_places_cells_as_the_sheet_shows_them():
    def cell(**value):
        return {"effectiveValue": value} if value else {}

    grid = [{"startRow": 2, "startColumn": 1, "rowData": [
        {"values": [cell(stringValue="a"), cell(), cell(numberValue=3)]},
        {},  # a blank row
        {"values": [cell(boolValue=True), cell(errorValue={"type": "N_A"}), cell(), cell()]},
        {"values": [cell(stringValue="  ")]},
        {"values": [cell()]},  # blank rows at the end are trimmed, as the values API does
    ]}]
    assert rows_from_grid(grid) == [[], [], [None, "a", None, 3.0], [], [None, True, "#N/A"],
                                    [None, None]]
    assert rows_from_grid([{}]) == [] and rows_from_grid([]) == []


# --- faults ------------------------------------------------------------------------------

def test_429_then_success_is_retried(standin, sleeps, snapshots):
    standin.fail(READ, status=429, times=1)
    raw = open_gsheet(f"gsheet:{MESSY_KEY}", snapshot_dir=snapshots)

    batch = standin.requests_to(READ)
    assert [r.status for r in batch] == [429, 200]
    assert len(standin.requests_to(f"/v4/spreadsheets/{MESSY_KEY}", "GET")) == 2
    assert len(sleeps) == 1 and 0.5 <= sleeps[0] <= 1.0
    assert raw.tabs["DonVi"][1][0] == "VP"


def test_retry_after_is_honoured(standin, sleeps, snapshots):
    standin.fail(READ, status=429, times=1, retry_after="7")
    open_gsheet(f"gsheet:{MESSY_KEY}", snapshot_dir=snapshots)
    assert sleeps == [7.0]


def test_persistent_503_gives_up_within_the_bound(standin, sleeps, snapshots):
    standin.fail(READ, status=503)
    with pytest.raises(SheetsRequestError) as caught:
        open_gsheet(f"gsheet:{MESSY_KEY}", snapshot_dir=snapshots)

    err = caught.value
    assert len(standin.requests_to(READ)) == 5
    assert (err.attempts, err.status) == (5, 503)
    assert err.request == f"GET spreadsheets/{MESSY_KEY}"
    message = str(err)
    assert f"GET spreadsheets/{MESSY_KEY} failed" in message
    assert "5 times" in message and "HTTP 503" in message and "--allow-stale" in message
    # exponential backoff with jitter: the n-th wait lies in [2**(n-1)/2, 2**(n-1)] s
    assert len(sleeps) == 4
    for n, wait in enumerate(sleeps, start=1):
        assert 2 ** (n - 1) / 2 <= wait <= 2 ** (n - 1)
    assert not snapshots.exists() or not list(snapshots.iterdir())  # nothing pulled, none kept


def test_failing_metadata_request_is_named(standin, sleeps, snapshots):
    standin.fail(f"/v4/spreadsheets/{MESSY_KEY}", status=500)
    with pytest.raises(SheetsRequestError) as caught:
        open_gsheet(MESSY_KEY, snapshot_dir=snapshots, retry=RetryPolicy(attempts=3))
    assert caught.value.request == f"GET spreadsheets/{MESSY_KEY}"
    assert "failed 3 times" in str(caught.value) and "HTTP 500" in str(caught.value)
    assert len(standin.requests) == 3


def test_timeout_is_retried(standin, sleeps, snapshots):
    # each request but the late one is answered well within the timeout, even on a busy
    # machine (a tighter timeout could expire on them too)
    standin.fail(READ, status=None, delay=1.5, times=1)
    raw = open_gsheet(f"gsheet:{MESSY_KEY}", snapshot_dir=snapshots, timeout=1.0)
    assert len(standin.requests_to(READ)) == 2
    assert len(sleeps) == 1
    assert raw.tabs["PhanAnh"][2][1] == "PA-2026-000505"


def test_persistent_timeout_names_the_timeout(standin, sleeps, snapshots):
    standin.fail(READ, status=None, delay=1.5)
    with pytest.raises(SheetsRequestError) as caught:
        open_gsheet(f"gsheet:{MESSY_KEY}", snapshot_dir=snapshots, timeout=1.0,
                    retry=RetryPolicy(attempts=2))
    assert caught.value.status is None and caught.value.attempts == 2
    assert "timeout" in str(caught.value) and f"spreadsheets/{MESSY_KEY}" in str(caught.value)


def test_permission_denied_is_not_retried_and_says_what_to_do(standin, sleeps, snapshots):
    standin.fail(status=403)
    with pytest.raises(SheetsRequestError) as caught:
        open_gsheet(f"gsheet:{MESSY_KEY}", snapshot_dir=snapshots)
    assert len(standin.requests) == 1 and sleeps == []
    assert caught.value.status == 403 and "share the spreadsheet" in str(caught.value)


def test_unknown_spreadsheet_is_a_clear_error(standin, sleeps, snapshots):
    with pytest.raises(SheetsRequestError) as caught:
        open_gsheet("gsheet:1NoSuchSheetAnywhere", snapshot_dir=snapshots)
    assert caught.value.status == 404 and "check the key or URL" in str(caught.value)
    assert len(standin.requests) == 1


def test_a_proxy_page_instead_of_json(standin, sleeps, snapshots):
    page = b"<html><body><h1>502 Bad Gateway</h1>" + b"x" * 5000 + b"</body></html>"
    standin.fail(READ, status=502, raw_body=page)
    with pytest.raises(SheetsRequestError) as caught:
        open_gsheet(f"gsheet:{MESSY_KEY}", snapshot_dir=snapshots, retry=RetryPolicy(attempts=2))
    assert caught.value.status == 502 and "<html>" not in str(caught.value)
    assert len(standin.requests_to(READ)) == 2

    standin.clear_faults()
    standin.fail(READ, status=200, raw_body=b"<html>sign in</html>")
    with pytest.raises(SourceError, match="not the Sheets API's JSON"):
        open_gsheet(f"gsheet:{MESSY_KEY}", snapshot_dir=snapshots)


# --- the spreadsheet's address and the credentials --------------------------------------

def test_spreadsheet_key_from_spec_url_and_config(standin, tmp_path):
    url = f"https://docs.google.com/spreadsheets/d/{MESSY_KEY}/edit#gid=0"
    assert spreadsheet_key(f"gsheet:{MESSY_KEY}") == MESSY_KEY
    assert spreadsheet_key(url) == MESSY_KEY
    assert spreadsheet_key(f"gsheet:{url}") == MESSY_KEY
    (tmp_path / "wardbrief.toml").write_text(f'spreadsheet = "{url}"\n', encoding="utf-8")
    assert spreadsheet_key("gsheet:") == MESSY_KEY
    with pytest.raises(SourceError, match="not a spreadsheet key"):
        spreadsheet_key("gsheet:bad key!")


def test_open_source_dispatches_keys_and_urls(standin, snapshots):
    url = f"https://docs.google.com/spreadsheets/d/{CLEAN_KEY}/edit#gid=0"
    raw = open_source(url, snapshot_dir=snapshots)
    assert raw.kind == "gsheet" and list(raw.tabs)[:2] == ["DonVi", "LinhVuc"]
    assert len(standin.requests_to(f"/v4/spreadsheets/{CLEAN_KEY}")) == 1


def test_no_key_configured_is_a_clear_error(monkeypatch, tmp_path):
    isolate(monkeypatch, tmp_path)  # real API base, no key anywhere: fails before any request
    with pytest.raises(SourceError, match="WARDBRIEF_SERVICE_ACCOUNT"):
        open_gsheet(f"gsheet:{MESSY_KEY}", snapshot_dir=tmp_path / "s")


def _service_account_key(path: Path) -> Path:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    path.write_text(json.dumps({
        "type": "service_account", "project_id": "donghai-brief", "private_key_id": "abc",
        "private_key": pem, "client_email": "wardbrief@donghai-brief.iam.gserviceaccount.com",
        "client_id": "1", "token_uri": "https://oauth2.googleapis.com/token",
    }), encoding="utf-8")
    path.chmod(0o600)
    return path


def test_key_file_from_environment_or_config_with_the_right_scope(monkeypatch, tmp_path):
    isolate(monkeypatch, tmp_path)
    keyfile = _service_account_key(tmp_path / "sa.json")
    (tmp_path / "wardbrief.toml").write_text('service_account_file = "sa.json"\n',
                                             encoding="utf-8")
    settings = load_settings()
    assert settings.service_account_file == keyfile
    assert "wardbrief.toml" in settings.service_account_origin

    creds, email = resolve_credentials(settings, write=False, api_base=None)
    assert email == "wardbrief@donghai-brief.iam.gserviceaccount.com"
    assert tuple(creds.scopes) == READ_SCOPES
    creds, _ = resolve_credentials(settings, write=True, api_base=None)
    assert tuple(creds.scopes) == WRITE_SCOPES

    other = _service_account_key(tmp_path / "other.json")
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(other))
    assert load_settings().service_account_file == other
    monkeypatch.setenv("WARDBRIEF_SERVICE_ACCOUNT", str(keyfile))
    assert load_settings().service_account_origin == "environment variable WARDBRIEF_SERVICE_ACCOUNT"

    # a loopback API never gets the real key: anonymous credentials, no token request
    creds, email = resolve_credentials(load_settings(), write=True,
                                       api_base="http://127.0.0.1:9")
    assert type(creds).__name__ == "AnonymousCredentials" and email is None


@pytest.mark.parametrize("api_base", [
    "https://127.1:8443", "https://127.0.0.1:8443", "https://localhost:8443",
    "https://[::1]:8443", "https://0x7f.1:8443", "https://2130706433:8443",
    "https://sheets.example.com", "https://sheets.googleapis.com.evil.example",
    "https://sheets.googleapis.com@evil.example", "http://sheets.googleapis.com",
    "https://googleapis.com.", "http://127.0.0.1:9",
])
def test_an_api_override_never_gets_the_key(monkeypatch, tmp_path, api_base):
    isolate(monkeypatch, tmp_path)
    monkeypatch.setenv("WARDBRIEF_SERVICE_ACCOUNT", str(_service_account_key(tmp_path / "sa.json")))
    creds, email = resolve_credentials(load_settings(), write=True, api_base=api_base)
    assert type(creds).__name__ == "AnonymousCredentials" and email is None


def test_google_api_hosts_get_the_key(monkeypatch, tmp_path):
    isolate(monkeypatch, tmp_path)
    monkeypatch.setenv("WARDBRIEF_SERVICE_ACCOUNT", str(_service_account_key(tmp_path / "sa.json")))
    _creds, email = resolve_credentials(load_settings(), write=False,
                                       api_base="https://sheets.googleapis.com")
    assert email == "wardbrief@donghai-brief.iam.gserviceaccount.com"


def test_bad_key_file_is_a_clear_error(monkeypatch, tmp_path):
    isolate(monkeypatch, tmp_path)
    bogus = tmp_path / "key.json"
    bogus.write_text('{"hello": "world"}', encoding="utf-8")
    monkeypatch.setenv("WARDBRIEF_SERVICE_ACCOUNT", str(bogus))
    with pytest.raises(SourceError, match="not a service-account JSON key"):
        resolve_credentials(load_settings(), write=False, api_base=None)
    monkeypatch.setenv("WARDBRIEF_SERVICE_ACCOUNT", str(tmp_path / "missing.json"))
    with pytest.raises(SourceError, match="does not exist"):
        resolve_credentials(load_settings(), write=False, api_base=None)


def test_a_key_readable_by_others_is_warned_about(monkeypatch, tmp_path, caplog):
    isolate(monkeypatch, tmp_path)
    keyfile = _service_account_key(tmp_path / "sa.json")
    keyfile.chmod(0o644)
    monkeypatch.setenv("WARDBRIEF_SERVICE_ACCOUNT", str(keyfile))
    resolve_credentials(load_settings(), write=False, api_base=None)
    assert f"chmod 600 {keyfile}" in caplog.text


# --- links, figures ----------------------------------------------------------------------

def _source_title(raw, contract_name: str) -> str:
    tab = next(t for t in schema.TABS if t.name == contract_name)
    return next(title for title in raw.tabs if tab_key(title) in tab.title_keys())


def test_data_issues_link_to_their_cell(standin, snapshots):
    raw = open_gsheet(f"gsheet:{MESSY_KEY}", snapshot_dir=snapshots)
    issues = read_workbook(raw).issues
    base = f"https://docs.google.com/spreadsheets/d/{MESSY_KEY}/edit#gid="
    phan_anh = gid(standin, MESSY_KEY, "PhanAnh")

    missing_id = next(i for i in issues if i.sheet == "PhanAnh" and i.row == 36)
    assert missing_id.column == "Mã phản ánh"
    assert missing_id.link == f"{base}{phan_anh}&range=B36"  # column B: STT comes first

    with_rows = [i for i in issues if i.row is not None]
    assert len(with_rows) == 40
    for issue in with_rows:
        match = re.fullmatch(re.escape(base) + r"(\d+)&range=([A-Z]+)(\d+)", issue.link or "")
        assert match, issue
        title = _source_title(raw, issue.sheet)
        assert int(match.group(1)) == gid(standin, MESSY_KEY, title)
        assert int(match.group(3)) == issue.row


@pytest.mark.parametrize("key,workbook", [(MESSY_KEY, "messy.xlsx"), (CLEAN_KEY, "clean.xlsx")])
def test_figures_equal_those_of_the_same_workbook_read_as_xlsx(standin, snapshots, key, workbook):
    from_sheet = compute_metrics(load(f"gsheet:{key}", snapshot_dir=snapshots), AS_OF,
                                 PERIOD_START)
    from_xlsx = compute_metrics(load(FIXTURES / workbook), AS_OF, PERIOD_START)

    assert from_sheet["source"]["kind"] == "gsheet" and from_xlsx["source"]["kind"] == "xlsx"
    assert set(from_sheet) == set(from_xlsx)
    for name in from_xlsx:
        if name in ("source", "data_issues"):
            continue
        assert from_sheet[name] == from_xlsx[name], name
    # the same issues, in the same order (the message may quote the cell as the source
    # holds it: a serial number here, a datetime there); the sheet's also link to their cell
    assert all(i.get("link") for i in from_sheet["data_issues"] if i["row"] is not None)

    def where(issues: list[dict]) -> list[tuple]:
        return [(i["sheet"], i["row"], i["column"], i["severity"]) for i in issues]

    assert where(from_sheet["data_issues"]) == where(from_xlsx["data_issues"])
    expected = json.loads((FIXTURES / workbook.replace(".xlsx", ".expected.json"))
                          .read_text(encoding="utf-8"))
    assert from_sheet["cases"]["totals"] == expected["cases"]["totals"]


# --- snapshots and allow_stale -----------------------------------------------------------

def test_every_pull_is_kept_as_a_snapshot(standin, snapshots):
    first = open_gsheet(f"gsheet:{MESSY_KEY}", snapshot_dir=snapshots)
    second = open_gsheet(f"gsheet:{MESSY_KEY}", snapshot_dir=snapshots)
    files = sorted(snapshots.glob("*.json"))
    assert len(files) == 2
    body = json.loads(files[0].read_text(encoding="utf-8"))
    assert body["kind"] == "gsheet" and body["spreadsheet_id"] == MESSY_KEY
    assert body["location"] == first.location
    assert body["fingerprint"] == first.fingerprint == second.fingerprint
    assert dt.datetime.fromisoformat(body["taken_at"]) == first.taken_at
    assert files[0].name.endswith(first.fingerprint.removeprefix("sha256:")[:12] + ".json")
    assert body["sheet_ids"]["PhanAnh"] == gid(standin, MESSY_KEY, "PhanAnh")
    assert body["tabs"]["DonVi"][1][0] == "VP"


def test_snapshot_goes_to_the_default_folder(standin, tmp_path):
    open_gsheet(f"gsheet:{CLEAN_KEY}")
    assert len(list((tmp_path / "outputs" / "_snapshots").glob("*.json"))) == 1


def test_allow_stale_falls_back_to_the_newest_snapshot(standin, sleeps, snapshots):
    open_gsheet(f"gsheet:{MESSY_KEY}", snapshot_dir=snapshots)
    standin.sheet(MESSY_KEY, "DonVi").rows[1][2] = "Người mới"  # the sheet changes
    newest = open_gsheet(f"gsheet:{MESSY_KEY}", snapshot_dir=snapshots)
    open_gsheet(f"gsheet:{CLEAN_KEY}", snapshot_dir=snapshots)  # another sheet, pulled later
    standin.fail(status=503)

    stale = open_gsheet(f"gsheet:{MESSY_KEY}", snapshot_dir=snapshots, allow_stale=True)
    assert stale.stale is True
    assert stale.taken_at == newest.taken_at
    assert stale.fingerprint == newest.fingerprint
    assert stale.tabs == newest.tabs and stale.tabs["DonVi"][1][2] == "Người mới"
    assert stale.location == newest.location
    assert stale.cell_link("PhanAnh", 5, 2) == newest.cell_link("PhanAnh", 5, 2)
    assert stale.source_info() == {"kind": "gsheet", "fingerprint": newest.fingerprint,
                                   "taken_at": newest.taken_at.isoformat(timespec="seconds"),
                                   "stale": True}
    assert len(list(snapshots.glob("*.json"))) == 3  # a stale read writes no new snapshot

    metrics = compute_metrics(read_workbook(stale), AS_OF, PERIOD_START)
    assert metrics["source"]["stale"] is True
    assert metrics["source"]["taken_at"] == newest.taken_at.isoformat(timespec="seconds")


def test_without_allow_stale_a_failure_is_an_error(standin, sleeps, snapshots):
    open_gsheet(f"gsheet:{MESSY_KEY}", snapshot_dir=snapshots)
    standin.fail(status=503)
    with pytest.raises(SourceError, match="did not answer"):
        open_gsheet(f"gsheet:{MESSY_KEY}", snapshot_dir=snapshots)


def test_allow_stale_without_a_snapshot_says_so(standin, sleeps, snapshots):
    open_gsheet(f"gsheet:{CLEAN_KEY}", snapshot_dir=snapshots)  # a snapshot of another sheet
    standin.fail(status=503)
    with pytest.raises(SourceError) as caught:
        open_gsheet(f"gsheet:{MESSY_KEY}", snapshot_dir=snapshots, allow_stale=True)
    assert f"No snapshot of spreadsheet {MESSY_KEY}" in str(caught.value)
    assert "HTTP 503" in str(caught.value)


# --- the command ---------------------------------------------------------------------------

def sheet_command(argv: list[str]) -> int:
    """`wardbrief sheet …` through the command's own parser (cli.main would also import
    every other command, the notebook runner included, which is slow and not under test)."""
    parser = argparse.ArgumentParser(prog="wardbrief")
    sheet.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["sheet", *argv])
    return args.func(args)


def test_sheet_pull_command(standin, sleeps, snapshots, capsys):
    assert "sheet" in cli.COMMAND_MODULES
    assert sheet_command(["pull", "--key", MESSY_KEY, "--snapshot-dir", str(snapshots)]) == 0
    out = capsys.readouterr().out
    assert "live" in out and "PhanAnh: 310 rows" in out
    standin.fail(status=503)
    assert sheet_command(["pull", "--key", MESSY_KEY, "--snapshot-dir", str(snapshots)]) == 2
    assert "did not answer" in capsys.readouterr().err
    assert sheet_command(["pull", "--key", MESSY_KEY, "--snapshot-dir", str(snapshots),
                          "--allow-stale"]) == 0
    assert "STALE snapshot" in capsys.readouterr().out


def command(module, argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="wardbrief")
    module.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.func(args)


def test_check_and_metrics_commands_read_the_sheet_once_each(standin, sleeps, tmp_path,
                                                             capsys):
    from wardbrief.commands import check, metrics

    assert command(check, ["check", "--source", f"gsheet:{MESSY_KEY}", "--json"]) == 1
    issues = json.loads(capsys.readouterr().out)
    assert any(i.get("link", "").endswith("&range=B36") for i in issues)
    out = tmp_path / "m" / "metrics.json"
    assert command(metrics, ["metrics", "--source", f"gsheet:{MESSY_KEY}", "--as-of",
                             "2026-11-27", "--period-start", "2026-11-01", "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["source"]["kind"] == "gsheet"
    assert len(standin.requests) == 2  # one per run

    standin.fail(status=503)
    assert command(check, ["check", "--source", f"gsheet:{MESSY_KEY}"]) == 2
    assert "did not answer" in capsys.readouterr().err
    assert command(metrics, ["metrics", "--source", f"gsheet:{MESSY_KEY}", "--as-of",
                             "2026-11-27", "--allow-stale", "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["source"]["stale"] is True


# --- the spreadsheet's locale ------------------------------------------------------------

US_KEY = "1CleanSheetInEnglishUS_2026"


def test_locale_and_time_zone_come_with_the_metadata_request(standin, snapshots):
    raw = open_gsheet(f"gsheet:{CLEAN_KEY}", snapshot_dir=snapshots)
    assert (raw.locale, raw.time_zone) == ("vi_VN", "Asia/Ho_Chi_Minh")
    assert raw.source_issues == []
    meta = standin.requests[0]
    assert "locale" in meta.param("fields") and "timeZone" in meta.param("fields")
    assert len(standin.requests) == 1  # no request of its own


def test_a_us_locale_is_a_source_level_error(standin, snapshots):
    standin.add_xlsx(US_KEY, FIXTURES / "clean.xlsx", locale="en_US",
                     time_zone="America/New_York")
    raw = open_gsheet(f"gsheet:{US_KEY}", snapshot_dir=snapshots)
    assert raw.locale == "en_US"
    workbook = read_workbook(raw)
    source = [i for i in workbook.issues if i.row is None and i.column is None
              and i.severity == "error" and "en_US" in i.message]
    assert len(source) == 1
    issue = source[0]
    assert issue.sheet == "(nguồn)"
    assert issue.message.index("Ngôn ngữ và khu vực") < issue.message.index("Locale")
    assert "05/11/2026" in issue.message and "11 May" in issue.message
    assert "Tệp -> Cài đặt" in issue.message and "File -> Settings" in issue.message
    assert issue.link == f"https://docs.google.com/spreadsheets/d/{US_KEY}/edit"
    # the same cells in vi_VN have no such issue
    clean = read_workbook(open_gsheet(f"gsheet:{CLEAN_KEY}", snapshot_dir=snapshots))
    assert [i for i in clean.issues if i.row is None and "Locale" in i.message] == []
    # in metrics.json too, with row null
    metrics = compute_metrics(workbook, AS_OF, PERIOD_START)
    assert {(i["sheet"], i["row"], i["severity"]) for i in metrics["data_issues"]
            if "en_US" in i["message"]} == {("(nguồn)", None, "error")}


def test_the_locale_issue_stays_with_a_stale_snapshot(standin, sleeps, snapshots):
    standin.add_xlsx(US_KEY, FIXTURES / "clean.xlsx", locale="en_PH")
    open_gsheet(f"gsheet:{US_KEY}", snapshot_dir=snapshots)
    standin.fail(status=503)
    stale = open_gsheet(f"gsheet:{US_KEY}", snapshot_dir=snapshots, allow_stale=True,
                        retry=RetryPolicy(attempts=1))
    assert stale.stale and stale.locale == "en_PH"
    assert [i.severity for i in stale.source_issues] == ["error"]


@pytest.mark.parametrize("locale, order", [
    ("vi_VN", "DMY"), ("en_GB", "DMY"), ("fr_FR", "DMY"), ("en_US", "MDY"), ("en_PH", "MDY"),
    ("en", "MDY"), ("ja_JP", "YMD"), ("en_CA", "YMD"),
])
def test_date_order_of_a_locale(locale, order):
    from wardbrief.read.sources.sheet_locale import date_order, locale_issues

    assert date_order(locale) == order
    assert bool(locale_issues(locale)) == (order != "DMY")
