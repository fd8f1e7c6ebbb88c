"""Campaign requests and reads: the segment by tier, type, stage, tags and industry (R-34)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from contracts.events.customer import CooperationStage, CustomerType, MessageChannel, ValueTier

Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class Segment(BaseModel):
    """Every given criterion must hold; an empty list means any."""

    model_config = ConfigDict(extra="forbid")

    tiers: list[ValueTier] = Field(default_factory=list)
    customer_types: list[CustomerType] = Field(default_factory=list)
    stages: list[CooperationStage] = Field(default_factory=list)
    industries: list[Annotated[str, StringConstraints(max_length=100)]] = Field(default_factory=list)
    tags: list[Tag] = Field(default_factory=list, description="the customer has all of these tags (R-04)")


class CampaignCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    questionnaire: Annotated[str, StringConstraints(min_length=1, max_length=60)] = "satisfaction"
    segment: Segment = Field(default_factory=Segment)
    channels: list[MessageChannel] | None = Field(default=None, description="default: the template's channels")


class CampaignRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    questionnaire_key: str
    questionnaire_version: int
    segment: Segment
    channels: list[str] | None
    state: str
    customers: int
    invited: int
    skipped: int
    created_by: str
    created_at: datetime
    finished_at: datetime | None
