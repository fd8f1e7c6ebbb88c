"""Thin event subscribers -> service. The kit handles inbox, session, ack and dead-lettering."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Envelope
from contracts.events.customer import CustomerRegisteredV1
from engagement import service


async def on_customer_event(session: AsyncSession, envelope: Envelope) -> None:
    event = envelope.payload()
    if isinstance(event, CustomerRegisteredV1):
        await service.plan_onboarding_call(session, event, str(envelope.id))
