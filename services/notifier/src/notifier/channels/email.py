"""Email over SMTP with aiosmtplib (R-40): a few persistent connections shared by concurrent sends.

Message-ID is derived from the idempotency key, so a re-send after a crash carries the same id (the
receiving side and the tests can see duplicates). 5xx replies are permanent, 4xx and network errors transient.
"""

from __future__ import annotations

import asyncio
import contextlib
from email import policy
from email.message import EmailMessage
from email.utils import formatdate

import aiosmtplib

from notifier import unsubscribe
from notifier.channels import Outgoing, Permanent, Transient
from notifier.settings import NotifierSettings


# no folding into encoded words: List-Unsubscribe must stay a plain <URL> (RFC 2369)
POLICY = policy.SMTP.clone(max_line_length=998)


def build(message: Outgoing, sender: str) -> EmailMessage:
    email = EmailMessage(policy=POLICY)
    email["From"] = sender
    email["To"] = message.address
    email["Subject"] = message.subject or ""
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = f"<{message.provider_key}@crm.notifier>"
    if message.unsubscribe_url:
        for name, value in unsubscribe.headers(message.unsubscribe_url).items():
            email[name] = value
    email.set_content(message.text)
    if message.html:
        email.add_alternative(message.html, subtype="html")
    return email


class EmailChannel:
    def __init__(self, settings: NotifierSettings) -> None:
        self.settings = settings
        self._idle: asyncio.Queue[aiosmtplib.SMTP | None] = asyncio.Queue()
        for _ in range(settings.smtp_connections):
            self._idle.put_nowait(None)  # a slot; connected on first use

    async def _connect(self) -> aiosmtplib.SMTP:
        s = self.settings
        client = aiosmtplib.SMTP(
            hostname=s.smtp_host, port=s.smtp_port, timeout=s.smtp_timeout_seconds,
            start_tls=s.smtp_starttls, use_tls=False,
        )
        await client.connect()
        if s.smtp_username:
            await client.login(s.smtp_username, s.smtp_password or "")
        return client

    async def send(self, message: Outgoing) -> str | None:
        client = await self._idle.get()
        try:
            if client is None or not client.is_connected:
                client = await self._connect()
            # flattened here: send_message would re-fold headers with its own policy
            raw = build(message, self.settings.smtp_from).as_bytes()
            await client.sendmail(self.settings.smtp_from, [message.address], raw)
        except aiosmtplib.SMTPRecipientsRefused as exc:
            raise Permanent(_reason(next(iter(exc.recipients), None))) from None
        except aiosmtplib.SMTPResponseException as exc:
            client = await _drop(client)
            if 500 <= exc.code < 600:
                raise Permanent(f"smtp {exc.code} {exc.message}"[:300]) from None
            raise Transient(f"smtp {exc.code}") from None
        except (aiosmtplib.SMTPException, OSError, asyncio.TimeoutError) as exc:
            client = await _drop(client)
            raise Transient(type(exc).__name__) from None
        finally:
            self._idle.put_nowait(client)
        return f"<{message.provider_key}@crm.notifier>"

    async def close(self) -> None:
        while not self._idle.empty():
            await _drop(self._idle.get_nowait())
        for _ in range(self.settings.smtp_connections):
            self._idle.put_nowait(None)


def _reason(exc: aiosmtplib.SMTPResponseException | None) -> str:
    return f"smtp {exc.code} {exc.message}"[:300] if exc is not None else "smtp recipient refused"


async def _drop(client: aiosmtplib.SMTP | None) -> None:
    if client is not None:
        with contextlib.suppress(Exception):
            client.close()
    return None
