"""A real SMTP server on 127.0.0.1 for the tests (aiosmtpd): STARTTLS required with a
certificate of a throw-away CA (trustme), AUTH required over TLS, every accepted message
kept; a recipient can be refused for good (550) or for a while (451).

    with SmtpStandIn(tmp_path) as server:
        server.refuse("ghost@donghai.gov.vn")          # 550 for every try
        server.defer("busy@donghai.gov.vn", times=2)  # 451 twice, then accepted
        ... server.port, server.ca_file, server.messages (email.message.EmailMessage)
"""

from __future__ import annotations

import json
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any, Self

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER = "vp.donghai"
PASSWORD = "Mk-DongHai-2026-zq7!"  # what the tests look for in every output
SENDER = "Văn phòng UBND phường Đông Hải <vp.donghai@donghai.gov.vn>"


def configure_mail(folder: Path, server: SmtpStandIn, patch: pytest.MonkeyPatch,
                   leadership: list[str], office: str,
                   sleep: Callable[[float], None] | None = None) -> Path:
    """wardbrief's [mail] settings pointed at `server` (`folder/wardbrief.toml`), the
    password in its environment variable, and the retries' waits handed to `sleep`
    (none by default)."""
    from wardbrief.publish import mail

    config = folder / "wardbrief.toml"
    config.write_text(f"""
[mail]
host = "127.0.0.1"
port = {server.port}
security = "starttls"
user = "{USER}"
from = "{SENDER}"
leadership = {json.dumps(leadership)}
office = "{office}"
ca_file = "{server.ca_file}"
timeout = 10
""", encoding="utf-8")
    patch.setenv("WARDBRIEF_CONFIG", str(config))
    patch.setenv("WARDBRIEF_SMTP_PASSWORD", PASSWORD)
    patch.setattr(mail, "_sleep", sleep or (lambda _seconds: None))
    return config


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    raw: bytes
    tls: bool
    authenticated: bool


class _Handler:
    def __init__(self, server: SmtpStandIn) -> None:
        self.server = server

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        stand_in = self.server
        stand_in.rcpt_attempts.append(address)
        if address.lower() in stand_in.refused:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        if stand_in.deferred.get(address.lower(), 0) > 0:
            stand_in.deferred[address.lower()] -= 1
            return "451 4.7.1 Greylisted, please try again later"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        message = BytesParser(policy=policy.default).parsebytes(raw)
        self.server.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                             message, raw, _encrypted(server, session),
                                             bool(session.authenticated)))
        return "250 2.0.0 Ok: queued"


def _encrypted(server: Any, session: Any) -> bool:
    """After STARTTLS, or on an implicit-TLS port."""
    return session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpStandIn:
    """STARTTLS on a plain port, or TLS from the first byte (`implicit_tls`, as port 465)."""

    def __init__(self, folder: Path, implicit_tls: bool = False) -> None:
        ca = trustme.CA()
        cert = ca.issue_cert("127.0.0.1", "localhost")
        self.ca_file = folder / "smtp-ca.pem"
        ca.cert_pem.write_to_path(str(self.ca_file))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        cert.configure_cert(context)
        self.messages: list[Received] = []
        self.rcpt_attempts: list[str] = []
        self.logins: list[tuple[str, bool]] = []
        self.refused: set[str] = set()
        self.deferred: dict[str, int] = {}
        self.port = _free_port()
        # aiosmtpd counts only STARTTLS as TLS for AUTH: on an implicit-TLS port every
        # byte is encrypted already, so AUTH is offered there without that check
        tls: dict[str, Any] = ({"ssl_context": context, "auth_require_tls": False}
                               if implicit_tls else
                               {"tls_context": context, "require_starttls": True,
                                "auth_require_tls": True})
        self.implicit_tls = implicit_tls
        self.controller = Controller(
            _Handler(self), hostname="127.0.0.1", port=self.port, **tls,
            authenticator=self._authenticate, auth_required=True)

    def _authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str,
                      auth_data: Any) -> AuthResult:
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == USER
              and auth_data.password.decode() == PASSWORD)
        self.logins.append((mechanism, ok))
        return AuthResult(success=ok, handled=False)

    def refuse(self, address: str) -> None:
        self.refused.add(address.lower())

    def defer(self, address: str, times: int) -> None:
        self.deferred[address.lower()] = times

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address in m.rcpt_tos]

    def __enter__(self) -> Self:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()
