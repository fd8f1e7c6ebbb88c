"""R-42 consent per contact, channel and purpose: an append-only history whose newest row is in force.

Every change adds a row and a customer.consent_changed.v1 in the same transaction.
The notifier's unsubscribe link arrives as notification.unsubscribed.v1 and is
recorded here as a withdrawal, so this service stays the record of consent.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.events.customer import CustomerConsentChangedV1
from contracts.events.notification import NotificationUnsubscribedV1
from customer.audit import service as audit
from customer.consent.models import Consent
from customer.consent.rules import UNSUBSCRIBE_SOURCE, ConsentChange, current_state, is_stale
from customer.contacts.models import Contact
from customer.records.models import Customer
from servicekit import clock
from servicekit.auth import Principal
from servicekit.outbox import record_event


async def history(session: AsyncSession, contact_id: str) -> list[Consent]:
    rows = await session.scalars(
        select(Consent).where(Consent.contact_id == contact_id).order_by(Consent.recorded_at, Consent.id)
    )
    return list(rows)


async def record(
    session: AsyncSession,
    customer: Customer,
    contact: Contact,
    change: ConsentChange,
    *,
    actor: Principal | str,
    at: datetime | None = None,
) -> Consent:
    """Append one consent row, bump the customer's version and emit consent_changed in this transaction."""
    recorded_by = actor if isinstance(actor, str) else actor.subject
    row = Consent(
        customer_id=customer.id,
        contact_id=contact.id,
        channel=change.channel.value,
        purpose=change.purpose.value,
        granted=change.granted,
        source=change.source,
        recorded_by=recorded_by,
        recorded_at=at or clock.now(session),
    )
    session.add(row)
    customer.version += 1
    audit.record(
        session,
        actor,
        "consent",
        customer_id=customer.id,
        contact_id=contact.id,
        channel=row.channel,
        purpose=row.purpose,
        granted=row.granted,
        source=row.source,
    )
    await record_event(
        session,
        CustomerConsentChangedV1(
            customer_id=customer.id,
            contact_id=contact.id,
            channel=change.channel,
            purpose=change.purpose,
            granted=change.granted,
            source=change.source,
            recorded_at=row.recorded_at,
        ),
        aggregate_id=customer.id,
        aggregate_version=customer.version,
    )
    return row


async def record_unsubscribe(session: AsyncSession, event: NotificationUnsubscribedV1) -> Consent | None:
    """The unsubscribe link withdraws consent at once (R-42); stale or repeated withdrawals change nothing."""
    contact = await session.get(Contact, event.contact_id)
    customer = await session.get(Customer, event.customer_id, with_for_update=True)
    if contact is None or customer is None or contact.customer_id != customer.id or customer.erased_at is not None:
        return None
    newest = current_state(await history(session, contact.id)).get((event.channel.value, event.purpose.value))
    if is_stale(newest, event.unsubscribed_at) or (newest is not None and not newest.granted):
        return None
    change = ConsentChange(event.channel, event.purpose, granted=False, source=UNSUBSCRIBE_SOURCE)
    return await record(session, customer, contact, change, actor=audit.SYSTEM, at=event.unsubscribed_at)
