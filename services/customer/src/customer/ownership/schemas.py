"""Owner and owner-rule request models (R-08)."""

from __future__ import annotations

from pydantic import Field, StrictBool, model_validator

from customer.fields import Strict, Text100
from servicekit.fields import Count, Identifier


class OwnerPut(Strict):
    owner: Text100
    team: Text100 | None = None


class OwnerRuleIn(Strict):
    id: Identifier | None = None
    priority: Count
    industry: Text100 | None = None
    service_type: Text100 | None = None
    owner: Text100
    team: Text100 | None = None
    active: StrictBool = True

    @model_validator(mode="after")
    def _names_a_match(self) -> OwnerRuleIn:
        if self.industry is None and self.service_type is None:
            raise ValueError("a rule names an industry, a service type or both")
        return self


class OwnerRulesPut(Strict):
    rules: list[OwnerRuleIn] = Field(max_length=200)
