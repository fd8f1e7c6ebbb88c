"""Saved segments and their members (R-09 visibility of the caller)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import StringConstraints

from customer.segments import service
from customer.segments.schemas import SegmentIn
from servicekit.auth import CurrentPrincipal, Principal, Role, require_roles
from servicekit.fields import Identifier, Text
from servicekit.runtime import DbSession

router = APIRouter(tags=["segments"])

SegmentEditor = Annotated[
    Principal, require_roles(Role.marketing, Role.sales, Role.agent, Role.supervisor, Role.manager)
]


@router.post("/segments", status_code=201)
async def create_segment(body: SegmentIn, session: DbSession, principal: SegmentEditor) -> dict[str, Any]:
    return service.view(await service.create(session, principal, body))


@router.get("/segments")
async def list_segments(session: DbSession, _: CurrentPrincipal) -> dict[str, Any]:
    return {"items": [service.view(s) for s in await service.get_list(session)]}


@router.get("/segments/{segment_id}")
async def get_segment(segment_id: Identifier, session: DbSession, _: CurrentPrincipal) -> dict[str, Any]:
    return service.view(await service.get(session, segment_id))


@router.put("/segments/{segment_id}")
async def replace_segment(
    segment_id: Identifier, body: SegmentIn, session: DbSession, principal: SegmentEditor
) -> dict[str, Any]:
    return service.view(await service.replace(session, principal, segment_id, body))


@router.delete("/segments/{segment_id}", status_code=204)
async def delete_segment(segment_id: Identifier, session: DbSession, principal: SegmentEditor) -> Response:
    await service.delete(session, principal, segment_id)
    return Response(status_code=204)


@router.get("/segments/{segment_id}/members")
async def segment_members(
    segment_id: Identifier,
    session: DbSession,
    principal: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    cursor: Annotated[Text, StringConstraints(max_length=500)] | None = None,
) -> dict[str, Any]:
    items, next_cursor = await service.members(session, principal, segment_id, limit=limit, cursor=cursor)
    return {"items": items, "next_cursor": next_cursor}
