"""R-06 `learned_at`: when a change became known, sent with every change of contact data or needs."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, field_validator

from customer.fields import Strict
from servicekit.fields import Instant


class LearnedAt(Strict):
    learned_at: Instant | None = Field(
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
