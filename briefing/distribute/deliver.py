"""Getting a copy to its reader: a folder per reader, or a real mail server.

Why: ``folder`` needs no server (a shared drive, a sync client, a test); ``smtp``
is how a desk reaches ministers. Every failure becomes the server's own words
for that one delivery, never an exception: the run goes on with the others and
the next run retries. A failure of the connection itself (refused, timeout,
authentication) is not retried within the run: every later message would wait
for the same timeout, so they fail at once with the same words.
"""

from __future__ import annotations

import contextlib
import os
import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path

from briefing.distribute.config import Smtp
from briefing.publish.fsutil import remove_stale_temps, write_atomic


class ConfigProblem(Exception):
    """Delivery cannot start (an environment variable is missing): a usage error,
    reported at ``key`` of the distribution file."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def copy_name(item_id: str, edition: int, number: int) -> str:
    return f"{item_id}-e{edition}-c{number}.pdf"


class FolderDelivery:
    method = "folder"

    def __init__(self, folder: Path) -> None:
        """Also removes temporary files a killed run left (the caller holds the lock)."""
        self.folder = folder
        if folder.is_dir():
            for sub in folder.iterdir():
                if sub.is_dir():
                    remove_stale_temps(sub)

    def deliver(
        self, recipient: str, name: str, pdf: bytes, msg: EmailMessage | None
    ) -> tuple[str | None, str]:
        """(error or None, where it went)."""
        dest = self.folder / recipient / name
        try:
            write_atomic(pdf, dest)
        except OSError as exc:
            return f"cannot write {dest}: {exc.strerror or exc}", str(dest)
        return None, str(dest)

    def close(self) -> None:
        pass


class SmtpDelivery:
    method = "smtp"

    def __init__(self, settings: Smtp) -> None:
        self.settings = settings
        self.user = self._env("username_env", settings.username_env)
        self.password = self._env("password_env", settings.password_env)
        if (self.user is None) != (self.password is None):
            raise ConfigProblem(
                "delivery.smtp", "give both username_env and password_env, or neither"
            )
        self.conn: smtplib.SMTP | None = None
        self.broken: str | None = None

    @staticmethod
    def _env(key: str, name: str | None) -> str | None:
        if name is None:
            return None
        value = os.environ.get(name)
        if value is None:
            message = f"the environment variable {name} is not set"
            raise ConfigProblem(f"delivery.smtp.{key}", message)
        return value

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.security == "ssl":
            conn: smtplib.SMTP = smtplib.SMTP_SSL(
                s.host, s.port, timeout=s.timeout, context=ssl.create_default_context()
            )
        else:
            conn = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            if s.security == "starttls":
                conn.starttls(context=ssl.create_default_context())
        if self.user is not None and self.password is not None:
            conn.ehlo_or_helo_if_needed()
            offered = conn.esmtp_features.get("auth", "").upper().split()
            if "PLAIN" in offered:  # one attempt: a refused password is one clear 535
                conn.user, conn.password = self.user, self.password
                conn.auth("PLAIN", conn.auth_plain)
            else:
                conn.login(self.user, self.password)
        return conn

    def deliver(
        self, recipient: str, name: str, pdf: bytes, msg: EmailMessage | None
    ) -> tuple[str | None, str]:
        assert msg is not None
        to = str(msg["To"])
        if self.broken is not None:
            return self.broken, to
        where = f"{self.settings.host}:{self.settings.port}"
        for attempt in (1, 2):
            if self.conn is None:
                try:
                    self.conn = self._connect()
                except smtplib.SMTPAuthenticationError as exc:
                    self.broken = f"authentication failed: {_words(exc.smtp_code, exc.smtp_error)}"
                except smtplib.SMTPResponseException as exc:
                    self.broken = f"{where} refused: {_words(exc.smtp_code, exc.smtp_error)}"
                except smtplib.SMTPServerDisconnected as exc:
                    # smtplib reports a reply that never came as a closed connection
                    self.broken = (
                        f"timed out after {self.settings.timeout:g} s talking to {where}"
                        if "timed out" in str(exc)
                        else f"{where} closed the connection: {exc}"
                    )
                except TimeoutError:
                    self.broken = f"timed out after {self.settings.timeout:g} s talking to {where}"
                except (OSError, smtplib.SMTPException) as exc:
                    self.broken = f"cannot reach {where}: {exc}"
                if self.broken is not None:
                    self._drop()
                    return self.broken, to
            assert self.conn is not None
            try:
                refused = self.conn.send_message(msg)
            except smtplib.SMTPRecipientsRefused as exc:
                return "; ".join(_words(code, text) for code, text in exc.recipients.values()), to
            except smtplib.SMTPServerDisconnected as exc:
                self._drop()
                if attempt == 2:  # a reconnect did not help
                    return f"{where} closed the connection: {exc}", to
                continue
            except smtplib.SMTPResponseException as exc:  # this message only (552, 451, …)
                return _words(exc.smtp_code, exc.smtp_error), to
            except TimeoutError:
                self.broken = f"timed out after {self.settings.timeout:g} s talking to {where}"
                self._drop()
                return self.broken, to
            except (OSError, smtplib.SMTPException) as exc:
                self._drop()
                return f"lost the connection to {where}: {exc}", to
            if refused:
                return "; ".join(_words(c, t) for c, t in refused.values()), to
            return None, to
        return f"{where} closed the connection", to  # pragma: no cover

    def _drop(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(OSError):
                self.conn.close()
        self.conn = None

    def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self.conn.quit()
        self._drop()


def _words(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {words}".strip()
