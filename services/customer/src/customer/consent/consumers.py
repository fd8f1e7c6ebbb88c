"""The notifier's unsubscribe link withdraws consent here (R-42). The kit's consumer gives inbox, ack and retries."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Envelope
from contracts.events.notification import NotificationUnsubscribedV1
from customer.consent import service


async def on_unsubscribed(session: AsyncSession, envelope: Envelope) -> None:
    event = envelope.payload()
    if isinstance(event, NotificationUnsubscribedV1):
        await service.record_unsubscribe(session, event)
