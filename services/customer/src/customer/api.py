"""Thin HTTP routes -> records, contacts, pending changes, rules. Every route needs a staff token.

R-05: a PATCH that touches key information (`key_needs`, a contact's `position`) answers 200 with the other
changes applied and the waiting ones listed in `pending_changes`; they apply once confirmed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from customer import audit, contacts, ownership, pending, privacy, records, tiering
from customer.schemas import (
    ContactCreate,
    ContactUpdate,
    CustomerCreate,
    CustomerDetail,
    CustomerUpdate,
    Decision,
    FiguresUpdate,
    OwnerPut,
    OwnerRulesPut,
    RiskPut,
    TagsPut,
    TierRulesPut,
    _LearnedAt,
)
from servicekit.auth import CurrentPrincipal, Principal, Role, require_roles
from servicekit.errors import ApiError
from servicekit.runtime import DbSession

router = APIRouter(tags=["customers"])

Writer = Annotated[Principal, require_roles(Role.agent, Role.sales, Role.supervisor, Role.manager)]
FiguresWriter = Annotated[Principal, require_roles(Role.order_handler, Role.manager)]
OwnerSetter = Annotated[Principal, require_roles(Role.supervisor, Role.manager)]
RuleWriter = Annotated[Principal, require_roles(Role.manager)]


# --- customers -----------------------------------------------------------------------------------------

@router.post("/customers", status_code=201, response_model=CustomerDetail)
async def create_customer(body: CustomerCreate, session: DbSession, principal: Writer) -> object:
    customer = await records.create(session, principal, body)
    return records.view(session, principal, customer)


@router.get("/customers/{customer_id}", response_model=CustomerDetail)
async def get_customer(customer_id: str, session: DbSession, principal: CurrentPrincipal) -> object:
    return await records.read(session, principal, customer_id)


@router.patch("/customers/{customer_id}", response_model=CustomerDetail)
async def update_customer(customer_id: str, body: CustomerUpdate, session: DbSession, principal: Writer) -> object:
    customer, waiting = await records.update(session, principal, customer_id, body)
    return {**records.view(session, principal, customer), "pending_changes": [pending.present(c) for c in waiting]}


@router.put("/customers/{customer_id}/figures", response_model=CustomerDetail)
async def put_figures(customer_id: str, body: FiguresUpdate, session: DbSession, principal: FiguresWriter) -> object:
    return records.view(session, principal, await records.set_figures(session, principal, customer_id, body))


@router.get("/customers/{customer_id}/classification-history")
async def classification_history(customer_id: str, session: DbSession, principal: CurrentPrincipal) -> object:
    await records.get(session, principal, customer_id)
    return {"items": [
        {"changes": h.changes, "reason": h.reason, "rule_id": h.rule_id, "changed_by": h.changed_by, "changed_at": h.changed_at}
        for h in await tiering.history(session, customer_id)
    ]}


@router.put("/customers/{customer_id}/tags", response_model=CustomerDetail)
async def put_tags(customer_id: str, body: TagsPut, session: DbSession, principal: Writer) -> object:
    return records.view(session, principal, await records.set_tags(session, principal, customer_id, body.tags))


@router.post("/customers/{customer_id}/tags", response_model=CustomerDetail)
async def add_tags(customer_id: str, body: TagsPut, session: DbSession, principal: Writer) -> object:
    customer = await records.get(session, principal, customer_id)
    return records.view(session, principal, await records.set_tags(session, principal, customer_id, [*customer.tags, *body.tags]))


@router.delete("/customers/{customer_id}/tags/{tag}", response_model=CustomerDetail)
async def remove_tag(customer_id: str, tag: str, session: DbSession, principal: Writer) -> object:
    customer = await records.get(session, principal, customer_id)
    [key] = records.normalise_tags([tag]) or [""]
    kept = [t for t in customer.tags if t != key]
    return records.view(session, principal, await records.set_tags(session, principal, customer_id, kept))


@router.put("/customers/{customer_id}/risk", response_model=CustomerDetail)
async def put_risk(customer_id: str, body: RiskPut, session: DbSession, principal: Writer) -> object:
    customer = await records.set_risk(session, principal, customer_id, body.risk_state, body.reason)
    return records.view(session, principal, customer)


@router.put("/customers/{customer_id}/owner", response_model=CustomerDetail)
async def put_owner(customer_id: str, body: OwnerPut, session: DbSession, principal: OwnerSetter) -> object:
    customer = await records.get(session, principal, customer_id, for_update=True)
    await ownership.assign_by_hand(session, principal, customer, body.owner, body.team)
    return records.view(session, principal, customer)


# --- contacts ------------------------------------------------------------------------------------------

def _contact_view(session: Any, customer: Any, contact: Any, principal: Principal) -> dict[str, Any]:
    unmasked = privacy.sees_contact_data(principal, owner=customer.owner)
    if unmasked:  # unmasked contact data leaving the service is audited
        audit.record(session, principal, "read_contact_data", customer_id=customer.id, contact_id=contact.id)
    return contacts.present(contact, unmasked=unmasked)


@router.post("/customers/{customer_id}/contacts", status_code=201)
async def add_contact(customer_id: str, body: ContactCreate, session: DbSession, principal: Writer) -> object:
    customer = await records.get(session, principal, customer_id, for_update=True)
    contact = await contacts.add(session, principal, customer, body)
    return _contact_view(session, customer, contact, principal)


@router.patch("/customers/{customer_id}/contacts/{contact_id}")
async def update_contact(customer_id: str, contact_id: str, body: ContactUpdate, session: DbSession, principal: Writer) -> object:
    customer = await records.get(session, principal, customer_id, for_update=True)
    contact, waiting = await contacts.update(session, principal, customer, contact_id, body)
    return {**_contact_view(session, customer, contact, principal), "pending_changes": [pending.present(c) for c in waiting]}


@router.delete("/customers/{customer_id}/contacts/{contact_id}", status_code=204)
async def remove_contact(
    customer_id: str, contact_id: str, session: DbSession, principal: Writer, learned_at: datetime | None = None
) -> Response:
    try:
        checked = _LearnedAt(learned_at=learned_at).learned_at
    except ValueError as exc:
        raise ApiError(422, "validation_error", f"learned_at: {exc.errors()[0]['msg']}", field="learned_at") from None  # type: ignore[attr-defined]
    customer = await records.get(session, principal, customer_id, for_update=True)
    await contacts.remove(session, principal, customer, contact_id, checked)
    return Response(status_code=204)


# --- key-information confirmation (R-05) ---------------------------------------------------------------

@router.get("/pending-changes")
async def list_pending_changes(
    session: DbSession,
    principal: CurrentPrincipal,
    status: Literal["pending", "confirmed", "rejected"] = "pending",
    customer_id: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> object:
    found = await pending.get_all(session, principal, status=status, customer_id=customer_id, limit=limit)
    return {"items": [pending.present(c) for c in found]}


@router.post("/pending-changes/{change_id}/confirm")
async def confirm_change(change_id: str, session: DbSession, principal: Writer, body: Decision | None = None) -> object:
    return pending.present(await pending.confirm(session, principal, change_id, body.note if body else None))


@router.post("/pending-changes/{change_id}/reject")
async def reject_change(change_id: str, session: DbSession, principal: Writer, body: Decision | None = None) -> object:
    return pending.present(await pending.reject(session, principal, change_id, body.note if body else None))


# --- rules as data (R-03, R-08) ------------------------------------------------------------------------

def _tier_rule(r: Any) -> dict[str, Any]:
    return {"id": r.id, "name": r.name, "priority": r.priority, "conditions": r.conditions, "sets": r.sets,
            "active": r.active, "updated_by": r.updated_by, "updated_at": r.updated_at}


def _owner_rule(r: Any) -> dict[str, Any]:
    return {"id": r.id, "priority": r.priority, "industry": r.industry, "service_type": r.service_type,
            "owner": r.owner, "team": r.team, "active": r.active, "updated_by": r.updated_by, "updated_at": r.updated_at}


@router.get("/tier-rules")
async def get_tier_rules(session: DbSession, principal: CurrentPrincipal) -> object:
    return {"rules": [_tier_rule(r) for r in await tiering.rules_or_defaults(session)]}


@router.put("/tier-rules")
async def put_tier_rules(body: TierRulesPut, session: DbSession, principal: RuleWriter) -> object:
    return {"rules": [_tier_rule(r) for r in await tiering.replace_rules(session, principal, body.rules)]}


@router.get("/owner-rules")
async def get_owner_rules(session: DbSession, principal: CurrentPrincipal) -> object:
    return {"rules": [_owner_rule(r) for r in await ownership.rules(session)]}


@router.put("/owner-rules")
async def put_owner_rules(body: OwnerRulesPut, session: DbSession, principal: RuleWriter) -> object:
    return {"rules": [_owner_rule(r) for r in await ownership.replace_rules(session, principal, body.rules)]}
