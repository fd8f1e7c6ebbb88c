"""Customer use cases: load, apply rules, save, add outbox events. Never commits (the boundary does)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.events.customer import (
    CustomerClassifiedV1,
    CustomerOwnerAssignedV1,
    CustomerRegisteredV1,
    CustomerUpdatedV1,
)
from customer import rules
from customer.models import Customer
from customer.schemas import CustomerCreate, CustomerUpdate
from servicekit.auth import Principal, sees_account
from servicekit.db import utcnow
from servicekit.errors import not_found
from servicekit.numbering import next_number
from servicekit.outbox import record_event

NUMBER_PREFIX = "KH"  # 客户 numbers, KH-2026-000123


async def create(session: AsyncSession, principal: Principal, data: CustomerCreate) -> Customer:
    now = utcnow()
    customer = Customer(
        id=str(uuid.uuid4()),
        number=await next_number(session, NUMBER_PREFIX),
        **data.model_dump(mode="json"),
        version=1,
        created_at=now,
        updated_at=now,
        created_by=principal.subject,
    )
    session.add(customer)
    await record_event(
        session,
        CustomerRegisteredV1(
            customer_id=customer.id,
            number=customer.number,
            name=customer.name,
            industry=customer.industry,
            source=customer.source,
            customer_type=customer.customer_type,
            stage=customer.stage,
            tier=customer.tier,
            service_level=customer.service_level,
            owner=customer.owner,
            team=customer.team,
            time_zone=customer.time_zone,
            language=customer.language,
            registered_at=now,
        ),
        aggregate_id=customer.id,
        aggregate_version=customer.version,
    )
    return customer


async def get(session: AsyncSession, principal: Principal, customer_id: str) -> Customer:
    customer = await session.get(Customer, customer_id)
    # another team's customer is reported as missing, so ids cannot be probed
    if customer is None or not sees_account(principal, owner=customer.owner, team=customer.team):
        raise not_found("customer", customer_id)
    return customer


async def update(session: AsyncSession, principal: Principal, customer_id: str, data: CustomerUpdate) -> Customer:
    customer = await get(session, principal, customer_id)
    requested = data.model_dump(mode="json", exclude_unset=True)
    current = {field: getattr(customer, field) for field in requested}
    change = rules.diff(current, requested)
    if not change.changed:
        return customer
    for field, value in change.changed.items():
        setattr(customer, field, value)
    customer.version += 1
    customer.updated_at = utcnow()
    await _record_change_events(session, customer, change, principal)
    return customer


async def _record_change_events(session: AsyncSession, customer: Customer, change: rules.Change, principal: Principal) -> None:
    version = customer.version
    if change.profile_fields:
        profile = {field: getattr(customer, field) for field in change.profile_fields}
        await record_event(
            session,
            CustomerUpdatedV1(customer_id=customer.id, changed=change.profile_fields, profile=profile),
            aggregate_id=customer.id,
            aggregate_version=version,
        )
    if change.classification_changed:
        await record_event(
            session,
            CustomerClassifiedV1(
                customer_id=customer.id,
                customer_type=customer.customer_type,
                stage=customer.stage,
                tier=customer.tier,
                service_level=customer.service_level,
                previous={k: str(v) for k, v in change.previous.items() if k in rules.CLASSIFICATION_FIELDS},
                reason=f"changed by hand by {principal.subject}",
            ),
            aggregate_id=customer.id,
            aggregate_version=version,
        )
    if change.ownership_changed:
        await record_event(
            session,
            CustomerOwnerAssignedV1(
                customer_id=customer.id,
                owner=customer.owner,
                team=customer.team,
                previous_owner=change.previous.get("owner", customer.owner),  # type: ignore[arg-type]
                reason=f"assigned by hand by {principal.subject}",
            ),
            aggregate_id=customer.id,
            aggregate_version=version,
        )
