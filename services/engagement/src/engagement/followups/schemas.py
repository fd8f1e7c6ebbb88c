"""Follow-up HTTP response models."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class FollowUpRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    number: str
    customer_id: str
    kind: str
    channel: str
    purpose: str
    owner: str | None
    team: str | None
    due_at: datetime
    status: str
    rule: str
    created_at: datetime


class FollowUpList(BaseModel):
    items: list[FollowUpRead]
