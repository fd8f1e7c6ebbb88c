"""Key-information changes waiting for a second confirmation (R-05): list, confirm, reject."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from customer.key_information import service
from customer.key_information.schemas import Decision
from servicekit.auth import CurrentPrincipal, Principal, Role, require_roles
from servicekit.fields import Identifier
from servicekit.runtime import DbSession

router = APIRouter(tags=["customers"])

Writer = Annotated[Principal, require_roles(Role.agent, Role.sales, Role.supervisor, Role.manager)]


@router.get("/pending-changes")
async def list_pending_changes(
    session: DbSession,
    principal: CurrentPrincipal,
    status: Literal["pending", "confirmed", "rejected"] = "pending",
    customer_id: Identifier | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> object:
    found = await service.get_all(session, principal, status=status, customer_id=customer_id, limit=limit)
    return {"items": [service.present(c) for c in found]}


@router.post("/pending-changes/{change_id}/confirm")
async def confirm_change(
    change_id: Identifier, session: DbSession, principal: Writer, body: Decision | None = None
) -> object:
    return service.present(await service.confirm(session, principal, change_id, body.note if body else None))


@router.post("/pending-changes/{change_id}/reject")
async def reject_change(
    change_id: Identifier, session: DbSession, principal: Writer, body: Decision | None = None
) -> object:
    return service.present(await service.reject(session, principal, change_id, body.note if body else None))
