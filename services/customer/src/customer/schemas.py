"""HTTP request and response models. Unknown fields are refused (422 naming them)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, ClassVar
from zoneinfo import available_timezones

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from contracts.events.customer import CooperationStage, CustomerType, RiskState, ServiceLevel, ValueTier
from customer.phones import normalise_email, normalise_phone
from customer.settings import customer_settings

Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text100 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]

_TIME_ZONES = frozenset(available_timezones())


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _LearnedAt(_Strict):
    learned_at: datetime | None = Field(
        default=None, description="R-06: when the change became known (default: now); never in the future"
    )

    @field_validator("learned_at")
    @classmethod
    def _past(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("needs a time zone offset")
        if value > datetime.now(value.tzinfo):
            raise ValueError("may not be in the future")
        return value


class CooperationEntry(_Strict):
    """R-01 one item of the history of cooperation."""

    project: Annotated[str, StringConstraints(max_length=200)] | None = None
    products: Annotated[str, StringConstraints(max_length=500)] | None = None
    period: Annotated[str, StringConstraints(max_length=100)] | None = None
    payment_behaviour: Annotated[str, StringConstraints(max_length=200)] | None = None


class _Point(_Strict):
    """A phone or email, sent as an object or as a bare string."""

    bare_field: ClassVar[str]
    label: Label | None = None

    @model_validator(mode="before")
    @classmethod
    def _bare(cls, value: Any) -> Any:
        return {cls.bare_field: value} if isinstance(value, str) else value


class PhoneIn(_Point):
    bare_field: ClassVar[str] = "number"
    number: str = Field(description="any common format; stored as E.164 (default region CRM_CUSTOMER_PHONE_REGION)")

    @field_validator("number")
    @classmethod
    def _e164(cls, value: str) -> str:
        return normalise_phone(value, customer_settings().phone_region)


class EmailIn(_Point):
    bare_field: ClassVar[str] = "address"
    address: str

    @field_validator("address")
    @classmethod
    def _valid(cls, value: str) -> str:
        return normalise_email(value)


class ContactCreate(_LearnedAt):
    name: Text100
    position: Text100 | None = None
    phones: list[PhoneIn] = Field(default_factory=list, max_length=10)
    emails: list[EmailIn] = Field(default_factory=list, max_length=10)
    birthday: date | None = None
    primary: bool = False


class ContactUpdate(_LearnedAt):
    """Only the fields sent change. `position` is key information (R-05): it becomes a pending change."""

    name: Text100 | None = None
    position: Text100 | None = None
    phones: list[PhoneIn] | None = Field(default=None, max_length=10)
    emails: list[EmailIn] | None = Field(default=None, max_length=10)
    birthday: date | None = None
    primary: bool | None = None

    @field_validator("name", "phones", "emails", "primary", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("may not be null")
        return value


class _Profile(_Strict):
    industry: Text100 | None = None
    size: Annotated[str, StringConstraints(max_length=50)] | None = None
    address: Annotated[str, StringConstraints(max_length=500)] | None = None
    source: Text100 | None = Field(default=None, description="trade show, referral, website, ...")
    key_needs: LongText | None = None
    pain_points: LongText | None = None
    service_preferences: LongText | None = None
    cooperation_history: list[CooperationEntry] | None = None
    service_type: Text100 | None = None
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
    owner: Text100 | None = Field(default=None, description="R-08: when absent an owner rule may assign one")
    team: Text100 | None = None
    tags: list[Tag] = Field(default_factory=list, max_length=50)
    contacts: list[ContactCreate] = Field(default_factory=list, max_length=50)


class CustomerUpdate(_Profile, _LearnedAt):
    """Only the fields sent are changed; `null` clears an optional field. `key_needs` is key information (R-05)."""

    name: Text200 | None = None
    customer_type: CustomerType | None = None
    stage: CooperationStage | None = None
    tier: ValueTier | None = None
    service_level: ServiceLevel | None = None
    owner: Text100 | None = None
    team: Text100 | None = None

    @field_validator("name", "customer_type", "stage", "tier", "service_level", "cooperation_history", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        # only runs for fields actually sent: these can change but never be cleared
        if value is None:
            raise ValueError("may not be null")
        return value


class FiguresUpdate(_Strict):
    """R-03 figures the tier rules read."""

    revenue_12m: Decimal | None = Field(default=None, ge=0, max_digits=16, decimal_places=2)
    orders_12m: int | None = Field(default=None, ge=0)
    complaints_12m: int | None = Field(default=None, ge=0)
    survey_score: float | None = Field(default=None, ge=0, le=5)


class TagsPut(_Strict):
    tags: list[Tag] = Field(max_length=50)


class RiskPut(_Strict):
    risk_state: RiskState
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]


class OwnerPut(_Strict):
    owner: Text100
    team: Text100 | None = None


class TierRuleIn(_Strict):
    id: str | None = Field(default=None, description="keep an existing rule's id; a new one gets one")
    name: Text200
    priority: int = Field(ge=0)
    conditions: dict[str, Any] = Field(default_factory=dict)
    sets: dict[str, str]
    active: bool = True


class TierRulesPut(_Strict):
    rules: list[TierRuleIn] = Field(min_length=1, max_length=200, description="deactivate rules rather than send none")


class OwnerRuleIn(_Strict):
    id: str | None = None
    priority: int = Field(ge=0)
    industry: Text100 | None = None
    service_type: Text100 | None = None
    owner: Text100
    team: Text100 | None = None
    active: bool = True

    @model_validator(mode="after")
    def _names_a_match(self) -> OwnerRuleIn:
        if self.industry is None and self.service_type is None:
            raise ValueError("a rule names an industry, a service type or both")
        return self


class OwnerRulesPut(_Strict):
    rules: list[OwnerRuleIn] = Field(max_length=200)


class Decision(_Strict):
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] | None = None


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


class ContactPointRead(BaseModel):
    value: str | None = Field(description="masked unless the caller may see contact data (R-09)")
    label: str | None


class ContactRead(BaseModel):
    id: str
    name: str
    position: str | None
    phones: list[ContactPointRead]
    emails: list[ContactPointRead]
    birthday: str | None
    primary: bool


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
