"""Customer use cases: load, apply rules, save, add outbox events. Never commits (the boundary does)."""

from __future__ import annotations

import base64
import uuid
from datetime import datetime

from sqlalchemy import and_, or_, select
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
from servicekit.auth import Principal, account_filter, sees_account
from servicekit.db import utcnow
from servicekit.errors import ApiError, not_found
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


async def get_all(
    session: AsyncSession,
    principal: Principal,
    *,
    limit: int,
    cursor: str | None,
    filters: dict[str, str],
) -> tuple[list[Customer], str | None]:
    query = select(Customer).order_by(Customer.created_at, Customer.id).limit(limit + 1)
    for field, value in filters.items():
        query = query.where(getattr(Customer, field) == value)
    visible = account_filter(principal, Customer.owner, Customer.team)
    if visible is not None:
        query = query.where(visible)
    if cursor:
        created_at, last_id = _decode_cursor(cursor)
        query = query.where(
            or_(Customer.created_at > created_at, and_(Customer.created_at == created_at, Customer.id > last_id))
        )
    rows = list((await session.scalars(query)).all())
    page, more = rows[:limit], len(rows) > limit
    return page, _encode_cursor(page[-1]) if more else None


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


def _encode_cursor(customer: Customer) -> str:
    raw = f"{customer.created_at.isoformat()}|{customer.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        created_at, last_id = raw.split("|", 1)
        return datetime.fromisoformat(created_at), last_id
    except (ValueError, UnicodeDecodeError):
        raise ApiError(422, "validation_error", "cursor: not a cursor this API returned", field="cursor") from None
