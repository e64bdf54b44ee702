"""SMTP: one connection to the ward's mail server, opened when first needed and again
after a failure; temporary failures (4xx replies, lost connections, timeouts) retried a
bounded number of times with growing waits, a permanent refusal (5xx) reported at once.
The password is read when the connection is opened (wardbrief.config.smtp_password) and
never printed, logged or passed on. What is sent, to whom and once: wardbrief.publish.mail.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import parseaddr

from wardbrief.config import MailSettings, smtp_password

MAX_ATTEMPTS = 4  # per message: the first try and three retries
BACKOFF_S = (2.0, 8.0, 30.0)  # waits before the retries



class Refused(Exception):
    """The server refused this message for good (5xx), or retries ran out."""

    def __init__(self, reason: str, permanent: bool) -> None:
        super().__init__(reason)
        self.permanent = permanent


class MailServerError(Exception):
    """Nothing can be sent (login refused, TLS failed, no STARTTLS): stop, say why."""


def _reply(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return f"{code} {' '.join(text.split())}"


class Mailer:
    """One SMTP connection, opened when first needed and again after a failure."""

    def __init__(self, settings: MailSettings,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings
        self.sleep = sleep  # the wait before a retry
        self.smtp: smtplib.SMTP | None = None

    def _context(self) -> ssl.SSLContext:
        cafile = str(self.settings.ca_file) if self.settings.ca_file else None
        return ssl.create_default_context(cafile=cafile)

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout,
                                                  context=self._context())
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        try:
            smtp.ehlo()
            if s.security == "starttls":
                smtp.starttls(context=self._context())
                smtp.ehlo()
            if s.user:
                try:
                    smtp.login(s.user, smtp_password(s) or "")
                except UnicodeEncodeError:  # smtplib sends user and password as ASCII
                    raise MailServerError("the SMTP user or password holds characters "
                                          "other than ASCII, which smtplib cannot send") from None
        except BaseException:
            smtp.close()
            raise
        return smtp

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None

    def send(self, message: EmailMessage, recipient: str) -> None:
        """Hand `message` to the server for `recipient`: retried on temporary failures;
        Refused when refused for good, MailServerError when nothing can be sent."""
        envelope_from = parseaddr(self.settings.sender)[1] or self.settings.sender
        last = ""
        for attempt in range(MAX_ATTEMPTS):
            if attempt:
                self.sleep(BACKOFF_S[min(attempt - 1, len(BACKOFF_S) - 1)])
            try:
                if self.smtp is None:
                    self.smtp = self._connect()
                self.smtp.send_message(message, from_addr=envelope_from, to_addrs=[recipient])
                return
            except smtplib.SMTPAuthenticationError as exc:
                self.close()
                raise MailServerError(
                    f"the server refused the login of {self.settings.user!r}: "
                    f"{_reply(exc.smtp_code, exc.smtp_error)}") from None
            except MailServerError:
                self.close()
                raise
            except smtplib.SMTPNotSupportedError as exc:
                self.close()
                raise MailServerError(f"{self.settings.host}: {exc}") from None
            except ssl.SSLError as exc:
                self.close()
                raise MailServerError(f"TLS with {self.settings.host} failed: {exc}") from None
            except smtplib.SMTPRecipientsRefused as exc:
                code, text = next(iter(exc.recipients.values()))
                last = _reply(code, text)
                self._after_refusal()
                if code >= 500:
                    raise Refused(last, permanent=True) from None
            except smtplib.SMTPResponseException as exc:  # sender, data, connect, …
                last = _reply(exc.smtp_code, exc.smtp_error)
                self._after_refusal()
                if exc.smtp_code >= 500:
                    raise Refused(last, permanent=True) from None
            except (TimeoutError, smtplib.SMTPServerDisconnected, OSError) as exc:
                last = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                self.close()
        raise Refused(f"{last} (after {MAX_ATTEMPTS} attempts)", permanent=False)

    def _after_refusal(self) -> None:
        """A refused transaction leaves the session usable once reset."""
        try:
            if self.smtp is not None:
                self.smtp.rset()
        except (smtplib.SMTPException, OSError):
            self.close()
