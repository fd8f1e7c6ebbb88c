"""Thin HTTP routes -> service: the follow-ups the caller may see."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from engagement.followups import service
from engagement.followups.schemas import FollowUpList
from servicekit.auth import CurrentPrincipal
from servicekit.runtime import DbSession

router = APIRouter(prefix="/followups", tags=["follow-ups"])


@router.get("", response_model=FollowUpList)
async def list_followups(
    session: DbSession,
    principal: CurrentPrincipal,
    customer_id: Annotated[str | None, Query(max_length=36)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> object:
    return {"items": await service.get_all(session, principal, customer_id=customer_id, limit=limit)}
