"""Segment request model: a name and the search filters it saves."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from customer.fields import Text200
from customer.search.schemas import CustomerFilters


class SegmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Text200
    filters: CustomerFilters
