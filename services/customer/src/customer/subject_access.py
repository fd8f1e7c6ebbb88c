"""PIPL data-subject access: everything this service holds about one contact, decrypted, in one document.

Only roles that may see every account's contact data ask for it, and every export is audited.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from customer import audit, consent
from customer.models import AuditEntry, Contact, Customer, PendingChange
from servicekit.auth import Principal
from servicekit.db import utcnow


def _row(obj: Any, *fields: str) -> dict[str, Any]:
    return {field: getattr(obj, field) for field in fields}


async def export_contact(session: AsyncSession, principal: Principal, customer: Customer, contact: Contact) -> dict[str, Any]:
    consents = await consent.history(session, contact.id)
    pending = await session.scalars(
        select(PendingChange).where(PendingChange.contact_id == contact.id).order_by(PendingChange.requested_at)
    )
    # entries naming the contact, and customer-wide ones (e.g. erase) that concern every contact
    audit_rows = await session.scalars(
        select(AuditEntry)
        .where(or_(AuditEntry.contact_id == contact.id, (AuditEntry.customer_id == customer.id) & AuditEntry.contact_id.is_(None)))
        .order_by(AuditEntry.id)
    )
    document = {
        "exported_at": utcnow(),
        "exported_by": principal.subject,
        "customer": _row(customer, "id", "number", "name", "erased_at"),
        "contact": _row(contact, "id", "name", "position", "birthday", "primary", "created_at", "updated_at"),
        "contact_points": [_row(point, "kind", "value", "label") for point in contact.points],
        "consents": {
            "current": [
                _row(row, "channel", "purpose", "granted", "source", "recorded_by", "recorded_at")
                for row in consent.current_state(consents).values()
            ],
            "history": [_row(row, "channel", "purpose", "granted", "source", "recorded_by", "recorded_at") for row in consents],
        },
        "pending_changes": [
            _row(change, "id", "field", "old_value", "new_value", "status", "requested_by", "requested_at",
                 "learned_at", "decided_by", "decided_at", "decision_note")
            for change in pending
        ],
        "audit": [_row(entry, "at", "actor", "action", "details") for entry in audit_rows],
    }
    # recorded after the reads, so the export does not contain its own entry
    audit.record(session, principal, "export", customer_id=customer.id, contact_id=contact.id)
    return document


PROFILE_FIELDS = ("id", "number", "name", "industry", "size", "address", "source", "key_needs", "pain_points",
                  "service_preferences", "cooperation_history", "time_zone", "language", "owner", "team",
                  "created_at", "updated_at", "erased_at")


async def export_customer(session: AsyncSession, principal: Principal, customer: Customer) -> dict[str, Any]:
    """The whole customer: its profile (free text may hold personal data) and every contact's export."""
    contacts = [await export_contact(session, principal, customer, contact) for contact in customer.contacts]
    return {"exported_at": utcnow(), "exported_by": principal.subject, "customer": _row(customer, *PROFILE_FIELDS),
            "contacts": [{k: v for k, v in c.items() if k not in ("exported_at", "exported_by", "customer")} for c in contacts]}
