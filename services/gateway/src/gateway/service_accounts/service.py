"""Service accounts: create (the secret shown once), disable, and the client-credentials token."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.service_accounts.models import ServiceAccount
from gateway.service_accounts.schemas import ServiceAccountCreate
from gateway.sessions import service as sessions
from gateway.settings import gateway_settings
from gateway.staff import rules as passwords
from servicekit.auth import Role
from servicekit.clock import now
from servicekit.errors import ApiError, not_found

SUBJECT_PREFIX = "svc:"


async def create(session: AsyncSession, body: ServiceAccountCreate) -> tuple[ServiceAccount, str]:
    if Role.admin in body.roles:
        raise ApiError(422, "validation_error", "a service account is never an admin", field="roles")
    if await session.get(ServiceAccount, body.client_id) is not None:
        raise ApiError(409, "conflict", f"the client id {body.client_id} is taken", field="client_id")
    secret = passwords.generate_password() + passwords.generate_password()
    account = ServiceAccount(
        client_id=body.client_id,
        secret_hash=passwords.hash_password(secret),
        roles=[role.value for role in body.roles],
        description=body.description,
        active=True,
        created_at=now(session),
    )
    session.add(account)
    await session.flush()
    return account, secret


async def list_accounts(session: AsyncSession) -> list[ServiceAccount]:
    return list((await session.scalars(select(ServiceAccount).order_by(ServiceAccount.client_id))).all())


async def disable(session: AsyncSession, client_id: str, *, actor: str) -> ServiceAccount:
    account = await session.get(ServiceAccount, client_id)
    if account is None:
        raise not_found("service account", client_id)
    account.active = False
    await sessions.audit(session, "service_account_disabled", login=SUBJECT_PREFIX + client_id, actor=actor)
    return account


async def token(session: AsyncSession, client_id: str, secret: str, address: str) -> sessions.Issued | sessions.Refused:
    """An access token with the account's roles only; no refresh token (the client asks again)."""
    subject = SUBJECT_PREFIX + client_id
    if refused := await sessions.check_throttle(session, subject, address):
        return refused
    account = await session.get(ServiceAccount, client_id)
    usable = account is not None and account.active
    if not passwords.password_matches(account.secret_hash if account and usable else None, secret):
        await sessions.record_failure(session, subject, address, "wrong client credentials")
        return sessions.Refused(401, "invalid_client", "wrong client id or secret")
    assert account is not None
    await sessions.record_success(session, subject, address)
    ttl = gateway_settings().service_token_ttl_seconds
    access = await sessions.access_token(session, subject=subject, roles=list(account.roles), team=None, ttl=ttl)
    await sessions.audit(session, "service_token", login=subject, address=address)
    return sessions.Issued(access, ttl)
