"""The search filters (R-09 visibility always applies on top of them)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from contracts.events.customer import CooperationStage, CustomerType, RiskState, ServiceLevel, ValueTier
from customer.fields import Tag, Text100, Text200
from customer.search.rules import search_key
from servicekit.fields import Instant


class CustomerFilters(BaseModel):
    """The filters of `GET /customers`, of exports and of saved segments (stored as this model's JSON)."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)

    q: Text200 | None = Field(default=None, description="partial or fuzzy company name, Chinese or Latin")
    customer_type: CustomerType | None = None
    stage: CooperationStage | None = None
    tier: ValueTier | None = None
    service_level: ServiceLevel | None = None
    risk_state: RiskState | None = None
    tags_any: list[Tag] = Field(default_factory=list, max_length=50, description="has at least one of these tags")
    tags_all: list[Tag] = Field(default_factory=list, max_length=50, description="has every one of these tags")
    owner: Text100 | None = None
    team: Text100 | None = None
    industry: Text100 | None = None
    last_contact_before: Instant | None = None
    last_contact_after: Instant | None = None

    @field_validator("tags_any", "tags_all")
    @classmethod
    def _normalised(cls, tags: list[str]) -> list[str]:
        return list(dict.fromkeys(search_key(tag) for tag in tags))  # R-04 tags are stored folded like this

    @field_validator("last_contact_before", "last_contact_after")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("needs a time zone offset")
        return value
