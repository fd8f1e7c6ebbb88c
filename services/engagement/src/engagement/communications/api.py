"""Thin HTTP routes -> communication service (R-14)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from engagement.communications import service
from engagement.communications.schemas import CommunicationCreate, CommunicationList, CommunicationRead
from engagement.responses import ERRORS
from engagement.settings import engagement_settings
from servicekit.auth import CurrentPrincipal
from servicekit.runtime import DbSession

router = APIRouter(prefix="/communications", tags=["communication records"], responses=ERRORS)


@router.post("", response_model=CommunicationRead, status_code=201)
async def record_communication(
    body: CommunicationCreate, request: Request, session: DbSession, principal: CurrentPrincipal
) -> object:
    calendar = request.app.state.calendar.calendar(engagement_settings().calendar)
    record, todos = await service.create(session, principal, body, calendar)
    return service.present(record, todos)


@router.get("", response_model=CommunicationList)
async def list_communications(
    session: DbSession,
    principal: CurrentPrincipal,
    customer_id: Annotated[str | None, Query(max_length=36)] = None,
    number: Annotated[str | None, Query(max_length=30)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> object:
    return {"items": await service.get_all(session, principal, customer_id=customer_id, number=number, limit=limit)}


@router.get("/{communication_id}", response_model=CommunicationRead)
async def read_communication(communication_id: str, session: DbSession, principal: CurrentPrincipal) -> object:
    return await service.get(session, principal, communication_id)
