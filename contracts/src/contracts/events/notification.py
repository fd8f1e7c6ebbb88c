"""The notifier's command and outcome events (R-40 .. R-43)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from pydantic import BaseModel, Field, model_validator

from contracts.envelope import Event
from contracts.events.customer import MessageChannel, Purpose


class Recipient(BaseModel):
    """Who gets the message: a customer (its primary contact unless `contact_id`) or a staff member."""

    customer_id: str | None = None
    contact_id: str | None = None
    staff: str | None = Field(default=None, description="staff subject, for reminders and escalations")

    @model_validator(mode="after")
    def _one_kind(self) -> Recipient:
        if (self.customer_id is None) == (self.staff is None):
            raise ValueError("name exactly one of customer_id or staff")
        return self


class NotificationRequestedV1(Event):
    """A command any service or internal system may publish: send this template to this recipient."""

    event_type: ClassVar[str] = "notification.requested.v1"
    aggregate: ClassVar[str] = "notification"

    idempotency_key: str = Field(min_length=1, max_length=200, description="the same key is never sent twice")
    recipient: Recipient
    purpose: Purpose
    template: str
    parameters: dict[str, Any] = Field(default_factory=dict)
    channels: list[MessageChannel] | None = Field(default=None, description="default: the template's channels")


class _Outcome(Event):
    aggregate: ClassVar[str] = "notification"

    notification_id: str
    idempotency_key: str
    recipient: Recipient
    purpose: Purpose
    template: str
    channel: MessageChannel | None = None


class NotificationSentV1(_Outcome):
    """The provider accepted the message."""

    event_type: ClassVar[str] = "notification.sent.v1"

    provider_message_id: str | None = None
    sent_at: datetime


class NotificationFailedV1(_Outcome):
    """Permanently failed; `reason` is the provider's."""

    event_type: ClassVar[str] = "notification.failed.v1"

    reason: str
    failed_at: datetime


class NotificationSuppressedV1(_Outcome):
    """Not sent on purpose: no consent, unsubscribed, frequency cap, erased, no address."""

    event_type: ClassVar[str] = "notification.suppressed.v1"

    reason: str
    suppressed_at: datetime


class NotificationUnsubscribedV1(Event):
    """A recipient used the unsubscribe link (R-42); the customer service records the withdrawn consent."""

    event_type: ClassVar[str] = "notification.unsubscribed.v1"
    aggregate: ClassVar[str] = "notification"

    customer_id: str
    contact_id: str
    channel: MessageChannel
    purpose: Purpose
    unsubscribed_at: datetime
