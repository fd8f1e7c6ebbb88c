"""Message history for staff (R-40): a customer's or a staff member's messages, addresses masked (R-09),
bodies never listed (the detail shows the subject only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from notifier.delivery import service
from notifier.delivery.schemas import MessageDetail, MessagePage, MessageRead
from notifier.recipients import service as recipients
from servicekit.access import OVERSIGHT
from servicekit.auth import Principal, Role, require_roles
from servicekit.errors import ApiError, not_found
from servicekit.fields import Identifier, Instant, Name
from servicekit.runtime import DbSession

router = APIRouter(tags=["messages"])

Staff = Annotated[Principal, require_roles(*Role)]


@router.get("/messages", response_model=MessagePage)
async def list_messages(
    session: DbSession,
    principal: Staff,
    customer_id: Identifier | None = None,
    staff: Name | None = None,
    before: Annotated[Instant | None, Query(description="cursor: requested_at of the last item seen")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> MessagePage:
    if (customer_id is None) == (staff is None):
        raise ApiError(422, "validation_error", "give exactly one of customer_id or staff", field="customer_id")
    if staff is not None and staff != principal.subject and not principal.has_any(*OVERSIGHT):
        raise ApiError(403, "forbidden", "only supervisors see another staff member's messages", field="staff")
    if customer_id is not None and not await recipients.visible_to(session, principal, customer_id):
        raise not_found("customer", customer_id)  # as if unknown, so ids cannot be probed
    rows = await service.get_history(session, customer_id=customer_id, staff=staff, before=before, limit=limit)
    return MessagePage(
        items=[MessageRead.from_message(r) for r in rows],
        next_before=rows[-1].requested_at if len(rows) == limit else None,
    )


@router.get("/messages/{message_id}", response_model=MessageDetail)
async def get_message(session: DbSession, principal: Staff, message_id: Identifier) -> MessageRead:
    row = await service.get(session, message_id)
    if row is None or not await service.may_read(session, principal, row):
        raise not_found("message", message_id)
    return MessageDetail.from_message(row)
