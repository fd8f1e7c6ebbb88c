"""Login throttling and refresh tokens (pure: the clock is passed in).

Failed attempts are counted per account, per client address and per (account, address) pair. Past a few free
attempts each further failure doubles the wait. The pair and the address may wait long: that is the guesser.
The account alone waits at most `account_lock_max_seconds`, so a stranger guessing from elsewhere slows a real
user down for minutes, never locks them out for long; failures older than the window are forgotten.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class LockPolicy:
    free_attempts: int
    base_seconds: int
    max_seconds: int
    window_seconds: int


@dataclass(frozen=True)
class Throttle:
    failures: int = 0
    last_failure_at: datetime | None = None
    locked_until: datetime | None = None


def throttle_keys(login: str, address: str) -> dict[str, str]:
    """kind -> key of the counters one attempt touches."""
    return {"account": f"account:{login}", "address": f"address:{address}", "pair": f"pair:{login}|{address}"}


def wait_seconds(throttle: Throttle, now: datetime) -> int:
    """How long this key must still wait; 0 when it may try."""
    if throttle.locked_until is None or throttle.locked_until <= now:
        return 0
    return max(1, int((throttle.locked_until - now).total_seconds() + 0.999))


def after_failure(throttle: Throttle, now: datetime, policy: LockPolicy) -> Throttle:
    """The counter after one more failure: past the free attempts, the wait doubles up to the policy's maximum."""
    recent = throttle.last_failure_at is not None and now - throttle.last_failure_at < timedelta(
        seconds=policy.window_seconds
    )
    failures = (throttle.failures if recent else 0) + 1
    over = failures - policy.free_attempts
    if over <= 0:
        return Throttle(failures, now, None)
    seconds = min(policy.base_seconds * 2 ** min(over - 1, 30), policy.max_seconds)
    return Throttle(failures, now, now + timedelta(seconds=seconds))


def just_locked(before: Throttle, after: Throttle, now: datetime) -> bool:
    return wait_seconds(after, now) > 0 and wait_seconds(before, now) == 0


def new_refresh_token() -> tuple[str, str]:
    """A refresh token (256 random bits) and the hash it is stored under."""
    token = secrets.token_urlsafe(32)
    return token, hash_refresh_token(token)


def hash_refresh_token(token: str) -> str:
    # a random 256-bit token needs no slow hash: sha256 cannot be reversed to it
    return hashlib.sha256(token.encode()).hexdigest()


def access_claims(
    *,
    subject: str,
    roles: list[str],
    team: str | None,
    issuer: str,
    audience: str,
    issued: int,
    ttl_seconds: int,
    session_id: str | None = None,
) -> dict[str, object]:
    """`issued` in Unix seconds on the wall clock every verifier checks `exp` against."""
    claims: dict[str, object] = {
        "sub": subject,
        "roles": roles,
        "team": team,
        "iss": issuer,
        "aud": audience,
        "iat": issued,
        "exp": issued + ttl_seconds,
        "jti": secrets.token_hex(8),
    }
    if session_id:
        claims["sid"] = session_id
    return claims
