"""HTTP request and response models. Unknown fields are refused (422 naming them)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from zoneinfo import available_timezones

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from contracts.events.customer import CooperationStage, CustomerType, ServiceLevel, ValueTier

Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text100 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]

_TIME_ZONES = frozenset(available_timezones())


class _Profile(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    industry: Text100 | None = None
    size: Annotated[str, StringConstraints(max_length=50)] | None = None
    address: Annotated[str, StringConstraints(max_length=500)] | None = None
    source: Text100 | None = Field(default=None, description="trade show, referral, website, ...")
    key_needs: LongText | None = None
    pain_points: LongText | None = None
    service_preferences: LongText | None = None
    time_zone: str | None = Field(default=None, description="IANA time zone, e.g. Asia/Shanghai")
    language: Language | None = Field(default=None, description="BCP 47 tag, e.g. zh-CN or en")

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None and value not in _TIME_ZONES:
            raise ValueError("unknown IANA time zone")
        return value


class CustomerCreate(_Profile):
    name: Text200 = Field(description="Company name; the only required field")
    customer_type: CustomerType = CustomerType.potential
    stage: CooperationStage = CooperationStage.contact
    tier: ValueTier = ValueTier.low
    service_level: ServiceLevel = ServiceLevel.normal
    owner: Text100 | None = None
    team: Text100 | None = None


class CustomerUpdate(_Profile):
    """Only the fields sent are changed; `null` clears an optional field."""

    name: Text200 | None = None
    customer_type: CustomerType | None = None
    stage: CooperationStage | None = None
    tier: ValueTier | None = None
    service_level: ServiceLevel | None = None
    owner: Text100 | None = None
    team: Text100 | None = None

    @field_validator("name", "customer_type", "stage", "tier", "service_level", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        # only runs for fields actually sent: these can change but never be cleared
        if value is None:
            raise ValueError("may not be null")
        return value


class CustomerRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    number: str
    name: str
    industry: str | None
    size: str | None
    address: str | None
    source: str | None
    key_needs: str | None
    pain_points: str | None
    service_preferences: str | None
    time_zone: str | None
    language: str | None
    customer_type: CustomerType
    stage: CooperationStage
    tier: ValueTier
    service_level: ServiceLevel
    owner: str | None
    team: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class CustomerPage(BaseModel):
    items: list[CustomerRead]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page")
