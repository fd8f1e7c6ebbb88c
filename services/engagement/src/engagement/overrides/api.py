"""Thin HTTP routes: a customer's cadence override (R-19)."""

from __future__ import annotations

from fastapi import APIRouter

from engagement.overrides import service
from engagement.overrides.schemas import OverrideIn, OverrideList, OverrideRead
from engagement.responses import ERRORS
from servicekit.auth import CurrentPrincipal
from servicekit.runtime import DbSession

router = APIRouter(prefix="/customers/{customer_id}/cadence-override", tags=["cadence overrides"], responses=ERRORS)


@router.put("", response_model=OverrideRead)
async def set_override(customer_id: str, body: OverrideIn, session: DbSession, principal: CurrentPrincipal) -> object:
    return await service.set_override(session, principal, customer_id, body)


@router.delete("", response_model=OverrideRead)
async def end_override(customer_id: str, session: DbSession, principal: CurrentPrincipal) -> object:
    return await service.end_override(session, principal, customer_id)


@router.get("", response_model=OverrideList)
async def list_overrides(customer_id: str, session: DbSession, principal: CurrentPrincipal) -> object:
    return {"items": await service.get_all(session, principal, customer_id)}
