"""R-05 key information (contact position, core needs) waits for a second confirmation before it applies."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.events.customer import CustomerUpdatedV1
from contracts.events.engagement import NeedChangedV1, NeedKind
from customer.audit import service as audit
from customer.events import contacts_changed, emit
from customer.key_information import rules
from customer.key_information.models import PendingChange
from customer.records.models import Customer
from customer.settings import customer_settings
from servicekit import clock
from servicekit.access import sees_record, visible_filter
from servicekit.auth import Principal
from servicekit.errors import ApiError, not_found


def request(
    session: AsyncSession,
    principal: Principal,
    customer: Customer,
    contact_id: str | None,
    field: str,
    old_value: str | None,
    new_value: str | None,
    learned_at: datetime,
) -> PendingChange:
    change = PendingChange(
        id=str(uuid.uuid4()),
        customer_id=customer.id,
        contact_id=contact_id,
        field=field,
        old_value=old_value,
        new_value=new_value,
        status="pending",
        requested_by=principal.subject,
        requested_at=clock.now(session),
        learned_at=learned_at,
    )
    session.add(change)
    audit.record(
        session,
        principal,
        "change_requested",
        customer_id=customer.id,
        contact_id=contact_id,
        fields=[field],
        pending_change_id=change.id,
        learned_at=learned_at.isoformat(),
    )
    return change


async def request_from_engagement(session: AsyncSession, event: NeedChangedV1) -> PendingChange | None:
    """R-05: core needs or a contact's position heard in a contact (engagement's need change) wait for a second
    confirmation like any other key-information change; an unknown customer or contact is ignored."""
    customer = await session.get(Customer, event.customer_id)
    if customer is None or customer.erased_at is not None:
        return None
    if customer.merged_into:
        customer = await session.get(Customer, customer.merged_into)
        if customer is None:
            return None
    recorder = Principal(subject=event.recorded_by, roles=frozenset())
    if event.kind == NeedKind.key_needs:
        return request(
            session, recorder, customer, None, "key_needs", customer.key_needs, event.value, event.learned_at
        )
    contact = next((c for c in customer.contacts if c.id == event.contact_id), None)
    if contact is None:
        return None
    return request(session, recorder, customer, contact.id, "position", contact.position, event.value, event.learned_at)


def present(change: PendingChange) -> dict[str, Any]:
    return {
        "id": change.id,
        "customer_id": change.customer_id,
        "contact_id": change.contact_id,
        "field": change.field,
        "old_value": change.old_value,
        "new_value": change.new_value,
        "status": change.status,
        "requested_by": change.requested_by,
        "requested_at": change.requested_at,
        "learned_at": change.learned_at,
        "decided_by": change.decided_by,
        "decided_at": change.decided_at,
        "decision_note": change.decision_note,
    }


async def get_all(
    session: AsyncSession, principal: Principal, *, status: str, customer_id: str | None, limit: int
) -> list[PendingChange]:
    query = (
        select(PendingChange)
        .join(Customer, Customer.id == PendingChange.customer_id)
        .where(PendingChange.status == status)
        .order_by(PendingChange.requested_at, PendingChange.id)
        .limit(limit)
    )
    if customer_id:
        query = query.where(PendingChange.customer_id == customer_id)
    visible = visible_filter(principal, Customer.owner, Customer.team)
    if visible is not None:
        query = query.where(visible)
    return list((await session.scalars(query)).all())


async def _load(session: AsyncSession, principal: Principal, change_id: str) -> tuple[PendingChange, Customer]:
    change = await session.get(PendingChange, change_id, with_for_update=True)
    customer = await session.get(Customer, change.customer_id, with_for_update=True) if change else None
    if change is None or customer is None or not sees_record(principal, owner=customer.owner, team=customer.team):
        raise not_found("pending change", change_id)
    if change.status != "pending":
        raise ApiError(409, "already_decided", f"pending change {change_id} is already {change.status}")
    return change, customer


def _current(customer: Customer, change: PendingChange) -> tuple[Any, str | None]:
    if change.contact_id is None:
        return customer, customer.key_needs
    contact = next((c for c in customer.contacts if c.id == change.contact_id), None)
    if contact is None:
        raise ApiError(409, "stale_change", "the contact of this change no longer exists")
    return contact, contact.position


async def confirm(session: AsyncSession, principal: Principal, change_id: str, note: str | None) -> PendingChange:
    change, customer = await _load(session, principal, change_id)
    refusal = rules.refusal(
        principal,
        requested_by=change.requested_by,
        owner=customer.owner,
        owner_may_reconfirm=customer_settings().owner_may_reconfirm,
    )
    if refusal:
        raise ApiError(403, "forbidden", refusal)
    target, current = _current(customer, change)
    if current != change.old_value:
        raise ApiError(409, "stale_change", f"{change.field} changed since this change was requested; request it again")
    setattr(target, change.field, change.new_value)
    _decide(change, principal, "confirmed", note, clock.now(session))
    customer.version += 1
    customer.updated_at = change.decided_at  # type: ignore[assignment]
    if change.contact_id is None:
        await emit(
            session,
            customer,
            CustomerUpdatedV1(
                customer_id=customer.id, changed=[change.field], profile={change.field: change.new_value}
            ),
        )
    else:
        target.updated_at = change.decided_at
        await emit(session, customer, contacts_changed(customer))
    audit.record(
        session,
        principal,
        "change_confirmed",
        customer_id=customer.id,
        contact_id=change.contact_id,
        fields=[change.field],
        pending_change_id=change.id,
        requested_by=change.requested_by,
    )
    return change


async def reject(session: AsyncSession, principal: Principal, change_id: str, note: str | None) -> PendingChange:
    """The requester may withdraw their own change; otherwise the same people who may confirm decide."""
    change, customer = await _load(session, principal, change_id)
    if principal.subject != change.requested_by:
        refusal = rules.refusal(
            principal, requested_by=change.requested_by, owner=customer.owner, owner_may_reconfirm=False
        )
        if refusal:
            raise ApiError(403, "forbidden", refusal)
    _decide(change, principal, "rejected", note, clock.now(session))
    audit.record(
        session,
        principal,
        "change_rejected",
        customer_id=customer.id,
        contact_id=change.contact_id,
        fields=[change.field],
        pending_change_id=change.id,
    )
    return change


def _decide(change: PendingChange, principal: Principal, status: str, note: str | None, at: datetime) -> None:
    change.status = status
    change.decided_by = principal.subject
    change.decided_at = at
    change.decision_note = note
