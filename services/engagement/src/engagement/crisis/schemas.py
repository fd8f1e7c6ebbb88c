"""Crisis mode HTTP models."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class CrisisSwitchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    on: bool
    reason: str = Field(min_length=1, max_length=500)


class CrisisSwitchRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    on: bool
    changed_by: str
    reason: str
    changed_at: datetime


class CrisisModeRead(BaseModel):
    on: bool
    policy_version: int
    history: list[CrisisSwitchRead]
