"""Corrective action HTTP request and response models (R-31)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

from complaints.cases.schemas import Name, StrictInput, Text
from servicekit.fields import Day


class CorrectiveActionCreate(StrictInput):
    description: Text
    owner: Name
    due_date: Day


class CorrectiveActionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    case_id: str
    description: str
    owner: str
    due_date: date
    status: str
    done_at: datetime | None
