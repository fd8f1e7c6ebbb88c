"""A contact's consents per channel and purpose (R-42): read the history, record changes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from customer.consent import service
from customer.consent.models import Consent
from customer.consent.rules import ConsentChange, current_state
from customer.consent.schemas import ConsentIn
from customer.privacy.service import ensure_not_erased
from customer.records import service as records
from servicekit.auth import Principal, Role, require_roles
from servicekit.fields import Identifier
from servicekit.runtime import DbSession

router = APIRouter(tags=["personal data"])

ConsentWriter = Annotated[Principal, require_roles(Role.agent, Role.sales, Role.supervisor, Role.manager)]
ConsentReader = Annotated[
    Principal, require_roles(Role.agent, Role.sales, Role.supervisor, Role.manager, Role.auditor, Role.marketing)
]


def _consent_view(history: list[Consent]) -> dict[str, Any]:
    fields = ("channel", "purpose", "granted", "source", "recorded_by", "recorded_at")
    return {
        "current": [{f: getattr(row, f) for f in fields} for row in current_state(history).values()],
        "history": [{f: getattr(row, f) for f in fields} for row in history],
    }


@router.get("/customers/{customer_id}/contacts/{contact_id}/consents")
async def get_consents(
    customer_id: Identifier, contact_id: Identifier, session: DbSession, principal: ConsentReader
) -> dict[str, Any]:
    _, contact = await records.get_contact(session, principal, customer_id, contact_id)
    return _consent_view(await service.history(session, contact.id))


@router.put("/customers/{customer_id}/contacts/{contact_id}/consents")
async def put_consents(
    customer_id: Identifier,
    contact_id: Identifier,
    session: DbSession,
    principal: ConsentWriter,
    changes: Annotated[list[ConsentIn], Body(min_length=1, max_length=12)],
) -> dict[str, Any]:
    customer, contact = await records.get_contact(session, principal, customer_id, contact_id, for_update=True)
    ensure_not_erased(customer)
    for change in changes:
        await service.record(
            session,
            customer,
            contact,
            ConsentChange(change.channel, change.purpose, change.granted, change.source),
            actor=principal,
        )
    await session.flush()
    return _consent_view(await service.history(session, contact.id))
