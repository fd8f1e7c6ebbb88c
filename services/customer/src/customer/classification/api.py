"""Tier rules as data (R-03) and a customer's classification history (R-02)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter

from customer.classification import service
from customer.classification.schemas import TierRulesPut
from customer.records import service as records
from servicekit.auth import CurrentPrincipal, Principal, Role, require_roles
from servicekit.fields import Identifier
from servicekit.runtime import DbSession

router = APIRouter(tags=["customers"])

RuleWriter = Annotated[Principal, require_roles(Role.manager)]


@router.get("/customers/{customer_id}/classification-history")
async def classification_history(customer_id: Identifier, session: DbSession, principal: CurrentPrincipal) -> object:
    await records.get(session, principal, customer_id)
    return {
        "items": [
            {
                "changes": h.changes,
                "reason": h.reason,
                "rule_id": h.rule_id,
                "changed_by": h.changed_by,
                "changed_at": h.changed_at,
            }
            for h in await service.history(session, customer_id)
        ]
    }


def _tier_rule(r: Any) -> dict[str, Any]:
    return {
        "id": r.id,
        "name": r.name,
        "priority": r.priority,
        "conditions": r.conditions,
        "sets": r.sets,
        "active": r.active,
        "updated_by": r.updated_by,
        "updated_at": r.updated_at,
    }


@router.get("/tier-rules")
async def get_tier_rules(session: DbSession, principal: CurrentPrincipal) -> object:
    return {"rules": [_tier_rule(r) for r in await service.rules_or_defaults(session)]}


@router.put("/tier-rules")
async def put_tier_rules(body: TierRulesPut, session: DbSession, principal: RuleWriter) -> object:
    return {"rules": [_tier_rule(r) for r in await service.replace_rules(session, principal, body.rules)]}
