"""HTTP models of the staff inbox (R-40)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class InboxItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    purpose: str
    subject: str | None
    text: str
    created_at: datetime
    read_at: datetime | None


class InboxPage(BaseModel):
    items: list[InboxItemRead]
    next_cursor: int | None = Field(description="pass as `cursor` for the next (older) page; null at the end")
