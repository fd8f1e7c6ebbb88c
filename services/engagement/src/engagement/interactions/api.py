"""Thin HTTP routes: a customer's last interaction, reactivation tasks (R-16)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from engagement.interactions import service
from engagement.interactions.schemas import (
    LastInteractionRead,
    ReactivationDone,
    ReactivationTaskList,
    ReactivationTaskRead,
)
from engagement.responses import ERRORS
from engagement.segments import service as segments
from servicekit.auth import CurrentPrincipal
from servicekit.runtime import DbSession

router = APIRouter(tags=["silent customers"], responses=ERRORS)


@router.get("/customers/{customer_id}/last-interaction", response_model=LastInteractionRead)
async def last_interaction(customer_id: str, session: DbSession, principal: CurrentPrincipal) -> object:
    await segments.visible(session, principal, customer_id)
    return await service.last_of(session, customer_id)


@router.get("/reactivation-tasks", response_model=ReactivationTaskList)
async def list_tasks(
    session: DbSession,
    principal: CurrentPrincipal,
    customer_id: Annotated[str | None, Query(max_length=36)] = None,
    status: Annotated[str | None, Query(pattern="^(open|done|cancelled)$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> object:
    items = await service.get_tasks(session, principal, customer_id=customer_id, status=status, limit=limit)
    return {"items": items}


@router.post("/reactivation-tasks/{task_id}/done", response_model=ReactivationTaskRead)
async def task_done(task_id: str, body: ReactivationDone, session: DbSession, principal: CurrentPrincipal) -> object:
    return await service.complete_task(session, principal, task_id, body.reason_code, body.note)
