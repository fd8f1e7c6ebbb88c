"""Tier-rule request models (R-03)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from customer.fields import Strict, Text200


class TierRuleIn(Strict):
    id: str | None = Field(default=None, description="keep an existing rule's id; a new one gets one")
    name: Text200
    priority: int = Field(ge=0)
    conditions: dict[str, Any] = Field(default_factory=dict)
    sets: dict[str, str]
    active: bool = True


class TierRulesPut(Strict):
    rules: list[TierRuleIn] = Field(min_length=1, max_length=200, description="deactivate rules rather than send none")
