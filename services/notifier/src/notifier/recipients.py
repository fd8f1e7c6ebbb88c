"""The local recipient list (R-09) from customer.* events: language, time zone, owner, contact addresses
(encrypted). Stale events are ignored by aggregate_version (rule 5); erasure deletes, a merge re-points."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.events.customer import CustomerContactsChangedV1, CustomerMergedV1
from notifier.models import Consent, Message, Recipient, RecipientContact

PROFILE_FIELDS = ("language", "time_zone", "owner", "team")


@dataclass(frozen=True)
class Address:
    """Where one customer message goes; None address = the contact has none for that channel."""

    contact_id: str | None
    address: str | None
    language: str | None
    time_zone: str | None


async def _recipient(session: AsyncSession, customer_id: str) -> Recipient:
    row = await session.get(Recipient, customer_id, with_for_update=True)
    if row is None:
        row = Recipient(customer_id=customer_id, version=0, contacts_version=0)
        session.add(row)
    return row


async def apply_profile(session: AsyncSession, customer_id: str, version: int, values: dict[str, object]) -> None:
    """customer.registered/updated: keep only the fields sending needs."""
    row = await _recipient(session, customer_id)
    if version <= row.version:
        return  # an older or repeated state: ours is newer
    row.version = version
    for field in PROFILE_FIELDS:
        if field in values:
            setattr(row, field, values[field])
    await session.flush()


async def apply_contacts(session: AsyncSession, version: int, event: CustomerContactsChangedV1) -> None:
    """The full contact list replaces ours (addresses encrypted by the column type)."""
    row = await _recipient(session, event.customer_id)
    if version <= row.contacts_version:
        return
    row.contacts_version = version
    if event.language is not None:
        row.language = event.language
    if event.time_zone is not None:
        row.time_zone = event.time_zone
    await session.execute(delete(RecipientContact).where(RecipientContact.customer_id == event.customer_id))
    session.add_all(
        RecipientContact(
            customer_id=event.customer_id, contact_id=c.contact_id, email=c.email, phone=c.phone, is_primary=c.primary
        )
        for c in event.contacts
    )
    await session.flush()


async def erase(session: AsyncSession, customer_id: str) -> None:
    """R-09/R-42: forget the identities; message rows keep only statistics (no address, no body)."""
    for table in (RecipientContact, Consent, Recipient):
        await session.execute(delete(table).where(table.customer_id == customer_id))
    await session.execute(
        update(Message)
        .where(Message.customer_id == customer_id)
        .values(address=None, subject=None, body=None, html=None, unsubscribe_url=None, contact_id=None)
    )


async def merge(session: AsyncSession, event: CustomerMergedV1) -> None:
    """The merged customer's contacts, consents and messages now belong to the survivor."""
    survivor, merged = event.survivor_id, event.merged_id
    for table in (RecipientContact, Consent, Message):
        await session.execute(update(table).where(table.customer_id == merged).values(customer_id=survivor))
    await session.execute(delete(Recipient).where(Recipient.customer_id == merged))
    await session.flush()


async def customer_addresses(
    session: AsyncSession, customer_id: str, contact_id: str | None, channels: list[str]
) -> dict[str, Address] | None:
    """None when the customer is unknown; otherwise per channel the chosen contact's address."""
    recipient = await session.get(Recipient, customer_id)
    if recipient is None:
        return None
    contacts = (
        await session.scalars(select(RecipientContact).where(RecipientContact.customer_id == customer_id))
    ).all()
    return choose(recipient, list(contacts), contact_id, channels)


def choose(
    recipient: Recipient, contacts: list[RecipientContact], contact_id: str | None, channels: list[str]
) -> dict[str, Address]:
    """The named contact, else the primary, else the first; per channel its address (None if it has none)."""
    if contact_id is not None:
        chosen = next((c for c in contacts if c.contact_id == contact_id), None)
    else:
        chosen = next((c for c in contacts if c.is_primary), contacts[0] if contacts else None)
    by_channel = {"email": chosen.email, "sms": chosen.phone} if chosen is not None else {}
    return {
        channel: Address(
            chosen.contact_id if chosen else contact_id, by_channel.get(channel), recipient.language, recipient.time_zone
        )
        for channel in channels
    }


def staff_address(contacts: dict[str, dict[str, str]], staff: str, channel: str) -> str | None:
    """Staff addresses from settings, by subject or `team:<name>`; the in-app inbox always reaches staff."""
    if channel == "in_app":
        return staff
    return (contacts.get(staff) or {}).get(channel)
