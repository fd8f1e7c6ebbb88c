"""SLA HTTP response models."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class SlaTargetRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    target: str
    deadline: datetime
    state: str
    met_at: datetime | None
    breached_at: datetime | None
