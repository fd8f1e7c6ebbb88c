"""The local customer read model, from customer.* events (rule 5: stale versions are ignored)."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from complaints import service
from complaints.models import Case, Compensation, CustomerView, TimelineEntry
from contracts import Envelope
from contracts.events.customer import (
    CustomerClassifiedV1,
    CustomerErasedV1,
    CustomerMergedV1,
    CustomerOwnerAssignedV1,
    CustomerRegisteredV1,
    CustomerUpdatedV1,
)


async def on_customer_event(session: AsyncSession, envelope: Envelope) -> None:
    event = envelope.payload()
    if isinstance(event, CustomerMergedV1):
        await session.execute(update(Case).where(Case.customer_id == event.merged_id).values(customer_id=event.survivor_id))
        await _upsert(session, event.merged_id, envelope.aggregate_version, merged_into=event.survivor_id)
        return
    customer_id = envelope.aggregate_id
    view = await session.get(CustomerView, customer_id, with_for_update=True)
    if view is not None and envelope.aggregate_version <= view.version:
        return  # an older or repeated state of the customer: ours is newer
    previous_tier = view.tier if view else None
    if isinstance(event, CustomerRegisteredV1):
        values = {"name": event.name, "tier": event.tier, "owner": event.owner, "team": event.team, "time_zone": event.time_zone}
    elif isinstance(event, CustomerUpdatedV1):
        values = {k: v for k, v in event.profile.items() if k in ("name", "time_zone")}
    elif isinstance(event, CustomerClassifiedV1):
        values = {"tier": event.tier}
    elif isinstance(event, CustomerOwnerAssignedV1):
        values = {"owner": event.owner, "team": event.team}
    elif isinstance(event, CustomerErasedV1):
        values = {"name": None, "erased": True}  # statistics survive, identities do not
        await forget_case_texts(session, customer_id)
    else:
        return
    await _upsert(session, customer_id, envelope.aggregate_version, **values)
    if "tier" in values and previous_tier is not None and values["tier"] != previous_tier:
        await service.apply_customer_tier(session, customer_id, str(values["tier"]))
    elif view is None and "tier" in values:
        await service.link_waiting_cases(session, customer_id, str(values["tier"]))


async def _upsert(session: AsyncSession, customer_id: str, version: int, **values: object) -> None:
    view = await session.get(CustomerView, customer_id)
    if view is None:
        session.add(CustomerView(customer_id=customer_id, version=version, erased=False, **values))
    else:
        for key, value in values.items():
            setattr(view, key, value)
        view.version = version
    await session.flush()


ERASED = "erased"


async def forget_case_texts(session: AsyncSession, customer_id: str) -> None:
    """R-09/R-42 erasure: free text the customer or staff wrote may name people or hold numbers, so it goes;
    kinds, severities, times, states and amounts stay for the statistics (R-32 monthly review). Idempotent."""
    cases = select(Case.id).where(Case.customer_id == customer_id)
    await session.execute(update(Case).where(Case.customer_id == customer_id).values(content=ERASED, requested_outcome=None))
    await session.execute(update(TimelineEntry).where(TimelineEntry.case_id.in_(cases)).values(note=None))
    await session.execute(update(Compensation).where(Compensation.case_id.in_(cases)).values(reason=None))
