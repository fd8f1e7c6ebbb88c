"""Thin HTTP routes -> plan service (R-10)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from engagement.plans import service
from engagement.plans.schemas import Outcome, PlanCreate, PlanList, PlanRead, Postpone
from engagement.responses import ERRORS
from servicekit.auth import CurrentPrincipal
from servicekit.runtime import DbSession

router = APIRouter(prefix="/plans", tags=["maintenance plans"], responses=ERRORS)


@router.post("", response_model=PlanRead, status_code=201)
async def create_plan(body: PlanCreate, session: DbSession, principal: CurrentPrincipal) -> object:
    return await service.create(session, principal, body)


@router.get("", response_model=PlanList)
async def list_plans(
    session: DbSession,
    principal: CurrentPrincipal,
    customer_id: Annotated[str | None, Query(max_length=36)] = None,
    status: Annotated[str | None, Query(pattern="^(planned|done|not_done|postponed|cancelled)$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> object:
    return {"items": await service.get_all(session, principal, customer_id=customer_id, status=status, limit=limit)}


@router.get("/{plan_id}", response_model=PlanRead)
async def read_plan(plan_id: str, session: DbSession, principal: CurrentPrincipal) -> object:
    return await service.get(session, principal, plan_id)


@router.post("/{plan_id}/postpone", response_model=PlanRead)
async def postpone_plan(plan_id: str, body: Postpone, session: DbSession, principal: CurrentPrincipal) -> object:
    return await service.postpone(session, principal, plan_id, body.new_date, body.reason)


@router.post("/{plan_id}/done", response_model=PlanRead)
async def plan_done(plan_id: str, body: Outcome, session: DbSession, principal: CurrentPrincipal) -> object:
    return await service.finish(session, principal, plan_id, "done", body.note)


@router.post("/{plan_id}/not-done", response_model=PlanRead)
async def plan_not_done(plan_id: str, body: Outcome, session: DbSession, principal: CurrentPrincipal) -> object:
    return await service.finish(session, principal, plan_id, "not_done", body.note)
