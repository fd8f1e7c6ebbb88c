"""R-02/R-03 classification on data: tier rules kept in the database, applied to one customer's figures."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.events.customer import CustomerClassifiedV1
from customer.audit import service as audit
from customer.classification import metrics
from customer.classification import rules as classification
from customer.classification.models import ClassificationChange, TierRule
from customer.classification.schemas import TierRuleIn
from customer.events import emit
from customer.records.models import Customer
from customer.settings import customer_settings
from servicekit import clock
from servicekit.auth import Principal
from servicekit.db import after_commit
from servicekit.errors import ApiError

SYSTEM = audit.SYSTEM


def classified(customer: Customer, previous: dict[str, str], reason: str) -> CustomerClassifiedV1:
    return CustomerClassifiedV1(
        customer_id=customer.id,
        customer_type=customer.customer_type,
        stage=customer.stage,
        tier=customer.tier,
        service_level=customer.service_level,
        previous=previous,
        reason=reason,
    )


def _seed_id(rule: dict[str, object]) -> str:
    # deterministic ids: two replicas seeding at once collide on the key instead of doubling the rules
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"crm-customer-tier-rule:{rule['priority']}:{rule['name']}"))


async def rules_or_defaults(session: AsyncSession) -> list[TierRule]:
    """All tier rules by priority; the defaults from settings are seeded when there are none yet."""
    found = list((await session.scalars(select(TierRule).order_by(TierRule.priority, TierRule.id))).all())
    if found:
        return found
    now = clock.now(session)
    for rule in customer_settings().default_tier_rules:
        session.add(
            TierRule(
                id=_seed_id(rule),
                name=rule["name"],
                priority=rule["priority"],
                conditions=rule.get("conditions", {}),
                sets=rule["sets"],
                active=rule.get("active", True),
                updated_by=SYSTEM,
                updated_at=now,
            )
        )
    await session.flush()
    return list((await session.scalars(select(TierRule).order_by(TierRule.priority, TierRule.id))).all())


def as_rules(rows: Sequence[TierRule]) -> list[classification.Rule]:
    return [classification.Rule(r.id, r.priority, r.conditions, r.sets, r.active) for r in rows]


async def replace_rules(session: AsyncSession, principal: Principal, body: list[TierRuleIn]) -> list[TierRule]:
    """PUT semantics: the list sent becomes the rule set. Unknown condition keys are a 422 naming them."""
    for index, rule in enumerate(body):
        try:
            classification.check_rule(rule.conditions, rule.sets)
        except classification.RuleError as exc:
            raise ApiError(
                422, "validation_error", f"rules[{index}].{exc.field}: {exc}", field=f"rules[{index}].{exc.field}"
            ) from None
    await session.execute(delete(TierRule))
    now = clock.now(session)
    for rule in body:
        session.add(
            TierRule(
                id=rule.id or str(uuid.uuid4()),
                name=rule.name,
                priority=rule.priority,
                conditions=rule.conditions,
                sets=rule.sets,
                active=rule.active,
                updated_by=principal.subject,
                updated_at=now,
            )
        )
    audit.record(session, principal, "tier_rules_replaced", count=len(body))
    await session.flush()
    return list((await session.scalars(select(TierRule).order_by(TierRule.priority, TierRule.id))).all())


def figures_of(customer: Customer) -> dict[str, object]:
    return {figure: getattr(customer, figure) for figure in classification.FIGURES}


def reclassify_in_place(
    session: AsyncSession,
    customer: Customer,
    rules: list[classification.Rule],
    *,
    trigger: str,
    bump_version: bool = True,
) -> CustomerClassifiedV1 | None:
    """Apply the first matching rule and add its history row (R-02); the classified event, if any, is returned
    for the caller to record, so a batch writes all of its events in one round trip."""
    current = {"tier": customer.tier, "service_level": customer.service_level}
    rule = classification.first_match(rules, figures_of(customer))
    changed = classification.changes(current, rule)
    if not changed or rule is None:
        return None
    for field, (_, new) in changed.items():
        setattr(customer, field, new)
    now = clock.now(session)
    if bump_version:
        customer.version += 1
    customer.updated_at = now
    reason = f"tier rule {rule.id} ({trigger})"
    session.add(
        ClassificationChange(
            customer_id=customer.id,
            changes={k: list(v) for k, v in changed.items()},
            reason=reason,
            rule_id=rule.id,
            changed_by=SYSTEM,
            changed_at=now,
        )
    )
    after_commit(session, metrics.RECLASSIFIED.labels(trigger).inc)
    return classified(customer, {k: old for k, (old, _) in changed.items()}, reason)


async def reclassify(session: AsyncSession, customer: Customer, *, trigger: str) -> bool:
    """Re-derive one customer's tier after its figures changed (the caller has bumped its version)."""
    rules = as_rules(await rules_or_defaults(session))
    event = reclassify_in_place(session, customer, rules, trigger=trigger, bump_version=False)
    if event is not None:
        await emit(session, customer, event)
    return event is not None


async def record_hand_change(
    session: AsyncSession, customer: Customer, previous: dict[str, str], principal: Principal
) -> None:
    """A classification changed by hand: history row and event, reason naming who (R-02)."""
    reason = f"changed by hand by {principal.subject}"
    session.add(
        ClassificationChange(
            customer_id=customer.id,
            changes={k: [old, getattr(customer, k)] for k, old in previous.items()},
            reason=reason,
            rule_id=None,
            changed_by=principal.subject,
            changed_at=clock.now(session),
        )
    )
    await emit(session, customer, classified(customer, previous, reason))


async def history(session: AsyncSession, customer_id: str) -> list[ClassificationChange]:
    query = select(ClassificationChange).where(ClassificationChange.customer_id == customer_id)
    return list((await session.scalars(query.order_by(ClassificationChange.changed_at, ClassificationChange.id))).all())
