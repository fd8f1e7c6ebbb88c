"""Contacts of a customer: add, change, remove. Every route needs a staff token.

R-05: a PATCH that changes a contact's `position` answers 200 with the other changes applied and the waiting one
listed in `pending_changes`; it applies once confirmed.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Response

from customer.audit import service as audit
from customer.change_lag.schemas import LearnedAt
from customer.contacts import service
from customer.contacts.models import Contact
from customer.contacts.schemas import ContactCreate, ContactUpdate
from customer.key_information import service as key_information
from customer.privacy.rules import sees_contact_data
from customer.records import service as records
from customer.records.models import Customer
from servicekit.auth import Principal, Role, require_roles
from servicekit.errors import ApiError
from servicekit.fields import Identifier, Instant
from servicekit.runtime import DbSession

router = APIRouter(tags=["customers"])

Writer = Annotated[Principal, require_roles(Role.agent, Role.sales, Role.supervisor, Role.manager)]


def _contact_view(session: Any, customer: Customer, contact: Contact, principal: Principal) -> dict[str, Any]:
    unmasked = sees_contact_data(principal, owner=customer.owner)
    if unmasked:  # unmasked contact data leaving the service is audited
        audit.record(session, principal, "read_contact_data", customer_id=customer.id, contact_id=contact.id)
    return service.present(contact, unmasked=unmasked)


@router.post("/customers/{customer_id}/contacts", status_code=201)
async def add_contact(customer_id: Identifier, body: ContactCreate, session: DbSession, principal: Writer) -> object:
    customer = await records.get(session, principal, customer_id, for_update=True)
    contact = await service.add(session, principal, customer, body)
    return _contact_view(session, customer, contact, principal)


@router.patch("/customers/{customer_id}/contacts/{contact_id}")
async def update_contact(
    customer_id: Identifier, contact_id: Identifier, body: ContactUpdate, session: DbSession, principal: Writer
) -> object:
    customer = await records.get(session, principal, customer_id, for_update=True)
    contact, waiting = await service.update(session, principal, customer, contact_id, body)
    return {
        **_contact_view(session, customer, contact, principal),
        "pending_changes": [key_information.present(c) for c in waiting],
    }


@router.delete("/customers/{customer_id}/contacts/{contact_id}", status_code=204)
async def remove_contact(
    customer_id: Identifier,
    contact_id: Identifier,
    session: DbSession,
    principal: Writer,
    learned_at: Instant | None = None,
) -> Response:
    try:
        checked = LearnedAt(learned_at=learned_at).learned_at
    except ValueError as exc:
        raise ApiError(422, "validation_error", f"learned_at: {exc.errors()[0]['msg']}", field="learned_at") from None  # type: ignore[attr-defined]
    customer = await records.get(session, principal, customer_id, for_update=True)
    await service.remove(session, principal, customer, contact_id, checked)
    return Response(status_code=204)
