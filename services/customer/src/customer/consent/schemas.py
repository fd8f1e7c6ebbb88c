"""Consent request model (R-42)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from contracts.events.customer import MessageChannel, Purpose
from servicekit.fields import Name


class ConsentIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    channel: MessageChannel
    purpose: Purpose
    granted: StrictBool
    source: Name = Field(description="form, phone call, email reply, import ...")
