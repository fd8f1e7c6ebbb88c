"""Communication HTTP models."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from contracts.events.engagement import NeedKind
from engagement.cadences.rules import CHANNELS
from engagement.todos.schemas import TodoDue, TodoRead

_channel_pattern = "^(" + "|".join(CHANNELS) + ")$"


class NeedChange(BaseModel):
    """A need the customer voiced: a need tag (R-04), or core needs / a contact's position (R-05, confirmed by a
    second person in the customer service)."""

    model_config = ConfigDict(extra="forbid")

    kind: NeedKind = NeedKind.tag
    value: str = Field(min_length=1, max_length=500)
    contact_id: str | None = Field(default=None, max_length=36)


class CommunicationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    customer_id: str = Field(max_length=36)
    number: str | None = Field(
        default=None,
        pattern=r"^JL-[0-9-]{4,20}$",
        description="a number from the paper templates (JL-2024001); issued as JL-<year>-<n> when omitted",
    )
    happened_at: AwareDatetime
    channel: str = Field(pattern=_channel_pattern)
    subject: str = Field(min_length=1, max_length=500)
    summary: str = Field(min_length=1, max_length=10000)
    feedback: str | None = Field(default=None, max_length=10000)
    need_changes: list[NeedChange] = Field(default_factory=list, max_length=20)
    todos: list[TodoDue] = Field(default_factory=list, max_length=20)
    owner: str | None = Field(default=None, max_length=100, description="who made the contact; the caller if omitted")
    next_follow_up_on: date | None = None


class CommunicationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    number: str
    customer_id: str
    happened_at: datetime
    channel: str
    subject: str
    summary: str
    feedback: str | None
    need_changes: list[dict[str, str | None]]
    owner: str | None
    team: str | None
    next_follow_up_on: date | None
    entered_by: str
    entered_at: datetime
    entry_lag_seconds: float
    late: bool
    todos: list[TodoRead] = []


class CommunicationList(BaseModel):
    items: list[CommunicationRead]
