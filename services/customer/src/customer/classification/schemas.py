"""Tier-rule request models (R-03)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, StrictBool

from customer.fields import Strict, Text200
from servicekit.fields import Count, Identifier, Name


class TierRuleIn(Strict):
    id: Identifier | None = Field(default=None, description="keep an existing rule's id; a new one gets one")
    name: Text200
    priority: Count
    conditions: dict[Name, Any] = Field(default_factory=dict, max_length=20)
    sets: dict[Name, Name] = Field(max_length=5)
    active: StrictBool = True


class TierRulesPut(Strict):
    rules: list[TierRuleIn] = Field(min_length=1, max_length=200, description="deactivate rules rather than send none")
