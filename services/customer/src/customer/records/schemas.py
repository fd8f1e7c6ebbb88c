"""Customer request and response models. Unknown fields are refused (422 naming them)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from contracts.events.customer import CooperationStage, CustomerType, RiskState, ServiceLevel, ValueTier
from customer.change_lag.schemas import LearnedAt
from customer.contacts.schemas import ContactCreate, ContactRead
from customer.fields import Language, LongText, Strict, Tag, Text, Text100, Text200
from servicekit.fields import TimeZone, omittable


class CooperationEntry(Strict):
    """R-01 one item of the history of cooperation."""

    project: Annotated[Text, StringConstraints(max_length=200)] | None = None
    products: Annotated[Text, StringConstraints(max_length=500)] | None = None
    period: Annotated[Text, StringConstraints(max_length=100)] | None = None
    payment_behaviour: Annotated[Text, StringConstraints(max_length=200)] | None = None


class _Profile(Strict):
    industry: Text100 | None = None
    size: Annotated[Text, StringConstraints(max_length=50)] | None = None
    address: Annotated[Text, StringConstraints(max_length=500)] | None = None
    source: Text100 | None = Field(default=None, description="trade show, referral, website, ...")
    key_needs: LongText | None = None
    pain_points: LongText | None = None
    service_preferences: LongText | None = None
    cooperation_history: list[CooperationEntry] | None = Field(default=None, max_length=200)
    service_type: Text100 | None = None
    time_zone: TimeZone | None = Field(default=None, description="IANA time zone, e.g. Asia/Shanghai")
    language: Language | None = Field(default=None, description="BCP 47 tag, e.g. zh-CN or en")


class CustomerCreate(_Profile):
    name: Text200 = Field(description="Company name; the only required field")
    customer_type: CustomerType = CustomerType.potential
    stage: CooperationStage = CooperationStage.contact
    tier: ValueTier = ValueTier.low
    service_level: ServiceLevel = ServiceLevel.normal
    owner: Text100 | None = Field(default=None, description="R-08: when absent an owner rule may assign one")
    team: Text100 | None = None
    tags: list[Tag] = Field(default_factory=list, max_length=50)
    contacts: list[ContactCreate] = Field(default_factory=list, max_length=50)


class CustomerUpdate(_Profile, LearnedAt):
    """Only the fields sent are changed; `null` clears an optional field. `key_needs` is key information (R-05).
    Name, type, stage, tier, service level and the history can change but never be cleared (no null)."""

    name: Text200 = omittable()
    customer_type: CustomerType = omittable()
    stage: CooperationStage = omittable()
    tier: ValueTier = omittable()
    service_level: ServiceLevel = omittable()
    cooperation_history: list[CooperationEntry] = omittable(max_length=200)
    owner: Text100 | None = None
    team: Text100 | None = None


class TagsPut(Strict):
    tags: list[Tag] = Field(max_length=50)


class RiskPut(Strict):
    risk_state: RiskState
    reason: Annotated[Text, StringConstraints(min_length=1, max_length=1000)]


class CustomerRead(BaseModel):
    """A customer without contact data (lists); `records.present` builds the full view."""

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
    service_type: str | None
    time_zone: str | None
    language: str | None
    customer_type: CustomerType
    stage: CooperationStage
    tier: ValueTier
    service_level: ServiceLevel
    tags: list[str]
    risk_state: RiskState
    owner: str | None
    team: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class Figures(BaseModel):
    revenue_12m: Decimal
    orders_12m: int
    complaints_12m: int
    survey_score: float | None
    as_of: datetime | None


class CustomerDetail(CustomerRead):
    cooperation_history: list[dict[str, Any]]
    figures: Figures
    contacts: list[ContactRead]
    contact_data_masked: bool
    pending_changes: list[dict[str, Any]] = Field(
        default_factory=list, description="R-05: key-information changes this request left waiting for confirmation"
    )


class CustomerPage(BaseModel):
    items: list[CustomerRead]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page")
