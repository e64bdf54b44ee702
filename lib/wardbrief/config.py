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

       [mail]                      # e-mail delivery (`wardbrief send`, `run --send`)
       host = "mail.haiphong.gov.vn"
       port = 587                  # default: 587 starttls, 465 ssl, 25 none
       security = "starttls"       # starttls | ssl | none
       user = "vp.donghai@haiphong.gov.vn"
       from = "Văn phòng UBND phường Đông Hải <vp.donghai@haiphong.gov.vn>"
       leadership = ["chutich.donghai@haiphong.gov.vn", "pct.donghai@haiphong.gov.vn"]
       office = "vp.donghai@haiphong.gov.vn"
       # optional
       password_file = "~/.config/wardbrief/smtp-password"   # mode 0600
       ca_file = "/etc/ssl/certs/ca-gov.pem"  # when the server's certificate is private
       timeout = 30

The key file and the SMTP password are credentials: never a notebook parameter
(papermill writes parameters into the executed notebook), never in a log, never
committed. The password is read from `WARDBRIEF_SMTP_PASSWORD`, else from
`password_file`, which must be readable by its owner only.
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
PASSWORD_ENV_VAR = "WARDBRIEF_SMTP_PASSWORD"
MAIL_SECURITY_PORTS = {"starttls": 587, "ssl": 465, "none": 25}

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
    ("WARDBRIEF_JOBS", "",
     "số tiến trình chạy cùng lúc (như --jobs; mặc định: số nhân CPU dùng được; 1: một tiến trình)",
     "processes at once (as --jobs; default: the usable CPU cores; 1: one process)"),
    ("WARDBRIEF_SMTP_PASSWORD", "mail.password_file",
     "mật khẩu hộp thư gửi báo cáo (bí mật; hoặc ghi trong tệp password_file, chmod 600)",
     ("password of the mailbox that sends the briefings (a secret; else in password_file, "
     "chmod 600)")),
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


# --- e-mail ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MailSettings:
    """The `[mail]` section. The password is not kept here: `smtp_password()` reads it
    when a connection is opened, so no settings object can print it."""

    host: str
    port: int
    security: str
    sender: str
    office: str
    leadership: tuple[str, ...] = ()
    user: str | None = None
    password_file: Path | None = None
    ca_file: Path | None = None
    timeout: float = DEFAULT_TIMEOUT
    config_file: Path | None = None


def _addresses(value: Any, name: str, path: Path | None) -> tuple[str, ...]:
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ConfigError(f"[mail] {name} in {path} must be an address or a list of addresses")
    return tuple(part.strip() for item in items for part in item.split(";") if part.strip())


def _config_path(raw: Any, path: Path | None) -> Path | None:
    if not raw:
        return None
    value = Path(str(raw)).expanduser()
    return value if value.is_absolute() or path is None else path.parent / value


def load_mail_settings(cwd: Path | None = None) -> MailSettings:
    """The `[mail]` section of the config file; ConfigError (naming the file and the
    setting) when it is missing or incomplete."""
    path, table = read_config_file(cwd)
    mail = table.get("mail")
    where = path or " or ".join(str(p) for p in config_paths(cwd))
    if not isinstance(mail, dict):
        raise ConfigError(f"no [mail] section in {where}: e-mail is not set up "
                          "(see README, \"E-mail\")")
    missing = [name for name in ("host", "from", "office") if not str(mail.get(name) or "").strip()]
    if missing:
        raise ConfigError(f"[mail] in {where} lacks {', '.join(missing)}")
    security = str(mail.get("security") or "starttls").strip().lower()
    if security not in MAIL_SECURITY_PORTS:
        raise ConfigError(f"[mail] security in {where} must be starttls, ssl or none, "
                          f"not {security!r}")
    try:
        port = int(mail.get("port") or MAIL_SECURITY_PORTS[security])
        timeout = float(mail.get("timeout") or DEFAULT_TIMEOUT)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"[mail] port and timeout in {where} must be numbers") from exc
    if "password" in mail:
        raise ConfigError(f"[mail] in {where} holds a password: remove it; set "
                          f"{PASSWORD_ENV_VAR} or password_file (a file only you can read)")
    office = _addresses(mail.get("office"), "office", path)
    return MailSettings(
        host=str(mail["host"]).strip(),
        port=port,
        security=security,
        sender=str(mail["from"]).strip(),
        office=office[0] if office else "",
        leadership=_addresses(mail.get("leadership"), "leadership", path),
        user=str(mail["user"]).strip() if mail.get("user") else None,
        password_file=_config_path(mail.get("password_file"), path),
        ca_file=_config_path(mail.get("ca_file"), path),
        timeout=timeout,
        config_file=path,
    )


def smtp_password(settings: MailSettings) -> str | None:
    """The SMTP password: `WARDBRIEF_SMTP_PASSWORD`, else the first line of
    `password_file`, which must belong to this user and be readable by nobody else."""
    value = os.environ.get(PASSWORD_ENV_VAR)
    if value:
        return value
    path = settings.password_file
    if path is None:
        return None
    try:
        info = path.stat()
    except OSError as exc:
        raise ConfigError(f"password_file {path} cannot be read: {exc.strerror}") from exc
    if os.name == "posix" and info.st_uid != os.getuid():
        raise ConfigError(f"password_file {path} belongs to another user; nothing was sent. "
                          "Keep the password in a file of your own (chmod 600)")
    if os.name == "posix" and info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(
            f"password_file {path} can be read by other users of this computer; "
            f"nothing was sent. Restrict it with: chmod 600 {path}")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"password_file {path} cannot be read: {exc.strerror}") from exc
    return lines[0].strip() if lines else None
