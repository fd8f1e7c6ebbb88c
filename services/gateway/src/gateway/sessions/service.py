"""Logins, refreshes, logouts and revocations; failed attempts throttled (rules.py); every step audited.

A failure is an outcome, not an exception: its counters and audit lines must be saved with the answer.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.keys.service import KEYS
from gateway.sessions import rules
from gateway.sessions.models import AuditEntry, LoginThrottle, RefreshToken
from gateway.settings import GatewaySettings, gateway_settings
from servicekit import tokens
from servicekit.clock import now
from servicekit.logs import correlation_id
from servicekit.settings import common_settings

log = logging.getLogger("gateway.sessions")


@dataclass(frozen=True)
class Issued:
    access_token: str
    expires_in: int
    refresh_token: str | None = None
    refresh_expires_in: int | None = None


@dataclass(frozen=True)
class Refused:
    status: int  # 401 wrong credentials or token, 429 wait
    code: str
    message: str
    retry_after: int | None = None


async def audit(
    session: AsyncSession,
    action: str,
    *,
    login: str | None = None,
    address: str | None = None,
    actor: str | None = None,
    **detail: object,
) -> None:
    session.add(
        AuditEntry(
            at=now(session),
            action=action,
            login=login,
            address=address,
            actor=actor,
            detail=detail,
            correlation_id=correlation_id.get(),
        )
    )
    log.info("auth audit", extra={"action": action, "login": login, "actor": actor, **detail})


# -- throttling -----------------------------------------------------------------------------------------------------


def _policies(settings: GatewaySettings) -> dict[str, rules.LockPolicy]:
    window = settings.failure_window_seconds
    base = settings.base_lock_seconds
    return {
        "account": rules.LockPolicy(settings.free_attempts * 2, base, settings.account_lock_max_seconds, window),
        "pair": rules.LockPolicy(settings.free_attempts, base, settings.pair_lock_max_seconds, window),
        "address": rules.LockPolicy(settings.address_free_attempts, base, settings.address_lock_max_seconds, window),
    }


async def _throttles(session: AsyncSession, login: str, address: str) -> dict[str, tuple[str, rules.Throttle]]:
    keys = rules.throttle_keys(login, address)
    rows = {
        row.key: row for row in await session.scalars(select(LoginThrottle).where(LoginThrottle.key.in_(keys.values())))
    }
    found: dict[str, tuple[str, rules.Throttle]] = {}
    for kind, key in keys.items():
        row = rows.get(key)
        throttle = rules.Throttle(row.failures, row.last_failure_at, row.locked_until) if row else rules.Throttle()
        found[kind] = (key, throttle)
    return found


async def check_throttle(session: AsyncSession, login: str, address: str) -> Refused | None:
    """A 429 while any of the attempt's keys waits; the attempt is not even checked then."""
    at = now(session)
    waits = {
        kind: rules.wait_seconds(throttle, at)
        for kind, (_, throttle) in (await _throttles(session, login, address)).items()
    }
    longest = max(waits.values())
    if not longest:
        return None
    await audit(session, "login_throttled", login=login, address=address, waiting=[k for k, v in waits.items() if v])
    return Refused(429, "too_many_attempts", f"too many failed attempts; retry in {longest} s", retry_after=longest)


async def record_failure(session: AsyncSession, login: str, address: str, reason: str) -> None:
    at = now(session)
    policies = _policies(gateway_settings())
    for kind, (key, before) in (await _throttles(session, login, address)).items():
        after = rules.after_failure(before, at, policies[kind])
        await session.merge(
            LoginThrottle(key=key, failures=after.failures, last_failure_at=at, locked_until=after.locked_until)
        )
        if rules.just_locked(before, after, at):
            await audit(
                session,
                "lockout",
                login=login,
                address=address,
                scope=kind,
                until=after.locked_until.isoformat() if after.locked_until else None,
            )
    await audit(session, "login_failed", login=login, address=address, reason=reason)


async def record_success(session: AsyncSession, login: str, address: str) -> None:
    """The account's and the pair's counters start again; the address keeps its count (one good account would
    otherwise reset a guesser's address)."""
    keys = rules.throttle_keys(login, address)
    await session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.key.in_([keys["account"], keys["pair"]]))
        .values(failures=0, locked_until=None)
    )


# -- tokens ----------------------------------------------------------------------------------------------------------


async def access_token(
    session: AsyncSession, *, subject: str, roles: list[str], team: str | None, ttl: int, session_id: str | None = None
) -> str:
    settings = common_settings()
    kid, key = await KEYS.signing_key(session)
    claims = rules.access_claims(
        subject=subject,
        roles=roles,
        team=team,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        issued=int(time.time()),  # the wall clock every verifier checks expiry against, not the service's clock
        ttl_seconds=ttl,
        session_id=session_id,
    )
    return tokens.sign(claims, key, kid)


