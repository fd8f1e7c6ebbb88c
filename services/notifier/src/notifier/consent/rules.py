"""Consent rules (R-42), pure: who may receive which purpose, and the signed one-click unsubscribe token
(RFC 8058) that carries who, which channel and purpose. The signing secret is passed in."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from itsdangerous import BadSignature, URLSafeSerializer

NEEDS_CONSENT = frozenset({"care", "marketing"})
_SALT = "notifier.unsubscribe.v1"


def allowed(purpose: str, channel: str, granted: bool | None) -> tuple[bool, str | None]:
    """Service messages need no consent; care and marketing only with consent for that channel (R-42).
    Returns (allowed, reason when not)."""
    if purpose not in NEEDS_CONSENT:
        return True, None
    if granted:
        return True, None
    return False, "consent_withdrawn" if granted is False else "no_consent"


class BadToken(ValueError):
    """The token was not signed by us or is malformed."""


@dataclass(frozen=True)
class Unsubscription:
    customer_id: str
    contact_id: str
    channel: str
    purpose: str


@cache
def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=_SALT)


def unsubscribe_token(customer_id: str, contact_id: str, channel: str, purpose: str, *, secret: str) -> str:
    return _serializer(secret).dumps([customer_id, contact_id, channel, purpose])


def read_unsubscribe_token(value: str, *, secret: str) -> Unsubscription:
    try:
        data = _serializer(secret).loads(value)
    except BadSignature:
        raise BadToken("the unsubscribe link is not valid") from None
    if not (isinstance(data, list) and len(data) == 4 and all(isinstance(part, str) for part in data)):
        raise BadToken("the unsubscribe link is not valid")
    return Unsubscription(*data)


def unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 2369 / RFC 8058 headers that let a mail client unsubscribe with one click (a POST to `url`)."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
