"""Message history for staff (R-40): a customer's or a staff member's messages, addresses masked (R-09),
bodies never listed (the detail shows the subject only)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy import select

from notifier.models import Message
from servicekit.auth import Principal, Role, require_roles
from servicekit.errors import ApiError, not_found
from servicekit.pii import mask_email, mask_phone, mask_text
from servicekit.runtime import DbSession

router = APIRouter(tags=["messages"])

Staff = Annotated[Principal, require_roles(*Role)]
# who may read another staff member's messages
OVERSIGHT = (Role.supervisor, Role.manager, Role.vice_president, Role.auditor, Role.admin)


class MessageRead(BaseModel):
    id: str
    idempotency_key: str
    channel: str
    purpose: str
    template: str
    customer_id: str | None
    contact_id: str | None
    staff: str | None
    address: str | None
    status: str
    reason: str | None
    requested_at: datetime
    due_at: datetime
    attempts: int
    finished_at: datetime | None
    provider_message_id: str | None


class MessageDetail(MessageRead):
    subject: str | None


class MessagePage(BaseModel):
    items: list[MessageRead]
    next_before: datetime | None


def masked(channel: str, address: str | None) -> str | None:
    if channel == "email":
        return mask_email(address)
    if channel == "sms":
        return mask_phone(address)
    if channel == "im":
        return mask_text(address)  # a webhook URL carries its access token
    return address


def _read(row: Message, model: type[MessageRead] = MessageRead) -> MessageRead:
    values = {name: getattr(row, name) for name in model.model_fields if name != "address"}
    return model(**values, address=masked(row.channel, row.address))


@router.get("/messages", response_model=MessagePage)
async def list_messages(
    session: DbSession,
    principal: Staff,
    customer_id: str | None = None,
    staff: str | None = None,
    before: Annotated[datetime | None, Query(description="cursor: requested_at of the last item seen")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> MessagePage:
    if (customer_id is None) == (staff is None):
        raise ApiError(422, "validation_error", "give exactly one of customer_id or staff", field="customer_id")
    if staff is not None and staff != principal.subject and not principal.has_any(*OVERSIGHT):
        raise ApiError(403, "forbidden", "only supervisors see another staff member's messages", field="staff")
    query = select(Message).where(Message.customer_id == customer_id if customer_id else Message.staff == staff)
    if before is not None:
        query = query.where(Message.requested_at < before)
    rows = (await session.scalars(query.order_by(Message.requested_at.desc(), Message.id).limit(limit))).all()
    return MessagePage(
        items=[_read(r) for r in rows], next_before=rows[-1].requested_at if len(rows) == limit else None
    )


@router.get("/messages/{message_id}", response_model=MessageDetail)
async def get_message(session: DbSession, principal: Staff, message_id: str) -> MessageRead:
    row = await session.get(Message, message_id)
    if row is None or (
        row.staff is not None and row.staff != principal.subject and not principal.has_any(*OVERSIGHT)
    ):
        raise not_found("message", message_id)
    return _read(row, MessageDetail)
