"""Data-subject rights (R-09, R-42, PIPL): erasure and access.

Erasure removes every identity this service holds about a customer and keeps its statistics. Decisions:
- Contact points and birthdays are deleted; contact names become "erased", positions are cleared.
  The contact rows stay so counts and references (pending changes, consents, audit) still resolve.
- The company name is replaced by "erased <number>": a small company's name is often a person's
  name, and the number still identifies the record for staff. Tier, stage, figures, tags, risk and
  owner survive, so statistics and other services' counts stay right.
- Free text that may hold personal data (address, needs, pain points, preferences, cooperation
  history, pending-change values) is cleared.
- Consent history is kept: it holds no personal data (ids, channel, purpose, time, source) and is
  the proof of what was allowed when (PIPL accountability). Every consent still granted gets a
  withdrawal row with source "erasure", so nothing is in force afterwards.
- The audit log is append-only and holds ids and field names only, so it is left as is.

Subject access is everything this service holds about one contact (or customer), decrypted, in one document.
Only roles that may see every account's contact data ask for it, and every export is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.events.customer import CustomerContactsChangedV1, CustomerErasedV1, MessageChannel, Purpose
from customer.audit import service as audit
from customer.audit.models import AuditEntry
from customer.consent import service as consent
from customer.consent.rules import ConsentChange, current_state
from customer.contacts.models import Contact
from customer.key_information.models import PendingChange
from customer.privacy.rules import CLEARED_PROFILE_FIELDS, ERASED, ERASURE_SOURCE, erased_name
from customer.records.models import Customer
from customer.search.rules import search_key
from servicekit import clock
from servicekit.auth import Principal
from servicekit.errors import ApiError
from servicekit.outbox import record_event

# --- erasure -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ErasureResult:
    customer_id: str
    erased_at: datetime
    contacts: int
    contact_points_deleted: int
    consents_withdrawn: int
    already_erased: bool


def ensure_not_erased(customer: Customer) -> None:
    """Contact changes on an erased customer are refused (409): erasure must not be undone by a later write."""
    if customer.erased_at is not None:
        raise ApiError(409, "customer_erased", f"customer {customer.id} was erased; its contacts cannot change")


async def erase(session: AsyncSession, principal: Principal, customer: Customer, reason: str) -> ErasureResult:
    """Anonymise in place; a second call finds `erased_at` set and changes nothing (idempotent)."""
    if customer.erased_at is not None:
        return ErasureResult(customer.id, customer.erased_at, len(customer.contacts), 0, 0, already_erased=True)
    now = clock.now(session)
    withdrawn = await _withdraw_consents(session, principal, customer, now)
    points = 0
    for contact in customer.contacts:
        points += len(contact.points)
        contact.points.clear()  # delete-orphan removes the rows
        contact.name, contact.position, contact.birthday, contact.updated_at = ERASED, None, None, now
    customer.name = erased_name(customer.number)
    customer.search_name = search_key(customer.name)
    for field in CLEARED_PROFILE_FIELDS:
        setattr(customer, field, None)
    customer.cooperation_history = []
    await _clear_pending_changes(session, customer.id, principal, now)
    customer.erased_at = now
    customer.updated_at = now
    audit.record(
        session,
        principal,
        "erase",
        customer_id=customer.id,
        reason=reason,
        contacts=len(customer.contacts),
        contact_points=points,
    )
    customer.version += 1
    await record_event(
        session,
        CustomerContactsChangedV1(
            customer_id=customer.id, language=customer.language, time_zone=customer.time_zone, contacts=[]
        ),
        aggregate_id=customer.id,
        aggregate_version=customer.version,
    )
    customer.version += 1  # erased comes last, so a consumer that orders by version ends in the erased state
    await record_event(
        session,
        CustomerErasedV1(customer_id=customer.id, erased_at=now),
        aggregate_id=customer.id,
        aggregate_version=customer.version,
    )
    return ErasureResult(customer.id, now, len(customer.contacts), points, withdrawn, already_erased=False)


async def _withdraw_consents(session: AsyncSession, principal: Principal, customer: Customer, now: datetime) -> int:
    count = 0
    for contact in customer.contacts:
        for (channel, purpose), row in current_state(await consent.history(session, contact.id)).items():
            if row.granted:
                change = ConsentChange(MessageChannel(channel), Purpose(purpose), False, ERASURE_SOURCE)
                await consent.record(session, customer, contact, change, actor=principal, at=now)
                count += 1
    return count


async def _clear_pending_changes(session: AsyncSession, customer_id: str, principal: Principal, now: datetime) -> None:
    for change in await session.scalars(select(PendingChange).where(PendingChange.customer_id == customer_id)):
        change.old_value = change.new_value = None
        if change.status == "pending":
            change.status, change.decided_by, change.decided_at = "rejected", principal.subject, now
            change.decision_note = "customer erased"


# --- subject access ------------------------------------------------------------------------------------


def _row(obj: Any, *fields: str) -> dict[str, Any]:
    return {field: getattr(obj, field) for field in fields}


async def export_contact(
    session: AsyncSession, principal: Principal, customer: Customer, contact: Contact
) -> dict[str, Any]:
    consents = await consent.history(session, contact.id)
    pending = await session.scalars(
        select(PendingChange).where(PendingChange.contact_id == contact.id).order_by(PendingChange.requested_at)
    )
    # entries naming the contact, and customer-wide ones (e.g. erase) that concern every contact
    audit_rows = await session.scalars(
        select(AuditEntry)
        .where(
            or_(
                AuditEntry.contact_id == contact.id,
                (AuditEntry.customer_id == customer.id) & AuditEntry.contact_id.is_(None),
            )
        )
        .order_by(AuditEntry.id)
    )
    document = {
        "exported_at": clock.now(session),
        "exported_by": principal.subject,
        "customer": _row(customer, "id", "number", "name", "erased_at"),
        "contact": _row(contact, "id", "name", "position", "birthday", "primary", "created_at", "updated_at"),
        "contact_points": [_row(point, "kind", "value", "label") for point in contact.points],
        "consents": {
            "current": [
                _row(row, "channel", "purpose", "granted", "source", "recorded_by", "recorded_at")
                for row in current_state(consents).values()
            ],
            "history": [
                _row(row, "channel", "purpose", "granted", "source", "recorded_by", "recorded_at") for row in consents
            ],
        },
        "pending_changes": [
            _row(
                change,
                "id",
                "field",
                "old_value",
                "new_value",
                "status",
                "requested_by",
                "requested_at",
                "learned_at",
                "decided_by",
                "decided_at",
                "decision_note",
            )
            for change in pending
        ],
        "audit": [_row(entry, "at", "actor", "action", "details") for entry in audit_rows],
    }
    # recorded after the reads, so the export does not contain its own entry
    audit.record(session, principal, "export", customer_id=customer.id, contact_id=contact.id)
    return document


PROFILE_FIELDS = (
    "id",
    "number",
    "name",
    "industry",
    "size",
    "address",
    "source",
    "key_needs",
    "pain_points",
    "service_preferences",
    "cooperation_history",
    "time_zone",
    "language",
    "owner",
    "team",
    "created_at",
    "updated_at",
    "erased_at",
)


async def export_customer(session: AsyncSession, principal: Principal, customer: Customer) -> dict[str, Any]:
    """The whole customer: its profile (free text may hold personal data) and every contact's export."""
    contacts = [await export_contact(session, principal, customer, contact) for contact in customer.contacts]
    return {
        "exported_at": clock.now(session),
        "exported_by": principal.subject,
        "customer": _row(customer, *PROFILE_FIELDS),
        "contacts": [
            {k: v for k, v in c.items() if k not in ("exported_at", "exported_by", "customer")} for c in contacts
        ],
    }
