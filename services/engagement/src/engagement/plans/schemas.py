"""Plan HTTP models."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from engagement.cadences.rules import CHANNELS

_channel_pattern = "^(" + "|".join(CHANNELS) + ")$"


class PlanCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    customer_id: str = Field(max_length=36)
    number: str | None = Field(
        default=None,
        pattern=r"^JH-[0-9-]{4,20}$",
        description="a number from the paper templates (JH-2024001); issued as JH-<year>-<n> when omitted",
    )
    cycle: str = Field(min_length=1, max_length=20, description="weekly, monthly, quarterly, ...")
    goal: str = Field(min_length=1, max_length=2000)
    content: str = Field(min_length=1, max_length=4000)
    channel: str = Field(default="phone", pattern=_channel_pattern)
    owner: str | None = Field(default=None, max_length=100, description="the caller when omitted")
    execute_on: date
    status: str = Field(default="planned", pattern="^(planned|done|not_done)$")
    note: str | None = Field(default=None, max_length=2000)


class Postpone(BaseModel):
    model_config = ConfigDict(extra="forbid")

    new_date: date
    reason: str = Field(min_length=1, max_length=1000)


class Outcome(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(default=None, max_length=2000)


class PostponementRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_date: date
    to_date: date
    reason: str
    postponed_by: str
    postponed_at: datetime


class PlanRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    number: str
    customer_id: str
    cycle: str
    goal: str
    content: str
    channel: str
    owner: str | None
    team: str | None
    planned_on: date
    execute_on: date
    status: str
    note: str | None
    source: str
    obligation_id: str | None
    postponements: list[PostponementRead]
    created_at: datetime


class PlanList(BaseModel):
    items: list[PlanRead]
