"""Override HTTP models."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from engagement.cadences.rules import PERIODS

_period = "^(" + "|".join(PERIODS) + ")$"


class OverrideIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    period: str = Field(pattern=_period, description="at most `contacts` contacts per this period")
    contacts: int = Field(default=1, ge=1, le=31)
    reason: str = Field(min_length=1, max_length=1000)
    until: date | None = Field(default=None, description="the last day it applies; for good when omitted")


class OverrideRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    customer_id: str
    period: str
    contacts: int
    reason: str
    until: date | None
    set_by: str
    set_at: datetime
    ended_by: str | None
    ended_at: datetime | None


class OverrideList(BaseModel):
    items: list[OverrideRead]
