"""Owners set by hand (supervisors, managers) and owner rules as data (R-08)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter

from customer.ownership import service
from customer.ownership.schemas import OwnerPut, OwnerRulesPut
from customer.records import service as records
from customer.records.schemas import CustomerDetail
from servicekit.auth import CurrentPrincipal, Principal, Role, require_roles
from servicekit.fields import Identifier
from servicekit.runtime import DbSession

router = APIRouter(tags=["customers"])

OwnerSetter = Annotated[Principal, require_roles(Role.supervisor, Role.manager)]
RuleWriter = Annotated[Principal, require_roles(Role.manager)]


@router.put("/customers/{customer_id}/owner", response_model=CustomerDetail)
async def put_owner(customer_id: Identifier, body: OwnerPut, session: DbSession, principal: OwnerSetter) -> object:
    customer = await records.get(session, principal, customer_id, for_update=True)
    await service.assign_by_hand(session, principal, customer, body.owner, body.team)
    return records.view(session, principal, customer)


def _owner_rule(r: Any) -> dict[str, Any]:
    return {
        "id": r.id,
        "priority": r.priority,
        "industry": r.industry,
        "service_type": r.service_type,
        "owner": r.owner,
        "team": r.team,
        "active": r.active,
        "updated_by": r.updated_by,
        "updated_at": r.updated_at,
    }


@router.get("/owner-rules")
async def get_owner_rules(session: DbSession, principal: CurrentPrincipal) -> object:
    return {"rules": [_owner_rule(r) for r in await service.rules(session)]}


@router.put("/owner-rules")
async def put_owner_rules(body: OwnerRulesPut, session: DbSession, principal: RuleWriter) -> object:
    return {"rules": [_owner_rule(r) for r in await service.replace_rules(session, principal, body.rules)]}
