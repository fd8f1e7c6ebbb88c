"""Customer and case events -> the read model, and the work that follows it: a new segment re-plans the cadence
(R-11), a new owner takes the open plans, obligations, to-dos and tasks (R-08), a merge re-points them, erasure
clears free text and keeps counts (R-09/R-42). Cases received or closed are interactions (R-16)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Envelope
from contracts.events.cases import CaseClosedV1, CaseReceivedV1
from contracts.events.customer import CustomerErasedV1, CustomerMergedV1, CustomerRegisteredV1
from engagement.cadences import service as cadences
from engagement.communications import service as communications
from engagement.followups import service as followups
from engagement.interactions import service as interactions
from engagement.plans import service as plans
from engagement.segments import service as segments
from engagement.segments.service import Change
from engagement.todos import service as todos
from servicekit import clock


async def on_customer_event(session: AsyncSession, envelope: Envelope) -> None:
    event = envelope.payload()
    if isinstance(event, CustomerRegisteredV1):
        await followups.plan_onboarding_call(session, event, str(envelope.id))
        change = await segments.register(session, event, envelope.aggregate_version)
        if change is not None:
            await interactions.start(session, event.customer_id, event.registered_at)
            await cadences.replan(session, [change.customer], clock.now(session))
    elif isinstance(event, CustomerMergedV1):
        await _merge(session, event)
    elif isinstance(event, CustomerErasedV1):
        await _erase(session, event)
    else:
        await _follow(session, await segments.apply(session, envelope))


async def on_case_event(session: AsyncSession, envelope: Envelope) -> None:
    event = envelope.payload()
    if isinstance(event, CaseReceivedV1):
        await _follow(session, await segments.case_received(session, event))
        await interactions.touch(session, event.customer_id, event.received_at, "case_received")
    elif isinstance(event, CaseClosedV1):
        await _follow(session, await segments.case_closed(session, event))
        await interactions.touch(session, event.customer_id, event.closed_at, "case_closed")


async def _follow(session: AsyncSession, change: Change | None) -> None:
    if change is None:
        return
    customer = change.customer
    if change.owner_changed:
        for concept in (plans, cadences, todos, interactions, followups):
            await concept.move_owner(session, customer.id, customer.owner, customer.team)
        await communications.move_owner(session, customer.id, customer.team)
    if change.segment_changed:
        await cadences.replan(session, [customer], clock.now(session))


async def _merge(session: AsyncSession, event: CustomerMergedV1) -> None:
    merged = await segments.merge(session, event.survivor_id, event.merged_id)
    if merged is None:
        return
    for concept in (cadences, plans, todos, communications, followups, interactions):
        await concept.repoint(session, event.merged_id, event.survivor_id)
    survivor = await segments.get(session, event.survivor_id, for_update=True)
    if survivor is not None:
        await cadences.replan(session, [survivor], clock.now(session))  # contacts logged with the merged one count


async def _erase(session: AsyncSession, event: CustomerErasedV1) -> None:
    await followups.forget_customer(session, event.customer_id)
    customer = await segments.erase(session, event.customer_id, event.erased_at)
    for concept in (plans, todos, communications, interactions):
        await concept.erase(session, event.customer_id)
    if customer is not None:
        await cadences.replan(session, [customer], clock.now(session))  # an erased customer owes no contacts
