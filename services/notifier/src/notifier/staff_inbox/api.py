"""Thin HTTP routes of the staff inbox (R-40): a staff member reads and marks only their own items."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from notifier.staff_inbox import service
from notifier.staff_inbox.schemas import InboxItemRead, InboxPage
from servicekit.auth import CurrentPrincipal
from servicekit.fields import RowId
from servicekit.runtime import DbSession

router = APIRouter(tags=["inbox"])


@router.get("/inbox", response_model=InboxPage)
async def my_inbox(
    session: DbSession,
    principal: CurrentPrincipal,
    unread_only: bool = False,
    cursor: Annotated[RowId | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> InboxPage:
    """The caller's own in-app messages, newest first (R-40)."""
    items = await service.get_all(session, staff=principal.subject, unread_only=unread_only, before=cursor, limit=limit)
    next_cursor = items[-1].id if len(items) == limit else None
    return InboxPage(items=[InboxItemRead.model_validate(i) for i in items], next_cursor=next_cursor)


@router.get("/inbox/unread-count")
async def my_unread_count(session: DbSession, principal: CurrentPrincipal) -> dict[str, int]:
    return {"unread": await service.unread_count(session, staff=principal.subject)}


@router.post("/inbox/read-all")
async def read_all(session: DbSession, principal: CurrentPrincipal) -> dict[str, int]:
    return {"marked": await service.mark_all_read(session, staff=principal.subject)}


@router.post("/inbox/{item_id}/read", response_model=InboxItemRead)
async def read_one(item_id: Annotated[RowId, Path()], session: DbSession, principal: CurrentPrincipal) -> InboxItemRead:
    return InboxItemRead.model_validate(await service.mark_read(session, staff=principal.subject, item_id=item_id))
