"""Thin event subscribers -> service. The kit handles inbox, session, ack and dead-lettering."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Envelope
from contracts.events.customer import CustomerErasedV1, CustomerRegisteredV1
from engagement.followups import service


async def on_customer_event(session: AsyncSession, envelope: Envelope) -> None:
    event = envelope.payload()
    if isinstance(event, CustomerRegisteredV1):
        await service.plan_onboarding_call(session, event, str(envelope.id))
    elif isinstance(event, CustomerErasedV1):
        await service.forget_customer(session, event.customer_id)
