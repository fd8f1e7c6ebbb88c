"""Override use cases (R-19): the owner (or a supervisor, a manager) lowers one customer's cadence; its obligations
follow at once. Never commits."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from engagement.cadences import service as cadences
from engagement.overrides.models import CadenceOverride
from engagement.overrides.schemas import OverrideIn
from engagement.plans.service import today
from engagement.segments import service as segments
from servicekit import clock
from servicekit.auth import ALL_ACCOUNTS, Principal
from servicekit.errors import ApiError


def _may_change(principal: Principal, owner: str | None) -> None:
    if principal.subject != owner and not principal.has_any(*ALL_ACCOUNTS):
        raise ApiError(403, "forbidden", "only the owner, a supervisor or a manager changes a customer's cadence")


async def _active(session: AsyncSession, customer_id: str) -> CadenceOverride | None:
    query = select(CadenceOverride).where(
        CadenceOverride.customer_id == customer_id, CadenceOverride.ended_at.is_(None)
    )
    return (await session.scalars(query.with_for_update())).one_or_none()


async def set_override(
    session: AsyncSession, principal: Principal, customer_id: str, data: OverrideIn
) -> CadenceOverride:
    customer = await segments.visible(session, principal, customer_id)
    _may_change(principal, customer.owner)
    if data.until is not None and data.until < today(session):
        raise ApiError(422, "validation_error", "the end date is in the past", field="until")
    now = clock.now(session)
    previous = await _active(session, customer_id)
    if previous is not None:
        previous.ended_at, previous.ended_by = now, principal.subject
    override = CadenceOverride(
        id=str(uuid.uuid4()),
        customer_id=customer_id,
        period=data.period,
        contacts=data.contacts,
        reason=data.reason,
        until=data.until,
        set_by=principal.subject,
        set_at=now,
    )
    session.add(override)
    await session.flush()
    await cadences.replan(session, [customer], now)
    return override


async def end_override(session: AsyncSession, principal: Principal, customer_id: str) -> CadenceOverride:
    customer = await segments.visible(session, principal, customer_id)
    _may_change(principal, customer.owner)
    current = await _active(session, customer_id)
    if current is None:
        raise ApiError(404, "not_found", f"customer {customer_id} has no cadence override")
    now = clock.now(session)
    current.ended_at, current.ended_by = now, principal.subject
    await session.flush()
    await cadences.replan(session, [customer], now)
    return current


async def get_all(session: AsyncSession, principal: Principal, customer_id: str) -> list[CadenceOverride]:
    """Recorded and shown (R-19): the current one first, then the ended ones."""
    await segments.visible(session, principal, customer_id)
    query = (
        select(CadenceOverride)
        .where(CadenceOverride.customer_id == customer_id)
        .order_by(CadenceOverride.set_at.desc())
    )
    return list((await session.scalars(query)).all())
