"""The event envelope every message on `crm.events` carries (docs/architecture.md, fixed interface)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator


class Event(BaseModel):
    """Base of every event payload: immutable, named in the past tense, versioned in its type.

    A published version is frozen: add a new `...v2` model instead of removing,
    renaming or retyping a field (tests/test_compatibility.py enforces it).
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_type: ClassVar[str]
    aggregate: ClassVar[str]
    # carries personal contact data: producers keep it encrypted at rest in their outbox
    personal_data: ClassVar[bool] = False


class Envelope(BaseModel):
    """Metadata around an event's data; `id` is also the AMQP message_id."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: uuid.UUID = Field(description="Event id; also the AMQP message_id; consumers deduplicate on it")
    type: str = Field(description="Event type and routing key, e.g. customer.registered.v1")
    occurred_at: AwareDatetime = Field(description="When the change happened, UTC")
    producer: str = Field(description="Service that produced the event")
    aggregate_id: str = Field(description="Id of the record the event is about")
    aggregate_version: int = Field(
        ge=0, description="Version of that record after the change; consumers ignore older ones"
    )
    correlation_id: str | None = Field(default=None, description="Id of the request or event that caused this one")
    data: dict[str, Any] = Field(description="The event payload, shaped by the model of `type`")

    @field_validator("occurred_at")
    @classmethod
    def _in_utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)

    @classmethod
    def wrap(
        cls,
        event: Event,
        *,
        producer: str,
        aggregate_id: str,
        aggregate_version: int,
        correlation_id: str | None = None,
        occurred_at: datetime | None = None,
        event_id: uuid.UUID | None = None,
    ) -> Envelope:
        # the event is already validated, so a fresh envelope skips validation (it matters in SLA passes);
        # a caller-given time is still checked (naive datetimes are refused)
        build = cls if occurred_at is not None else cls.model_construct
        return build(
            id=event_id or uuid.uuid4(),
            type=event.event_type,
            occurred_at=occurred_at or datetime.now(UTC),
            producer=producer,
            aggregate_id=aggregate_id,
            aggregate_version=aggregate_version,
            correlation_id=correlation_id,
            data=event.model_dump(mode="json"),
        )

    def payload(self) -> Event:
        """The typed event inside; raises KeyError for an unknown type, ValidationError for bad data."""
        from contracts.registry import event_model

        return event_model(self.type).model_validate(self.data)