async def _new_link(session: AsyncSession, login: str, family_id: str, family_expires_at: datetime) -> tuple[str, int]:
    at = now(session)
    ttl = gateway_settings().refresh_ttl_seconds
    expires_at = min(at + timedelta(seconds=ttl), family_expires_at)
    token, token_hash = rules.new_refresh_token()
    session.add(
        RefreshToken(
            id=str(uuid.uuid4()),
            family_id=family_id,
            login=login,
            token_hash=token_hash,
            issued_at=at,
            expires_at=expires_at,
            family_expires_at=family_expires_at,
        )
    )
    return token, max(1, int((expires_at - at).total_seconds()))


async def start_session(session: AsyncSession, login: str, roles: list[str], team: str | None) -> Issued:
    family_id = str(uuid.uuid4())
    family_expires_at = now(session) + timedelta(seconds=gateway_settings().session_max_seconds)
    refresh, refresh_ttl = await _new_link(session, login, family_id, family_expires_at)
    ttl = common_settings().jwt_ttl_seconds
    access = await access_token(session, subject=login, roles=roles, team=team, ttl=ttl, session_id=family_id)
    return Issued(access, ttl, refresh, refresh_ttl)


async def login(session: AsyncSession, login_name: str, password: str, address: str) -> Issued | Refused:
    from gateway.staff import rules as staff_rules
    from gateway.staff import service as staff_service

    login_name = staff_rules.normalise_login(login_name)
    if refused := await check_throttle(session, login_name, address):
        return refused
    staff = await staff_service.find(session, login_name)
    usable = staff is not None and staff.active
    if not staff_rules.password_matches(staff.password_hash if staff and usable else None, password):
        await record_failure(
            session,
            login_name,
            address,
            "unknown login" if staff is None else "wrong password" if usable else "inactive",
        )
        return Refused(401, "invalid_credentials", "wrong login or password")
    assert staff is not None
    await record_success(session, login_name, address)
    if staff.password_hash and staff_rules.needs_rehash(staff.password_hash):
        staff.password_hash = staff_rules.hash_password(password)
    issued = await start_session(session, staff.login, list(staff.roles), staff.team)
    await audit(session, "login", login=staff.login, address=address)
    return issued


async def refresh(session: AsyncSession, token: str, address: str) -> Issued | Refused:
    """The next link of the chain; a link used before means the chain leaked: all of it is revoked."""
    from gateway.staff import service as staff_service

    link = await session.scalar(select(RefreshToken).where(RefreshToken.token_hash == rules.hash_refresh_token(token)))
    at = now(session)
    if link is None:
        await audit(session, "refresh_refused", address=address, reason="unknown token")
        return Refused(401, "invalid_refresh_token", "the refresh token is not valid")
    if link.revoked_at is not None or link.expires_at <= at:
        await audit(session, "refresh_refused", login=link.login, address=address, reason="revoked or expired")
        return Refused(401, "invalid_refresh_token", "the refresh token is not valid")
    # used exactly once: of two concurrent refreshes with one token, one wins and the other is a reuse
    claimed = await session.execute(
        update(RefreshToken).where(RefreshToken.id == link.id, RefreshToken.used_at.is_(None)).values(used_at=at)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        await revoke_family(session, link.family_id, reason="refresh token reused", actor=None, login=link.login)
        await audit(session, "refresh_reuse", login=link.login, address=address, chain=link.family_id)
        return Refused(401, "invalid_refresh_token", "the refresh token was already used; the session is revoked")
    staff = await staff_service.find(session, link.login)
    if staff is None or not staff.active:
        await revoke_family(session, link.family_id, reason="account disabled", actor=None, login=link.login)
        return Refused(401, "invalid_refresh_token", "the account is disabled")
    new_token, refresh_ttl = await _new_link(session, link.login, link.family_id, link.family_expires_at)
    ttl = common_settings().jwt_ttl_seconds
    access = await access_token(
        session, subject=staff.login, roles=list(staff.roles), team=staff.team, ttl=ttl, session_id=link.family_id
    )
    return Issued(access, ttl, new_token, refresh_ttl)


async def revoke_family(
    session: AsyncSession, family_id: str, *, reason: str, actor: str | None, login: str | None
) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now(session), revoke_reason=reason)
    )
    await audit(session, "session_revoked", login=login, actor=actor, chain=family_id, reason=reason)


async def logout(session: AsyncSession, token: str, address: str) -> None:
    link = await session.scalar(select(RefreshToken).where(RefreshToken.token_hash == rules.hash_refresh_token(token)))
    if link is not None:
        await revoke_family(session, link.family_id, reason="logout", actor=link.login, login=link.login)
        await audit(session, "logout", login=link.login, address=address)


async def revoke_all(session: AsyncSession, login: str, *, reason: str, actor: str) -> int:
    """Sign out everywhere: every chain of the account; access tokens already out expire within 15 minutes."""
    result = await session.execute(
        update(RefreshToken)
        .where(RefreshToken.login == login, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now(session), revoke_reason=reason)
    )
    count = int(result.rowcount or 0)  # type: ignore[attr-defined]
    await audit(session, "sessions_revoked", login=login, actor=actor, reason=reason, links=count)
    return count


async def recent_audit(session: AsyncSession, *, login: str | None, limit: int) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if login:
        query = query.where(AuditEntry.login == login)
    return list((await session.scalars(query)).all())
