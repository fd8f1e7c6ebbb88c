"""Likely duplicates of a customer (only those the caller may see) and merging one into the record that stays."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter

from customer.duplicates import service
from customer.duplicates.schemas import MergeIn
from customer.records import service as records
from customer.records.schemas import CustomerDetail
from customer.search.service import only_visible
from servicekit.auth import CurrentPrincipal, Principal, Role, require_roles
from servicekit.fields import Identifier
from servicekit.runtime import DbSession

router = APIRouter(tags=["customers"])

Merger = Annotated[Principal, require_roles(Role.supervisor, Role.manager)]


@router.get("/customers/{customer_id}/duplicates")
async def likely_duplicates(customer_id: Identifier, session: DbSession, principal: CurrentPrincipal) -> dict[str, Any]:
    customer = await records.get(session, principal, customer_id)
    points = [point for contact in customer.contacts for point in contact.points]
    found = await service.find_likely(
        session,
        name=customer.name,
        exclude_id=customer.id,
        phone_indexes=[p.value_index for p in points if p.kind == "phone"],
        email_indexes=[p.value_index for p in points if p.kind == "email"],
    )
    return {"items": await only_visible(session, principal, found)}


@router.post("/customers/{survivor_id}/merge", response_model=CustomerDetail)
async def merge(survivor_id: Identifier, body: MergeIn, session: DbSession, principal: Merger) -> object:
    survivor = await service.merge(session, principal, survivor_id, body.merged_id)
    return records.view(session, principal, survivor)
