"""Routes for finding customers (search, lookup, segments) and moving data (import, export, merge)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from contracts.events.customer import CooperationStage, CustomerType, ValueTier
from customer import search
from customer.schemas import CustomerPage
from servicekit.auth import CurrentPrincipal
from servicekit.runtime import DbSession

router = APIRouter(prefix="/customers", tags=["customers"])


@router.get("", response_model=CustomerPage)
async def list_customers(
    session: DbSession,
    principal: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: str | None = None,
    owner: str | None = None,
    customer_type: CustomerType | None = None,
    stage: CooperationStage | None = None,
    tier: ValueTier | None = None,
) -> object:
    filters = {
        key: value.value if hasattr(value, "value") else value
        for key, value in {"owner": owner, "customer_type": customer_type, "stage": stage, "tier": tier}.items()
        if value is not None
    }
    items, next_cursor = await search.get_all(session, principal, limit=limit, cursor=cursor, filters=filters)
    return {"items": items, "next_cursor": next_cursor}
