"""Merge request model."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from servicekit.fields import Identifier


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    merged_id: Identifier
