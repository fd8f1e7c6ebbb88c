"""Erasure request model."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from servicekit.fields import Text


class EraseIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: Annotated[Text, StringConstraints(min_length=1, max_length=500)] = Field(
        description="e.g. the data-subject request's reference"
    )
