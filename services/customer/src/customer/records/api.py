"""Customer records: create, read, change; tags (R-04) and risk (R-07). Every route needs a staff token.

R-05: a PATCH that touches `key_needs` answers 200 with the other changes applied and the waiting one listed
in `pending_changes`; it applies once confirmed.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from customer.key_information import service as key_information
from customer.records import service
from customer.records.rules import normalise_tags
from customer.records.schemas import CustomerCreate, CustomerDetail, CustomerUpdate, RiskPut, TagsPut
from servicekit.auth import CurrentPrincipal, Principal, Role, require_roles
from servicekit.fields import Identifier
from servicekit.runtime import DbSession

router = APIRouter(tags=["customers"])

Writer = Annotated[Principal, require_roles(Role.agent, Role.sales, Role.supervisor, Role.manager)]


@router.post("/customers", status_code=201, response_model=CustomerDetail)
async def create_customer(body: CustomerCreate, session: DbSession, principal: Writer) -> object:
    customer = await service.create(session, principal, body)
    return service.view(session, principal, customer)


@router.get("/customers/{customer_id}", response_model=CustomerDetail)
async def get_customer(customer_id: Identifier, session: DbSession, principal: CurrentPrincipal) -> object:
    return await service.read(session, principal, customer_id)


@router.patch("/customers/{customer_id}", response_model=CustomerDetail)
async def update_customer(
    customer_id: Identifier, body: CustomerUpdate, session: DbSession, principal: Writer
) -> object:
    customer, waiting = await service.update(session, principal, customer_id, body)
    return {
        **service.view(session, principal, customer),
        "pending_changes": [key_information.present(c) for c in waiting],
    }


@router.put("/customers/{customer_id}/tags", response_model=CustomerDetail)
async def put_tags(customer_id: Identifier, body: TagsPut, session: DbSession, principal: Writer) -> object:
    return service.view(session, principal, await service.set_tags(session, principal, customer_id, body.tags))


@router.post("/customers/{customer_id}/tags", response_model=CustomerDetail)
async def add_tags(customer_id: Identifier, body: TagsPut, session: DbSession, principal: Writer) -> object:
    customer = await service.get(session, principal, customer_id)
    return service.view(
        session, principal, await service.set_tags(session, principal, customer_id, [*customer.tags, *body.tags])
    )


@router.delete("/customers/{customer_id}/tags/{tag}", response_model=CustomerDetail)
async def remove_tag(customer_id: Identifier, tag: str, session: DbSession, principal: Writer) -> object:
    customer = await service.get(session, principal, customer_id)
    [key] = normalise_tags([tag]) or [""]
    kept = [t for t in customer.tags if t != key]
    return service.view(session, principal, await service.set_tags(session, principal, customer_id, kept))


@router.put("/customers/{customer_id}/risk", response_model=CustomerDetail)
async def put_risk(customer_id: Identifier, body: RiskPut, session: DbSession, principal: Writer) -> object:
    customer = await service.set_risk(session, principal, customer_id, body.risk_state, body.reason)
    return service.view(session, principal, customer)
