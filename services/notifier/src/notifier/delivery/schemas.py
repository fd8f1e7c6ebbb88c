"""HTTP models of the message history (R-40): addresses masked (R-09), bodies never listed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from servicekit.pii import mask_email, mask_phone, mask_text


def masked(channel: str, address: str | None) -> str | None:
    if channel == "email":
        return mask_email(address)
    if channel == "sms":
        return mask_phone(address)
    if channel == "im":
        return mask_text(address)  # a webhook URL carries its access token
    return address


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

    @classmethod
    def from_message(cls, row: Any) -> MessageRead:
        """The row's fields this model shows, the address masked."""
        values = {name: getattr(row, name) for name in cls.model_fields if name != "address"}
        return cls(**values, address=masked(row.channel, row.address))


class MessageDetail(MessageRead):
    subject: str | None


class MessagePage(BaseModel):
    items: list[MessageRead]
    next_before: datetime | None
