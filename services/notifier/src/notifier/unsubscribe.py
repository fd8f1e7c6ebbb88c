"""Signed single-click unsubscribe links (R-42, RFC 8058): the link carries who, which channel and purpose."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.events.notification import NotificationUnsubscribedV1
from notifier import consent
from servicekit.db import utcnow
from servicekit.outbox import record_event

_SALT = "notifier.unsubscribe.v1"


class BadToken(ValueError):
    """The token was not signed by us or is malformed."""


@dataclass(frozen=True)
class Unsubscription:
    customer_id: str
    contact_id: str
    channel: str
    purpose: str


def _settings():  # noqa: ANN202 - notifier.settings is H4's module; read lazily
    from notifier.settings import notifier_settings

    return notifier_settings()


@cache
def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=_SALT)


def token(customer_id: str, contact_id: str, channel: str, purpose: str, *, secret: str | None = None) -> str:
    secret = secret or _settings().unsubscribe_secret
    return _serializer(secret).dumps([customer_id, contact_id, channel, purpose])


def read_token(value: str, *, secret: str | None = None) -> Unsubscription:
    secret = secret or _settings().unsubscribe_secret
    try:
        data = _serializer(secret).loads(value)
    except BadSignature:
        raise BadToken("the unsubscribe link is not valid") from None
    if not (isinstance(data, list) and len(data) == 4 and all(isinstance(part, str) for part in data)):
        raise BadToken("the unsubscribe link is not valid")
    return Unsubscription(*data)


def link(recipient_customer_id: str, contact_id: str, channel: str, purpose: str) -> str:
    """The absolute URL a care or marketing message shows (R-42)."""
    base = _settings().public_base_url.rstrip("/")
    return f"{base}/unsubscribe/{token(recipient_customer_id, contact_id, channel, purpose)}"


def headers(url: str) -> dict[str, str]:
    """RFC 2369 / RFC 8058 headers that let a mail client unsubscribe with one click (a POST to `url`)."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


async def apply(session: AsyncSession, found: Unsubscription, *, at: datetime | None = None) -> bool:
    """Withdraw the consent in the caller's transaction and tell the customer service (R-42).

    Idempotent: a second use of the same link changes nothing and records no second event.
    """
    if await consent.granted(session, found.customer_id, found.contact_id, found.channel, found.purpose) is False:
        return False  # already withdrawn: the same link used twice
    at = at or utcnow()
    await consent.withdraw(
        session, found.customer_id, found.contact_id, found.channel, found.purpose, "unsubscribe_link", at=at
    )
    event = NotificationUnsubscribedV1(
        customer_id=found.customer_id,
        contact_id=found.contact_id,
        channel=found.channel,
        purpose=found.purpose,
        unsubscribed_at=at,
    )
    await record_event(session, event, aggregate_id=found.customer_id, aggregate_version=0)
    return True
