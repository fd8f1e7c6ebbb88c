"""Events the engagement service publishes (R-10 .. R-16, R-19): contacts recorded, needs changed, to-dos,
obligations, crisis mode and the last interaction. Free text (summaries, feedback) never travels (R-09)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from contracts.envelope import Event


class NeedKind(StrEnum):
    """R-04 need tag, or R-05 key information that waits for a second confirmation."""

    tag = "tag"
    key_needs = "key_needs"
    contact_position = "contact_position"


class CommunicationRecordedV1(Event):
    """R-14: a contact with a customer was written down (the JL- record)."""

    event_type: ClassVar[str] = "communication.recorded.v1"
    aggregate: ClassVar[str] = "communication"

    communication_id: str
    number: str = Field(description="e.g. JL-2026-000001")
    customer_id: str
    channel: str
    happened_at: datetime
    entered_at: datetime
    owner: str | None
    team: str | None
    next_follow_up_on: date | None = None


class NeedChangedV1(Event):
    """R-14: a need the customer voiced in a contact; the customer service makes it a need tag (R-04) or, for core
    needs and contact positions, a pending change awaiting a second confirmation (R-05)."""

    event_type: ClassVar[str] = "communication.need_changed.v1"
    aggregate: ClassVar[str] = "communication"

    communication_id: str
    customer_id: str
    kind: NeedKind
    value: str = Field(max_length=500)
    contact_id: str | None = Field(default=None, description="the contact whose position changed")
    recorded_by: str
    learned_at: datetime = Field(description="when the contact happened (R-06)")


class _TodoEvent(Event):
    aggregate: ClassVar[str] = "todo"

    todo_id: str
    customer_id: str
    title: str = Field(max_length=200)
    owner: str | None
    team: str | None
    due_at: datetime


class TodoOpenedV1(_TodoEvent):
    """R-15: a promise made to a customer became a to-do with a due time in working time."""

    event_type: ClassVar[str] = "todo.opened.v1"

    communication_id: str | None = None


class TodoOverdueV1(_TodoEvent):
    """R-15: the due time passed before the customer was told the outcome; the owner is reminded."""

    event_type: ClassVar[str] = "todo.overdue.v1"


class TodoEscalatedV1(_TodoEvent):
    """R-15: an overdue to-do goes to the owner's supervisor, once."""

    event_type: ClassVar[str] = "todo.escalated.v1"

    to_roles: list[str]


class TodoClosedV1(_TodoEvent):
    """R-15: resolved and the customer informed: the loop is closed."""

    event_type: ClassVar[str] = "todo.closed.v1"

    closed_at: datetime
    overdue: bool


class CrisisModeChangedV1(Event):
    """R-11 (the epidemic rules): crisis mode switched on or off; every cadence tightens while it is on."""

    event_type: ClassVar[str] = "crisis_mode.changed.v1"
    aggregate: ClassVar[str] = "crisis_mode"

    on: bool
    changed_by: str
    reason: str = Field(max_length=500)
    changed_at: datetime


class ObligationMissedV1(Event):
    """R-11: a cadence window closed without the contacts it required."""

    event_type: ClassVar[str] = "obligation.missed.v1"
    aggregate: ClassVar[str] = "obligation"

    obligation_id: str
    customer_id: str
    rule: str
    window_start: datetime
    window_end: datetime
    kinds_required: list[str]
    owner: str | None
    team: str | None


class LastInteractionChangedV1(Event):
    """R-16: the customer's latest interaction (communication, case received or closed, survey response); the
    customer service keeps it as `last_contact_at`."""

    event_type: ClassVar[str] = "last_interaction.changed.v1"
    aggregate: ClassVar[str] = "last_interaction"  # one per customer: the aggregate id is the customer id

    customer_id: str
    last_interaction_at: datetime
    kind: str = Field(description="communication, case_received, case_closed, survey_response")


class ReactivationTaskOpenedV1(Event):
    """R-16: no interaction for the configured days (90): the owner is asked to reach out and say why contact
    lapsed."""

    event_type: ClassVar[str] = "reactivation_task.opened.v1"
    aggregate: ClassVar[str] = "reactivation_task"

    task_id: str
    customer_id: str
    owner: str | None
    team: str | None
    last_interaction_at: datetime | None
    silent_days: int
