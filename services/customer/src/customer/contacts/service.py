"""R-01 contacts of a customer: name, position, phones, emails, birthday. Phones and emails are stored as
ciphertext plus a blind index (servicekit.pii); `position` is key information (R-05)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from customer.audit import service as audit
from customer.change_lag import service as change_lag
from customer.contacts.models import Contact, ContactPoint
from customer.contacts.schemas import ContactCreate, ContactUpdate, EmailIn, PhoneIn
from customer.events import contacts_changed, emit
from customer.key_information import service as key_information
from customer.key_information.models import PendingChange
from customer.privacy.service import ensure_not_erased
from customer.records.models import Customer
from servicekit import access, clock, pii
from servicekit.auth import Principal
from servicekit.errors import ApiError, not_found


def present(contact: Contact, *, unmasked: bool) -> dict[str, Any]:
    def points(kind: str, mask: Any) -> list[dict[str, Any]]:
        return [
            {"value": p.value if unmasked else mask(p.value), "label": p.label}
            for p in contact.points
            if p.kind == kind
        ]

    return {
        "id": contact.id,
        "name": contact.name,
        "position": contact.position,
        "phones": points("phone", pii.mask_phone),
        "emails": points("email", pii.mask_email),
        "birthday": contact.birthday if unmasked else pii.mask_text(contact.birthday),
        "primary": contact.primary,
    }


def _points(contact: Contact, phones: list[PhoneIn], emails: list[EmailIn]) -> list[ContactPoint]:
    entries = [("phone", p.number, p.label) for p in phones] + [("email", e.address, e.label) for e in emails]
    return [
        ContactPoint(
            id=str(uuid.uuid4()),
            customer_id=contact.customer_id,
            kind=kind,
            value=value,
            value_index=pii.blind_index(value),
            label=label,
            position=index,
        )
        for index, (kind, value, label) in enumerate(entries)
    ]


def build(customer: Customer, data: ContactCreate, now: datetime) -> Contact:
    contact = Contact(
        id=str(uuid.uuid4()),
        customer_id=customer.id,
        name=data.name,
        position=data.position,
        birthday=data.birthday.isoformat() if data.birthday else None,
        primary=data.primary,
        created_at=now,
        updated_at=now,
    )
    contact.points = _points(contact, data.phones, data.emails)
    customer.contacts.append(contact)
    if data.primary:
        _only_primary(customer, contact)
    return contact


def _only_primary(customer: Customer, contact: Contact) -> None:
    for other in customer.contacts:
        other.primary = other is contact


def ensure_one_primary(customer: Customer) -> None:
    """Exactly one primary contact when there are any: the first one unless another was chosen."""
    if customer.contacts and not any(c.primary for c in customer.contacts):
        customer.contacts[0].primary = True


MASKED_FIELDS = frozenset({"phones", "emails", "birthday"})  # what `present` masks


def _ensure_may_change(principal: Principal, customer: Customer) -> None:
    """R-09: who sees a customer's contacts masked may not change or delete them either."""
    if not access.may_change_contact_data(principal, owner=customer.owner):
        raise ApiError(
            403, "forbidden", "changing contact data needs the right to see it: the owner, a supervisor or manager"
        )


def _find(customer: Customer, contact_id: str) -> Contact:
    for contact in customer.contacts:
        if contact.id == contact_id:
            return contact
    raise not_found("contact", contact_id)


async def _changed(session: AsyncSession, customer: Customer, now: datetime) -> None:
    customer.version += 1
    customer.updated_at = now
    await emit(session, customer, contacts_changed(customer))


async def add(session: AsyncSession, principal: Principal, customer: Customer, data: ContactCreate) -> Contact:
    ensure_not_erased(customer)
    now = clock.now(session)
    learned_at = change_lag.entered(session, "contact", data.learned_at, now)
    contact = build(customer, data, now)
    ensure_one_primary(customer)
    await _changed(session, customer, now)
    audit.record(
        session,
        principal,
        "contact_added",
        customer_id=customer.id,
        contact_id=contact.id,
        fields=sorted(data.model_fields_set - {"learned_at"}),
        learned_at=learned_at.isoformat(),
    )
    return contact


async def update(
    session: AsyncSession, principal: Principal, customer: Customer, contact_id: str, data: ContactUpdate
) -> tuple[Contact, list[PendingChange]]:
    """Change what was sent; a new position waits for a second confirmation (R-05)."""
    ensure_not_erased(customer)
    sent = data.model_fields_set - {"learned_at"}
    if sent & MASKED_FIELDS:
        _ensure_may_change(principal, customer)
    contact = _find(customer, contact_id)
    now = clock.now(session)
    learned_at = change_lag.entered(session, "contact", data.learned_at, now) if sent else now
    waiting: list[PendingChange] = []
    if "position" in sent and data.position != contact.position:
        waiting.append(
            key_information.request(
                session, principal, customer, contact.id, "position", contact.position, data.position, learned_at
            )
        )
    changed: list[str] = []
    if "name" in sent and data.name != contact.name:
        contact.name = data.name  # type: ignore[assignment]
        changed.append("name")
    if "birthday" in sent:
        birthday = data.birthday.isoformat() if data.birthday else None
        if birthday != contact.birthday:
            contact.birthday = birthday
            changed.append("birthday")
    if {"phones", "emails"} & sent:
        phones = (
            data.phones
            if data.phones is not None
            else [PhoneIn(number=p.value, label=p.label) for p in contact.points if p.kind == "phone"]
        )
        emails = (
            data.emails
            if data.emails is not None
            else [EmailIn(address=p.value, label=p.label) for p in contact.points if p.kind == "email"]
        )
        old = [(p.kind, p.value, p.label) for p in contact.points]
        new_points = _points(contact, phones, emails)
        if [(p.kind, p.value, p.label) for p in new_points] != old:
            contact.points = new_points
            changed += sorted({"phones", "emails"} & sent)
    if data.primary is not None and data.primary != contact.primary:
        if data.primary:
            _only_primary(customer, contact)
        else:
            contact.primary = False
            ensure_one_primary(customer)
        changed.append("primary")
    if changed:
        contact.updated_at = now
        await _changed(session, customer, now)
        audit.record(
            session,
            principal,
            "contact_updated",
            customer_id=customer.id,
            contact_id=contact.id,
            fields=changed,
            learned_at=learned_at.isoformat(),
        )
    return contact, waiting


async def remove(
    session: AsyncSession, principal: Principal, customer: Customer, contact_id: str, learned_at: datetime | None
) -> None:
    ensure_not_erased(customer)
    _ensure_may_change(principal, customer)
    contact = _find(customer, contact_id)
    now = clock.now(session)
    learned = change_lag.entered(session, "contact", learned_at, now)
    customer.contacts.remove(contact)
    await session.delete(contact)
    ensure_one_primary(customer)
    await _changed(session, customer, now)
    audit.record(
        session,
        principal,
        "contact_removed",
        customer_id=customer.id,
        contact_id=contact_id,
        learned_at=learned.isoformat(),
    )
