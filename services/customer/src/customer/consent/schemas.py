"""Consent request model (R-42)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from contracts.events.customer import MessageChannel, Purpose


class ConsentIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    channel: MessageChannel
    purpose: Purpose
    granted: bool
    source: str = Field(min_length=1, max_length=100, description="form, phone call, email reply, import ...")
