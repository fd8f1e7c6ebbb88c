"""Finding customers: the filtered list and exact phone or email lookup, always through R-09 visibility."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, StringConstraints

from customer.contacts.rules import normalise_email, normalise_phone
from customer.records import service as records
from customer.records.schemas import CustomerDetail, CustomerPage
from customer.search import service
from customer.settings import customer_settings
from servicekit.auth import CurrentPrincipal
from servicekit.errors import ApiError
from servicekit.fields import Text
from servicekit.pii import blind_index
from servicekit.runtime import DbSession

router = APIRouter(tags=["customers"])


@router.get("/customers", response_model=CustomerPage)
async def list_customers(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[Text, StringConstraints(max_length=500)] | None = None,
) -> object:
    filters = service.filters_from_query(request.query_params)
    items, next_cursor = await service.get_all(session, principal, limit=limit, cursor=cursor, filters=filters)
    return {"items": items, "next_cursor": next_cursor}


class Matches(BaseModel):
    items: list[CustomerDetail]


@router.get("/customers/lookup", response_model=Matches)
async def lookup(
    session: DbSession, principal: CurrentPrincipal, phone: str | None = None, email: str | None = None
) -> object:
    """Exact match on a phone or email in any common format ('138 1234 5678' finds +8613812345678)."""
    if (phone is None) == (email is None):
        raise ApiError(422, "validation_error", "give exactly one of phone or email", field="phone")
    try:
        kind, value = (
            ("phone", normalise_phone(phone, customer_settings().phone_region))
            if phone
            else ("email", normalise_email(email or ""))
        )
    except ValueError as exc:
        raise ApiError(
            422, "validation_error", f"{'phone' if phone else 'email'}: {exc}", field="phone" if phone else "email"
        ) from None
    found = await service.lookup(session, principal, kind=kind, value_index=blind_index(value))
    return {"items": [records.view(session, principal, customer) for customer in found]}
