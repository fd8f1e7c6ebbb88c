"""Erasure request model."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class EraseIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: str = Field(min_length=1, max_length=500, description="e.g. the data-subject request's reference")
