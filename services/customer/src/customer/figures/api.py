"""Figures entered by hand (R-03): order handlers and managers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from customer.figures import service
from customer.figures.schemas import FiguresUpdate
from customer.records import service as records
from customer.records.schemas import CustomerDetail
from servicekit.auth import Principal, Role, require_roles
from servicekit.fields import Identifier
from servicekit.runtime import DbSession

router = APIRouter(tags=["customers"])

FiguresWriter = Annotated[Principal, require_roles(Role.order_handler, Role.manager)]


@router.put("/customers/{customer_id}/figures", response_model=CustomerDetail)
async def put_figures(
    customer_id: Identifier, body: FiguresUpdate, session: DbSession, principal: FiguresWriter
) -> object:
    return records.view(session, principal, await service.update(session, principal, customer_id, body))
