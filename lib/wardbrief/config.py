"""Settings that must not live in a notebook: where the Google service-account key is,
which spreadsheet is the ward's, where snapshots go.

Looked up in this order (the first that gives a value wins):

1. environment variables
   - `WARDBRIEF_SERVICE_ACCOUNT`, then `GOOGLE_APPLICATION_CREDENTIALS`: path of the key file
   - `WARDBRIEF_SPREADSHEET`: key or URL of the ward's spreadsheet
   - `WARDBRIEF_SHEETS_API`: base URL of the Sheets API (tests and emulators only)
   - `WARDBRIEF_SNAPSHOT_DIR`: folder of the snapshots of every pull
   - `WARDBRIEF_SHEETS_TIMEOUT`: seconds one Sheets API request may take (default 30)
   - `WARDBRIEF_CONFIG`: path of the config file itself
2. the config file: `wardbrief.toml` in the working folder, else
   `$XDG_CONFIG_HOME/wardbrief/config.toml` (`~/.config/wardbrief/config.toml`):

       service_account_file = "/home/canbo/.config/wardbrief/service-account.json"
       spreadsheet = "https://docs.google.com/spreadsheets/d/1AbC.../edit"
       # optional
       snapshot_dir = "outputs/_snapshots"
       timeout = 30

The key file is a credential: it is never a notebook parameter (papermill writes
parameters into the executed notebook) and never committed.
"""

from __future__ import annotations

import os
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CONFIG_FILENAME = "wardbrief.toml"
DEFAULT_SNAPSHOT_DIR = Path("outputs") / "_snapshots"
DEFAULT_TIMEOUT = 30.0
KEY_ENV_VARS = ("WARDBRIEF_SERVICE_ACCOUNT", "GOOGLE_APPLICATION_CREDENTIALS")

# Every environment variable the suite reads: (name, config-file key or "", Vietnamese, English).
# docs/WORKBOOK.md lists them (generated); a test fails when the code reads one not listed.
ENV_VARS: tuple[tuple[str, str, str, str], ...] = (
    ("WARDBRIEF_SERVICE_ACCOUNT", "service_account_file",
     "đường dẫn tệp khóa tài khoản dịch vụ Google (bí mật, chmod 600)",
     "path of the Google service-account key file (a secret, chmod 600)"),
    ("GOOGLE_APPLICATION_CREDENTIALS", "",
     "như trên, tên biến chuẩn của Google (dùng khi không đặt biến trên)",
     "the same, Google's standard name (used when the one above is not set)"),
    ("WARDBRIEF_SPREADSHEET", "spreadsheet", "mã hoặc đường dẫn Google Sheet của phường",
     "key or URL of the ward's Google Sheet"),
    ("WARDBRIEF_SHEETS_API", "sheets_api",
     "địa chỉ khác của Sheets API (chỉ dùng khi kiểm thử; luôn ẩn danh)",
     "another base URL of the Sheets API (tests only; always anonymous)"),
    ("WARDBRIEF_SHEETS_TIMEOUT", "timeout", "số giây tối đa cho một yêu cầu Sheets API (30)",
     "seconds one Sheets API request may take (30)"),
    ("WARDBRIEF_SNAPSHOT_DIR", "snapshot_dir", "thư mục lưu bản chụp mỗi lần đọc Google Sheet",
     "folder of the snapshots of every Google Sheet read"),
    ("WARDBRIEF_CONFIG", "", "đường dẫn tệp cấu hình (thay cho wardbrief.toml)",
     "path of the config file itself (instead of wardbrief.toml)"),
)


class ConfigError(Exception):
    """The config file cannot be read; the message says which file and why."""


@dataclass(frozen=True)
class MachineConfig:
    service_account_file: Path | None = None
    service_account_origin: str = ""  # where the path came from, for error messages
    spreadsheet: str | None = None
    sheets_api: str | None = None
    snapshot_dir: Path = DEFAULT_SNAPSHOT_DIR
    timeout: float = DEFAULT_TIMEOUT
    config_file: Path | None = None


def config_paths(cwd: Path | None = None) -> list[Path]:
    """Candidate config files, most specific first."""
    explicit = os.environ.get("WARDBRIEF_CONFIG")
    if explicit:
        return [Path(explicit).expanduser()]
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return [(cwd or Path.cwd()) / CONFIG_FILENAME, base / "wardbrief" / "config.toml"]


def read_config_file(cwd: Path | None = None) -> tuple[Path | None, dict[str, Any]]:
    """The first config file that exists and its table (empty when there is none)."""
    for path in config_paths(cwd):
        if path.is_file():
            try:
                with path.open("rb") as handle:
                    return path, tomllib.load(handle)
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise ConfigError(f"{path} cannot be read as TOML: {exc}") from exc
    return None, {}


def load_settings(cwd: Path | None = None) -> MachineConfig:
    path, table = read_config_file(cwd)
    key_file: Path | None = None
    origin = ""
    for name in KEY_ENV_VARS:
        value = os.environ.get(name, "").strip()
        if value:
            key_file, origin = Path(value).expanduser(), f"environment variable {name}"
            break
    if key_file is None and table.get("service_account_file"):
        raw = Path(str(table["service_account_file"])).expanduser()
        # a relative path is relative to the config file, not to wherever the command runs
        key_file = raw if raw.is_absolute() or path is None else path.parent / raw
        origin = f"service_account_file in {path}"
    snapshot_dir = os.environ.get("WARDBRIEF_SNAPSHOT_DIR") or table.get("snapshot_dir")
    timeout = os.environ.get("WARDBRIEF_SHEETS_TIMEOUT") or table.get("timeout")
    try:
        timeout_value = float(timeout) if timeout else DEFAULT_TIMEOUT
    except ValueError as exc:
        raise ConfigError(f"timeout must be a number of seconds, not {timeout!r}") from exc
    return MachineConfig(
        service_account_file=key_file,
        service_account_origin=origin,
        spreadsheet=os.environ.get("WARDBRIEF_SPREADSHEET") or table.get("spreadsheet"),
        sheets_api=os.environ.get("WARDBRIEF_SHEETS_API") or table.get("sheets_api"),
        snapshot_dir=Path(snapshot_dir).expanduser() if snapshot_dir else DEFAULT_SNAPSHOT_DIR,
        timeout=timeout_value,
        config_file=path,
    )


def key_file_warning(path: Path) -> str | None:
    """A sentence for the operator when the key file can be read by other users."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        return (
            f"{path} can be read by other users of this computer; "
            f"restrict it with: chmod 600 {path}"
        )
    return None
