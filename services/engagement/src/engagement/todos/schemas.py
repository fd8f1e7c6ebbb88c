"""To-do HTTP models."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class TodoDue(BaseModel):
    """A promise: what, and when in working time ("a solution within 3 working days")."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    working_days: float | None = Field(default=None, gt=0, le=250)
    working_hours: float | None = Field(default=None, gt=0, le=2000)
    due_at: AwareDatetime | None = None
    owner: str | None = Field(default=None, max_length=100)


class TodoCreate(TodoDue):
    customer_id: str = Field(max_length=36)


class TodoNote(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(default=None, max_length=2000)


class TodoRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    customer_id: str
    communication_id: str | None
    title: str
    owner: str | None
    team: str | None
    due_at: datetime
    status: str
    resolution: str | None
    resolved_at: datetime | None
    informed_at: datetime | None
    closed_at: datetime | None
    overdue_at: datetime | None
    escalated_at: datetime | None
    created_at: datetime


class TodoList(BaseModel):
    items: list[TodoRead]
