"""R-08 owners: rules held in the database (industry or service type -> owner), applied on create and when
industry/service type change, unless an owner was chosen by hand."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.events.customer import CustomerOwnerAssignedV1
from customer.audit import service as audit
from customer.events import emit
from customer.ownership.models import OwnerRule
from customer.ownership.rules import OwnerRuleView, pick_owner
from customer.ownership.schemas import OwnerRuleIn
from customer.records.models import Customer
from servicekit import clock
from servicekit.auth import Principal


async def rules(session: AsyncSession) -> list[OwnerRule]:
    return list((await session.scalars(select(OwnerRule).order_by(OwnerRule.priority, OwnerRule.id))).all())


async def rule_views(session: AsyncSession) -> list[OwnerRuleView]:
    """The rules as the pure matcher reads them."""
    return [
        OwnerRuleView(r.id, r.priority, r.industry, r.service_type, r.owner, r.team, r.active)
        for r in await rules(session)
    ]


async def replace_rules(session: AsyncSession, principal: Principal, body: list[OwnerRuleIn]) -> list[OwnerRule]:
    await session.execute(delete(OwnerRule))
    now = clock.now(session)
    for rule in body:
        session.add(
            OwnerRule(
                id=rule.id or str(uuid.uuid4()),
                priority=rule.priority,
                industry=rule.industry,
                service_type=rule.service_type,
                owner=rule.owner,
                team=rule.team,
                active=rule.active,
                updated_by=principal.subject,
                updated_at=now,
            )
        )
    audit.record(session, principal, "owner_rules_replaced", count=len(body))
    await session.flush()
    return await rules(session)


def owner_assigned(customer: Customer, previous_owner: str | None, reason: str) -> CustomerOwnerAssignedV1:
    return CustomerOwnerAssignedV1(
        customer_id=customer.id, owner=customer.owner, team=customer.team, previous_owner=previous_owner, reason=reason
    )


async def apply_rule(session: AsyncSession, customer: Customer) -> OwnerRuleView | None:
    """Set owner and team from the first matching rule (no event: the caller emits with its version)."""
    if customer.owner_set_by_hand:
        return None
    match = pick_owner(await rule_views(session), industry=customer.industry, service_type=customer.service_type)
    if match is None or (match.owner, match.team) == (customer.owner, customer.team):
        return None
    customer.owner, customer.team = match.owner, match.team
    return match


async def assign_by_hand(
    session: AsyncSession, principal: Principal, customer: Customer, owner: str, team: str | None
) -> None:
    previous = customer.owner
    if (owner, team) == (customer.owner, customer.team) and customer.owner_set_by_hand:
        return
    customer.owner, customer.team, customer.owner_set_by_hand = owner, team, True
    customer.version += 1
    customer.updated_at = clock.now(session)
    audit.record(session, principal, "owner_assigned", customer_id=customer.id, fields=["owner", "team"])
    await emit(session, customer, owner_assigned(customer, previous, f"assigned by hand by {principal.subject}"))
