"""Thin HTTP routes -> service. Every route needs a staff token; writes need a working role."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from customer import service
from customer.schemas import CustomerCreate, CustomerRead, CustomerUpdate
from servicekit.auth import CurrentPrincipal, Principal, Role, require_roles
from servicekit.runtime import DbSession

router = APIRouter(prefix="/customers", tags=["customers"])

Writer = Annotated[Principal, require_roles(Role.agent, Role.sales, Role.supervisor, Role.manager)]


@router.post("", status_code=201, response_model=CustomerRead)
async def create_customer(body: CustomerCreate, session: DbSession, principal: Writer) -> object:
    return await service.create(session, principal, body)


@router.get("/{customer_id}", response_model=CustomerRead)
async def get_customer(customer_id: str, session: DbSession, principal: CurrentPrincipal) -> object:
    return await service.get(session, principal, customer_id)


@router.patch("/{customer_id}", response_model=CustomerRead)
async def update_customer(customer_id: str, body: CustomerUpdate, session: DbSession, principal: Writer) -> object:
    return await service.update(session, principal, customer_id, body)
