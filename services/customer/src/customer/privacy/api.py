"""Data-subject routes (R-09, R-42, PIPL): export everything about a contact or customer, erase a customer."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter

from customer.privacy import service
from customer.privacy.schemas import EraseIn
from customer.records import service as records
from servicekit.auth import Principal, Role, require_roles
from servicekit.errors import ApiError
from servicekit.fields import Identifier
from servicekit.runtime import DbSession

router = APIRouter(tags=["personal data"])

Exporter = Annotated[Principal, require_roles(Role.auditor, Role.manager)]
Eraser = Annotated[Principal, require_roles(Role.manager)]


@router.get("/customers/{customer_id}/contacts/{contact_id}/export")
async def export_contact(
    customer_id: Identifier, contact_id: Identifier, session: DbSession, principal: Exporter
) -> dict[str, Any]:
    customer, contact = await records.get_contact(session, principal, customer_id, contact_id)
    return await service.export_contact(session, principal, customer, contact)


@router.get("/customers/{customer_id}/export")
async def export_customer(customer_id: Identifier, session: DbSession, principal: Exporter) -> dict[str, Any]:
    customer = await records.get(session, principal, customer_id)
    return await service.export_customer(session, principal, customer)


@router.post("/customers/{customer_id}/erase")
async def erase_customer(
    customer_id: Identifier, body: EraseIn, session: DbSession, principal: Eraser
) -> dict[str, Any]:
    customer = await records.get(session, principal, customer_id, for_update=True)
    if customer.merged_into is not None:
        raise ApiError(
            409, "customer_merged", f"customer {customer_id} was merged into {customer.merged_into}; erase that one"
        )
    return dataclasses.asdict(await service.erase(session, principal, customer, body.reason))
