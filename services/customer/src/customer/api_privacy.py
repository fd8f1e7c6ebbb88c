"""Personal-data routes (R-09, R-42): consents, the audit query, data-subject export, erasure."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.events.customer import MessageChannel, Purpose
from customer import consent, erasure, records, subject_access
from customer.models import AuditEntry, Contact, Customer
from servicekit.auth import Principal, Role, require_roles
from servicekit.errors import ApiError, not_found
from servicekit.runtime import DbSession

router = APIRouter(tags=["personal data"])

ConsentWriter = Annotated[Principal, require_roles(Role.agent, Role.sales, Role.supervisor, Role.manager)]
ConsentReader = Annotated[
    Principal, require_roles(Role.agent, Role.sales, Role.supervisor, Role.manager, Role.auditor, Role.marketing)
]
Auditor = Annotated[Principal, require_roles(Role.auditor)]
Exporter = Annotated[Principal, require_roles(Role.auditor, Role.manager)]
Eraser = Annotated[Principal, require_roles(Role.manager)]


class ConsentIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    channel: MessageChannel
    purpose: Purpose
    granted: bool
    source: str = Field(min_length=1, max_length=100, description="form, phone call, email reply, import ...")


class EraseIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: str = Field(min_length=1, max_length=500, description="e.g. the data-subject request's reference")


async def _customer_and_contact(
    session: AsyncSession, principal: Principal, customer_id: str, contact_id: str, *, for_update: bool = False
) -> tuple[Customer, Contact]:
    # another team's customer: 404; locked for writes, so one customer's consent changes get ordered versions
    customer = await records.get(session, principal, customer_id, for_update=for_update)
    contact = await session.get(Contact, contact_id)
    if contact is None or contact.customer_id != customer.id:
        raise not_found("contact", contact_id)
    return customer, contact


def _consent_view(history: list[Any]) -> dict[str, Any]:
    fields = ("channel", "purpose", "granted", "source", "recorded_by", "recorded_at")
    return {
        "current": [{f: getattr(row, f) for f in fields} for row in consent.current_state(history).values()],
        "history": [{f: getattr(row, f) for f in fields} for row in history],
    }


@router.get("/customers/{customer_id}/contacts/{contact_id}/consents")
async def get_consents(customer_id: str, contact_id: str, session: DbSession, principal: ConsentReader) -> dict[str, Any]:
    _, contact = await _customer_and_contact(session, principal, customer_id, contact_id)
    return _consent_view(await consent.history(session, contact.id))


@router.put("/customers/{customer_id}/contacts/{contact_id}/consents")
async def put_consents(
    customer_id: str,
    contact_id: str,
    session: DbSession,
    principal: ConsentWriter,
    changes: Annotated[list[ConsentIn], Body(min_length=1, max_length=12)],
) -> dict[str, Any]:
    customer, contact = await _customer_and_contact(session, principal, customer_id, contact_id, for_update=True)
    erasure.ensure_not_erased(customer)
    for change in changes:
        await consent.record(
            session, customer, contact, consent.ConsentChange(change.channel, change.purpose, change.granted, change.source),
            actor=principal,
        )
    await session.flush()
    return _consent_view(await consent.history(session, contact.id))


@router.get("/audit")
async def query_audit(
    session: DbSession,
    principal: Auditor,
    customer_id: str | None = None,
    actor: str | None = None,
    action: str | None = None,
    since: AwareDatetime | None = None,
    until: AwareDatetime | None = None,
    cursor: Annotated[int | None, Query(ge=1, description="next_cursor of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    """R-09: newest first; `since` inclusive, `until` exclusive."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit + 1)
    for column, value in ((AuditEntry.customer_id, customer_id), (AuditEntry.actor, actor), (AuditEntry.action, action)):
        if value is not None:
            query = query.where(column == value)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if until is not None:
        query = query.where(AuditEntry.at < until)
    if cursor is not None:
        query = query.where(AuditEntry.id < cursor)
    rows = list(await session.scalars(query))
    page = rows[:limit]
    fields = ("id", "at", "actor", "action", "customer_id", "contact_id", "details", "correlation_id")
    return {
        "items": [{f: getattr(row, f) for f in fields} for row in page],
        "next_cursor": str(page[-1].id) if len(rows) > limit else None,
    }


@router.get("/customers/{customer_id}/contacts/{contact_id}/export")
async def export_contact(customer_id: str, contact_id: str, session: DbSession, principal: Exporter) -> dict[str, Any]:
    customer, contact = await _customer_and_contact(session, principal, customer_id, contact_id)
    return await subject_access.export_contact(session, principal, customer, contact)


@router.get("/customers/{customer_id}/export")
async def export_customer(customer_id: str, session: DbSession, principal: Exporter) -> dict[str, Any]:
    customer = await records.get(session, principal, customer_id)
    return await subject_access.export_customer(session, principal, customer)


@router.post("/customers/{customer_id}/erase")
async def erase_customer(customer_id: str, body: EraseIn, session: DbSession, principal: Eraser) -> dict[str, Any]:
    customer = await records.get(session, principal, customer_id, for_update=True)
    if customer.merged_into is not None:
        raise ApiError(409, "customer_merged", f"customer {customer_id} was merged into {customer.merged_into}; erase that one")
    return dataclasses.asdict(await erasure.erase(session, principal, customer, body.reason))
