"""Events the customer service publishes (R-01 .. R-09)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, Field

from contracts.envelope import Event


class CustomerType(StrEnum):
    """R-02: 战略客户 / 普通客户 / 潜在客户."""

    strategic = "strategic"
    normal = "normal"
    potential = "potential"


class CooperationStage(StrEnum):
    """R-02: 接洽期 / 合作期 / 稳定期."""

    contact = "contact"
    cooperation = "cooperation"
    stable = "stable"


class ValueTier(StrEnum):
    high = "high"
    mid = "mid"
    low = "low"


class ServiceLevel(StrEnum):
    vip = "vip"
    normal = "normal"


class CustomerRegisteredV1(Event):
    """A new customer record exists. Carries no personal contact data (R-09)."""

    event_type: ClassVar[str] = "customer.registered.v1"
    aggregate: ClassVar[str] = "customer"

    customer_id: str
    number: str = Field(description="Human-readable customer number, e.g. KH-2026-000123")
    name: str = Field(description="Company name")
    industry: str | None = None
    source: str | None = None
    customer_type: CustomerType
    stage: CooperationStage
    tier: ValueTier
    service_level: ServiceLevel
    owner: str | None = Field(default=None, description="Staff subject of the account owner (R-08)")
    team: str | None = None
    time_zone: str | None = None
    language: str | None = None
    registered_at: datetime


class CustomerUpdatedV1(Event):
    """Profile fields changed; `changed` names them, `profile` holds their new values."""

    event_type: ClassVar[str] = "customer.updated.v1"
    aggregate: ClassVar[str] = "customer"

    customer_id: str
    changed: list[str]
    profile: dict[str, str | int | None]


class CustomerClassifiedV1(Event):
    """Type, stage, tier or service level changed (R-02, R-03), with the reason."""

    event_type: ClassVar[str] = "customer.classified.v1"
    aggregate: ClassVar[str] = "customer"

    customer_id: str
    customer_type: CustomerType
    stage: CooperationStage
    tier: ValueTier
    service_level: ServiceLevel
    previous: dict[str, str]
    reason: str


class CustomerOwnerAssignedV1(Event):
    """R-08: one owner per customer."""

    event_type: ClassVar[str] = "customer.owner_assigned.v1"
    aggregate: ClassVar[str] = "customer"

    customer_id: str
    owner: str | None
    team: str | None
    previous_owner: str | None
    reason: str


class CustomerMergedV1(Event):
    """`merged_id` was folded into `survivor_id`; consumers re-point their records."""

    event_type: ClassVar[str] = "customer.merged.v1"
    aggregate: ClassVar[str] = "customer"

    survivor_id: str
    merged_id: str


class CustomerErasedV1(Event):
    """R-09/R-42: personal data erased; every service removes identities, keeps statistics."""

    event_type: ClassVar[str] = "customer.erased.v1"
    aggregate: ClassVar[str] = "customer"

    customer_id: str
    erased_at: datetime


class RiskState(StrEnum):
    """R-07: 经营受阻 / 资金紧张 / 信用恶化."""

    normal = "normal"
    business_disrupted = "business_disrupted"
    funds_tight = "funds_tight"
    credit_deteriorating = "credit_deteriorating"


class MessageChannel(StrEnum):
    """R-40 channels; consent is recorded per channel (R-42)."""

    email = "email"
    sms = "sms"
    im = "im"
    in_app = "in_app"


class Purpose(StrEnum):
    """Why a message is sent (R-42): service messages about an open case need no consent."""

    service = "service"
    care = "care"
    marketing = "marketing"


class CustomerRiskChangedV1(Event):
    """R-07: a changed risk state; `credit_deteriorating` tightens terms wherever the account is worked."""

    event_type: ClassVar[str] = "customer.risk_changed.v1"
    aggregate: ClassVar[str] = "customer"

    customer_id: str
    risk_state: RiskState
    previous: RiskState
    reason: str


class CustomerTagsChangedV1(Event):
    """R-04 need tags, used to target follow-ups and messages."""

    event_type: ClassVar[str] = "customer.tags_changed.v1"
    aggregate: ClassVar[str] = "customer"

    customer_id: str
    tags: list[str]
    added: list[str]
    removed: list[str]


class ContactPoint(BaseModel):
    """One contact's addresses. Personal data (R-09): consumers keep only what they need, encrypted at rest."""

    contact_id: str
    name: str
    email: str | None = None
    phone: str | None = Field(default=None, description="E.164, e.g. +8613812345678")
    primary: bool = False


class CustomerContactsChangedV1(Event):
    """The customer's contacts as they now are (full state, not a delta), for the notifier's recipient list.

    The only event carrying contact data; only the notifier subscribes. `contacts`
    is empty after erasure.
    """

    event_type: ClassVar[str] = "customer.contacts_changed.v1"
    aggregate: ClassVar[str] = "customer"
    personal_data: ClassVar[bool] = True

    customer_id: str
    language: str | None = None
    time_zone: str | None = None
    contacts: list[ContactPoint]


class CustomerConsentChangedV1(Event):
    """R-42: a contact granted or withdrew consent for a channel and purpose."""

    event_type: ClassVar[str] = "customer.consent_changed.v1"
    aggregate: ClassVar[str] = "customer"

    customer_id: str
    contact_id: str
    channel: MessageChannel
    purpose: Purpose
    granted: bool
    source: str = Field(description="where the consent came from: form, phone call, unsubscribe link, import ...")
    recorded_at: datetime
