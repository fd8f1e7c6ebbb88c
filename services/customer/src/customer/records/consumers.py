"""Engagement's events -> the customer record: need changes (R-14) become need tags (R-04) or pending key-information
changes (R-05); the last interaction is `last_contact_at` (R-16). The kit gives inbox, ack and retries."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Envelope
from contracts.events.engagement import LastInteractionChangedV1, NeedChangedV1, NeedKind
from customer.key_information import service as key_information
from customer.records import service


async def on_engagement_event(session: AsyncSession, envelope: Envelope) -> None:
    event = envelope.payload()
    if isinstance(event, LastInteractionChangedV1):
        await service.record_last_contact(session, event.customer_id, event.last_interaction_at)
    elif isinstance(event, NeedChangedV1) and event.kind == NeedKind.tag:
        await service.add_need_tag(session, event.customer_id, event.value, event.recorded_by)
    elif isinstance(event, NeedChangedV1):
        await key_information.request_from_engagement(session, event)
