"""Thin HTTP routes -> to-do service (R-15)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from engagement.responses import ERRORS
from engagement.segments import service as segments
from engagement.settings import engagement_settings
from engagement.todos import service
from engagement.todos.schemas import TodoCreate, TodoList, TodoNote, TodoRead
from servicekit import clock
from servicekit.auth import CurrentPrincipal
from servicekit.runtime import DbSession

router = APIRouter(prefix="/todos", tags=["to-dos"], responses=ERRORS)


@router.post("", response_model=TodoRead, status_code=201)
async def create_todo(body: TodoCreate, request: Request, session: DbSession, principal: CurrentPrincipal) -> object:
    customer = await segments.visible(session, principal, body.customer_id)
    calendar = request.app.state.calendar.calendar(engagement_settings().calendar)
    return await service.open_todo(session, principal, customer, body, calendar, start=clock.now(session))


@router.get("", response_model=TodoList)
async def list_todos(
    session: DbSession,
    principal: CurrentPrincipal,
    customer_id: Annotated[str | None, Query(max_length=36)] = None,
    status: Annotated[str | None, Query(pattern="^(open|resolved|informed|closed|cancelled)$")] = None,
    overdue: bool = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> object:
    items = await service.get_all(
        session, principal, customer_id=customer_id, status=status, overdue=overdue, limit=limit
    )
    return {"items": items}


@router.get("/{todo_id}", response_model=TodoRead)
async def read_todo(todo_id: str, session: DbSession, principal: CurrentPrincipal) -> object:
    return await service.get(session, principal, todo_id)


@router.post("/{todo_id}/resolve", response_model=TodoRead)
async def resolve_todo(todo_id: str, body: TodoNote, session: DbSession, principal: CurrentPrincipal) -> object:
    return await service.act(session, principal, todo_id, "resolve", body.note)


@router.post("/{todo_id}/inform", response_model=TodoRead)
async def inform_customer(todo_id: str, body: TodoNote, session: DbSession, principal: CurrentPrincipal) -> object:
    """The customer was told the outcome (R-15); only then may the to-do close."""
    return await service.act(session, principal, todo_id, "inform", body.note)


@router.post("/{todo_id}/close", response_model=TodoRead)
async def close_todo(todo_id: str, body: TodoNote, session: DbSession, principal: CurrentPrincipal) -> object:
    return await service.act(session, principal, todo_id, "close", body.note)
