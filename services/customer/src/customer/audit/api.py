"""The auditors' query over the audit log (R-09)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from customer.audit import service
from servicekit.auth import Principal, Role, require_roles
from servicekit.fields import AwareInstant, Identifier, Name, RowId
from servicekit.runtime import DbSession

router = APIRouter(tags=["personal data"])

Auditor = Annotated[Principal, require_roles(Role.auditor)]


@router.get("/audit")
async def query_audit(
    session: DbSession,
    principal: Auditor,
    customer_id: Identifier | None = None,
    actor: Name | None = None,
    action: Name | None = None,
    since: AwareInstant | None = None,
    until: AwareInstant | None = None,
    cursor: Annotated[RowId | None, Query(description="next_cursor of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    """R-09: newest first; `since` inclusive, `until` exclusive."""
    page, next_cursor = await service.get_all(
        session,
        customer_id=customer_id,
        actor=actor,
        action=action,
        since=since,
        until=until,
        cursor=cursor,
        limit=limit,
    )
    return {"items": [service.present(entry) for entry in page], "next_cursor": next_cursor}
