"""Staff directory use cases: add, change, disable, reset a password, list; every change is a staff.*.v1 event."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.events.staff import StaffDisabledV1, StaffRegisteredV1, StaffSnapshot, StaffUpdatedV1
from gateway.sessions import service as sessions
from gateway.staff import rules
from gateway.staff.models import Staff
from gateway.staff.schemas import StaffCreate, StaffUpdate
from servicekit.clock import now
from servicekit.errors import ApiError, not_found
from servicekit.outbox import record_event


async def find(session: AsyncSession, login: str) -> Staff | None:
    return await session.scalar(select(Staff).where(Staff.login == rules.normalise_login(login)))


async def get(session: AsyncSession, login: str) -> Staff:
    staff = await find(session, login)
    if staff is None:
        raise not_found("staff", login)
    return staff


async def list_staff(session: AsyncSession, *, include_inactive: bool = True) -> list[Staff]:
    query = select(Staff).order_by(Staff.login)
    if not include_inactive:
        query = query.where(Staff.active.is_(True))
    return list((await session.scalars(query)).all())


async def _check_supervisor(session: AsyncSession, supervisor: str | None, login: str) -> None:
    if supervisor is None:
        return
    if supervisor == login:
        raise ApiError(422, "validation_error", "a person does not supervise themselves", field="supervisor")
    if await find(session, supervisor) is None:
        raise ApiError(422, "validation_error", f"no staff member {supervisor}", field="supervisor")


async def _publish(session: AsyncSession, event_type: type[StaffSnapshot], staff: Staff) -> None:
    fields = {name: getattr(staff, name) for name in rules.SNAPSHOT_FIELDS}
    await record_event(
        session, rules.snapshot(event_type, staff.id, fields), aggregate_id=staff.id, aggregate_version=staff.version
    )


async def add(session: AsyncSession, body: StaffCreate) -> tuple[Staff, str | None]:
    """A new account; the generated password (shown once) when none was given."""
    login = rules.normalise_login(body.login)
    if await find(session, login) is not None:
        raise ApiError(409, "conflict", f"the login {login} is taken", field="login")
    await _check_supervisor(session, body.supervisor, login)
    generated = None if body.password else rules.generate_password()
    at = now(session)
    staff = Staff(
        id=str(uuid.uuid4()),
        login=login,
        display_name=body.display_name,
        email=str(body.email) if body.email else None,
        phone=body.phone,
        roles=[role.value for role in body.roles],
        team=body.team,
        supervisor=body.supervisor,
        language=body.language,
        time_zone=body.time_zone,
        active=True,
        password_hash=rules.hash_password(body.password or generated or ""),
        version=1,
        created_at=at,
        updated_at=at,
    )
    session.add(staff)
    await session.flush()
    await _publish(session, StaffRegisteredV1, staff)
    return staff, generated


async def update(session: AsyncSession, login: str, body: StaffUpdate) -> Staff:
    staff = await get(session, login)
    changes: dict[str, Any] = body.model_dump(exclude_unset=True, mode="json")
    if "supervisor" in changes:
        await _check_supervisor(session, changes["supervisor"], staff.login)
    for name, value in changes.items():
        setattr(staff, name, value)
    staff.version += 1
    staff.updated_at = now(session)
    await _publish(session, StaffUpdatedV1, staff)
    return staff


async def disable(session: AsyncSession, login: str, *, actor: str) -> Staff:
    """No more logins; every session of the account is revoked."""
    staff = await get(session, login)
    if staff.active:
        staff.active = False
        staff.version += 1
        staff.updated_at = now(session)
        await _publish(session, StaffDisabledV1, staff)
    await sessions.revoke_all(session, staff.login, reason="account disabled", actor=actor)
    return staff


async def set_password(session: AsyncSession, login: str, password: str | None, *, actor: str) -> str | None:
    """A new password (a generated one is returned, shown once); every session of the account is revoked."""
    staff = await get(session, login)
    generated = None if password else rules.generate_password()
    staff.password_hash = rules.hash_password(password or generated or "")
    staff.updated_at = now(session)
    await sessions.revoke_all(session, staff.login, reason="password reset", actor=actor)
    return generated


async def bootstrap_admin(session: AsyncSession) -> str | None:
    """On an empty directory only: an `admin` account with a generated password (returned, shown once)."""
    if await session.scalar(select(func.count()).select_from(Staff)):
        return None
    _, password = await add(
        session,
        StaffCreate(login="admin", display_name="Administrator", roles=["admin"]),  # type: ignore[list-item]
    )
    return password
