"""The local recipient list (R-09) from customer.* events: language, time zone, owner, contact addresses
(encrypted). Stale events are ignored by aggregate_version (rule 5); erasure deletes, a merge re-points."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.events.customer import CustomerContactsChangedV1
from contracts.events.staff import StaffSnapshot
from notifier.recipients.models import Recipient, RecipientContact, StaffRecipient
from notifier.recipients.rules import Address, choose
from servicekit import access

PROFILE_FIELDS = ("language", "time_zone", "owner", "team")


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
    """R-09: forget the customer and the contacts' addresses."""
    for table in (RecipientContact, Recipient):
        await session.execute(delete(table).where(table.customer_id == customer_id))


async def merge(session: AsyncSession, *, survivor_id: str, merged_id: str) -> None:
    """The merged customer's contacts now belong to the survivor; the merged recipient is gone."""
    await session.execute(
        update(RecipientContact).where(RecipientContact.customer_id == merged_id).values(customer_id=survivor_id)
    )
    await session.execute(delete(Recipient).where(Recipient.customer_id == merged_id))
    await session.flush()


async def visible_to(session: AsyncSession, staff: access.Staff, customer_id: str) -> bool:
    """R-09: the customer's owner and team from customer events; a customer not known (or erased) has neither."""
    recipient = await session.get(Recipient, customer_id)
    owner, team = (recipient.owner, recipient.team) if recipient else (None, None)
    return access.sees_record(staff, owner=owner, team=team)


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


async def get_many(
    session: AsyncSession, customer_ids: Iterable[str]
) -> dict[str, tuple[Recipient, list[RecipientContact]]]:
    """Known recipients among `customer_ids`, each with its contacts (one query per table for a batch)."""
    ids = set(customer_ids)
    contacts: dict[str, list[RecipientContact]] = defaultdict(list)
    for contact in await session.scalars(select(RecipientContact).where(RecipientContact.customer_id.in_(ids))):
        contacts[contact.customer_id].append(contact)
    return {
        recipient.customer_id: (recipient, contacts[recipient.customer_id])
        for recipient in await session.scalars(select(Recipient).where(Recipient.customer_id.in_(ids)))
    }


async def apply_staff(session: AsyncSession, version: int, event: StaffSnapshot) -> None:
    """staff.registered/updated/disabled: the whole entry replaces ours; an older or repeated one is ignored."""
    row = await session.scalar(select(StaffRecipient).where(StaffRecipient.staff_id == event.staff_id))
    if row is not None and version <= row.version:
        return
    if row is None:
        row = StaffRecipient(staff_id=event.staff_id, login=event.login)
        session.add(row)
    row.version = version
    row.login = event.login
    for field in ("email", "phone", "team", "supervisor", "language", "time_zone", "active"):
        setattr(row, field, getattr(event, field))
    await session.flush()


async def staff_contacts(session: AsyncSession, login: str) -> dict[str, str] | None:
    """channel -> address of an active staff member from the staff events; None for one never heard of."""
    row = await session.get(StaffRecipient, login)
    if row is None or not row.active:
        return None
    return {channel: address for channel, address in (("email", row.email), ("sms", row.phone)) if address}


async def supervisor_of(session: AsyncSession, login: str | None) -> str | None:
    """The supervisor the staff directory names for `login` (R-26 escalations go to them), if any."""
    if not login:
        return None
    row = await session.get(StaffRecipient, login)
    return row.supervisor if row is not None and row.active else None
