"""Interaction HTTP models."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from engagement.interactions.rules import REASON_CODES

_reasons = "^(" + "|".join(REASON_CODES) + ")$"


class LastInteractionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    customer_id: str
    last_at: datetime | None
    kind: str | None
    since: datetime


class ReactivationDone(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason_code: str = Field(pattern=_reasons, description=f"one of {', '.join(REASON_CODES)}")
    note: str | None = Field(default=None, max_length=2000)


class ReactivationTaskRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    customer_id: str
    owner: str | None
    team: str | None
    silent_since: datetime
    opened_at: datetime
    status: str
    reason_code: str | None
    note: str | None
    done_by: str | None
    done_at: datetime | None


class ReactivationTaskList(BaseModel):
    items: list[ReactivationTaskRead]
