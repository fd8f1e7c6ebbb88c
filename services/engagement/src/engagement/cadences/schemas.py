"""Cadence and obligation HTTP models."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from engagement.cadences.rules import KINDS, PERIODS

_period = "^(" + "|".join(PERIODS) + ")$"


class CadenceRuleData(BaseModel):
    """One rule: which customers (`when`: segment facts, every listed one must match; `tags` any of), how many
    contacts per period and of which kinds (any, phone, online, in_depth, visit)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=50, pattern="^[a-z0-9_]+$")
    when: dict[str, list[str] | bool] = Field(default_factory=dict)
    period: str = Field(pattern=_period)
    contacts: int = Field(ge=1, le=31)
    kinds: list[str] = Field(default_factory=lambda: ["any"], min_length=1, max_length=10)

    def model_post_init(self, _: object) -> None:
        unknown = [k for k in self.kinds if k not in KINDS]
        if unknown:
            raise ValueError(f"unknown kinds {unknown}; known: {', '.join(KINDS)}")


class CadencesPut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rules: list[CadenceRuleData] = Field(min_length=1, max_length=50)
    crisis_rules: list[CadenceRuleData] | None = Field(default=None, min_length=1, max_length=50)


class CadencesRead(BaseModel):
    version: int
    crisis_on: bool
    rules: list[CadenceRuleData]
    crisis_rules: list[CadenceRuleData]
    updated_by: str
    updated_at: datetime


class ObligationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    customer_id: str
    rule: str
    period: str
    focus: str
    window_start: datetime
    window_end: datetime
    contacts: int
    kinds: list[str]
    channels: list[str]
    status: str
    owner: str | None
    team: str | None
    met_at: datetime | None
    closed_at: datetime | None


class ObligationList(BaseModel):
    items: list[ObligationRead]
