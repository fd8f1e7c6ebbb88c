"""Keep the read model from customer and case events; every change says whether the segment or the owner moved,
so the cadence and the open work can follow. Stale events (an older aggregate_version) are ignored (rule 5)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Envelope
from contracts.events.cases import CaseClosedV1, CaseKind, CaseReceivedV1
from contracts.events.customer import (
    CustomerClassifiedV1,
    CustomerOwnerAssignedV1,
    CustomerRegisteredV1,
    CustomerRiskChangedV1,
    CustomerTagsChangedV1,
)
from engagement.segments.models import KnownCustomer
from servicekit.auth import Principal, sees_account
from servicekit.errors import not_found


@dataclass(frozen=True)
class Change:
    customer: KnownCustomer
    segment_changed: bool = False
    owner_changed: bool = False


async def get(session: AsyncSession, customer_id: str, *, for_update: bool = False) -> KnownCustomer | None:
    return await session.get(KnownCustomer, customer_id, with_for_update=for_update or None)


async def visible(session: AsyncSession, principal: Principal, customer_id: str) -> KnownCustomer:
    """The customer if the caller works it (R-09); unknown, merged, erased or another team's -> 404."""
    customer = await get(session, customer_id)
    if (
        customer is None
        or customer.merged_into
        or not sees_account(principal, owner=customer.owner, team=customer.team)
    ):
        raise not_found("customer", customer_id)
    return customer


async def register(session: AsyncSession, event: CustomerRegisteredV1, version: int) -> Change | None:
    if await get(session, event.customer_id) is not None:
        return None
    customer = KnownCustomer(
        id=event.customer_id,
        number=event.number,
        customer_type=event.customer_type.value,
        stage=event.stage.value,
        tier=event.tier.value,
        service_level=event.service_level.value,
        tags=[],
        risk_state="normal",
        open_complaints=[],
        owner=event.owner,
        team=event.team,
        registered_at=event.registered_at,
        version=version,
        planned_version=0,
    )
    session.add(customer)
    await session.flush()
    return Change(customer, segment_changed=True)


async def apply(session: AsyncSession, envelope: Envelope) -> Change | None:
    """A later customer event on a customer we know; None when unknown or stale."""
    event = envelope.payload()
    customer_id = getattr(event, "customer_id", None)
    customer = await get(session, customer_id, for_update=True) if customer_id else None
    if customer is None or envelope.aggregate_version <= customer.version:
        return None
    customer.version = envelope.aggregate_version
    if isinstance(event, CustomerClassifiedV1):
        customer.customer_type, customer.stage = event.customer_type.value, event.stage.value
        customer.tier, customer.service_level = event.tier.value, event.service_level.value
        return Change(customer, segment_changed=True)
    if isinstance(event, CustomerTagsChangedV1):
        customer.tags = list(event.tags)
        return Change(customer, segment_changed=True)
    if isinstance(event, CustomerRiskChangedV1):
        customer.risk_state = event.risk_state.value
        return Change(customer, segment_changed=True)
    if isinstance(event, CustomerOwnerAssignedV1):
        moved = (customer.owner, customer.team) != (event.owner, event.team)
        customer.owner, customer.team = event.owner, event.team
        return Change(customer, owner_changed=moved)
    return Change(customer)


async def case_received(session: AsyncSession, event: CaseReceivedV1) -> Change | None:
    customer = await get(session, event.customer_id, for_update=True)
    if customer is None or event.kind != CaseKind.complaint or event.case_id in customer.open_complaints:
        return None
    customer.open_complaints = [*customer.open_complaints, event.case_id]
    return Change(customer, segment_changed=len(customer.open_complaints) == 1)


async def case_closed(session: AsyncSession, event: CaseClosedV1) -> Change | None:
    customer = await get(session, event.customer_id, for_update=True)
    if customer is None or event.case_id not in customer.open_complaints:
        return None
    customer.open_complaints = [c for c in customer.open_complaints if c != event.case_id]
    return Change(customer, segment_changed=not customer.open_complaints)


async def merge(session: AsyncSession, survivor_id: str, merged_id: str) -> KnownCustomer | None:
    merged = await get(session, merged_id, for_update=True)
    if merged is None or merged.merged_into:
        return None
    merged.merged_into = survivor_id
    return merged


async def erase(session: AsyncSession, customer_id: str, at: object) -> KnownCustomer | None:
    customer = await get(session, customer_id, for_update=True)
    if customer is None or customer.erased_at is not None:
        return None
    customer.erased_at = at  # type: ignore[assignment]
    return customer


async def live_ids_after(session: AsyncSession, after: str, limit: int) -> list[str]:
    query = (
        select(KnownCustomer.id)
        .where(KnownCustomer.id > after, KnownCustomer.merged_into.is_(None), KnownCustomer.erased_at.is_(None))
        .order_by(KnownCustomer.id)
        .limit(limit)
    )
    return list((await session.scalars(query)).all())
