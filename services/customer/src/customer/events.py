"""Outbox events of one customer, stamped with its current version (rule 5 lets consumers drop stale ones)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Event
from contracts.events.customer import ContactPoint as ContactPointEvent
from contracts.events.customer import CustomerContactsChangedV1
from customer.records.models import Customer
from servicekit.outbox import record_events


async def emit(session: AsyncSession, customer: Customer, *events: Event) -> None:
    await record_events(session, [(event, customer.id, customer.version) for event in events])


def contacts_changed(customer: Customer) -> CustomerContactsChangedV1:
    """The full current contact list (first phone and email of each), for the notifier (R-40).

    Records, contacts, key information and merging all end with it.
    """
    return CustomerContactsChangedV1(
        customer_id=customer.id,
        language=customer.language,
        time_zone=customer.time_zone,
        contacts=[
            ContactPointEvent(
                contact_id=contact.id,
                name=contact.name,
                phone=next((p.value for p in contact.points if p.kind == "phone"), None),
                email=next((p.value for p in contact.points if p.kind == "email"), None),
                primary=contact.primary,
            )
            for contact in customer.contacts
        ],
    )
