"""Compensation HTTP request and response models (R-28)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from complaints.cases.schemas import StrictInput
from contracts.events.cases import CompensationKind
from servicekit.fields import Note


class CompensationCreate(StrictInput):
    kind: CompensationKind
    amount: Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2)]
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None
    reason: Note | None = None


class CompensationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    case_id: str
    kind: str
    amount: Decimal
    currency: str
    reason: str | None
    state: str
    proposed_by: str
    proposed_at: datetime
    decided_by: str | None
    decided_at: datetime | None
