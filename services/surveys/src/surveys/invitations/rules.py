"""Invitation rules, pure: the signed link token, the contact window (R-33), reminder and expiry times.

A token is `itsdangerous`-signed [invitation id, expiry]: it cannot be forged or altered without the
secret, so a guessed or edited link finds nothing; the database keeps only its SHA-256. The same
invitation always signs to the same token, so the reminder repeats the first link.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from itsdangerous import BadData, URLSafeSerializer

_SALT = "surveys.invitation.v1"


@cache
def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=_SALT)


def make_token(secret: str, invitation_id: str, expires_at: datetime) -> str:
    return str(_serializer(secret).dumps([invitation_id, int(expires_at.timestamp())]))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class TokenClaims:
    invitation_id: str
    expires_at: datetime


def read_token(secret: str, token: str) -> TokenClaims | None:
    """The token's claims, or None for anything not signed by us (no hint which part failed)."""
    try:
        invitation_id, expires = _serializer(secret).loads(token)
        return TokenClaims(str(invitation_id), datetime.fromtimestamp(int(expires), UTC))
    except (BadData, TypeError, ValueError):
        return None


def expired(expires_at: datetime | None, now: datetime) -> bool:
    return expires_at is None or now >= expires_at


def expiry(now: datetime, valid_days: int) -> datetime:
    # whole seconds: the token carries the expiry as an integer timestamp
    return (now + timedelta(days=valid_days)).replace(microsecond=0)


def reminder_due(now: datetime, after_days: int, expires_at: datetime) -> datetime | None:
    """One reminder after `after_days` unanswered, if the link is still valid then."""
    due = now + timedelta(days=after_days)
    return due if due < expires_at else None


def window_start(now: datetime, window_days: int) -> datetime:
    """R-33/R-43: a contact invited after this moment is not surveyed again."""
    return now - timedelta(days=window_days)


def contact_key(contact_id: str | None) -> str:
    return contact_id or ""
