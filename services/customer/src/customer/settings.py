"""Customer service settings (`CRM_CUSTOMER_…`). Defaults from docs/business-rules.md; every number configurable.

Structured settings are JSON in the environment, e.g.
CRM_CUSTOMER_DEFAULT_TIER_RULES='[{"name": "big", "priority": 10, "conditions": {"revenue_12m_gte": 1e6},
"sets": {"tier": "high"}}]'.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from customer.classification.rules import DEFAULT_TIER_RULES, check_rule


class CustomerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CRM_CUSTOMER_", extra="ignore")

    phone_region: str = Field(default="CN", description="region assumed for numbers without a country code (R-01)")
    # seeded into tier_rules when the table is empty
    default_tier_rules: list[dict[str, Any]] = Field(default_factory=lambda: [dict(r) for r in DEFAULT_TIER_RULES])
    # may the owner confirm their own key-information change
    owner_may_reconfirm: bool = False
    # a change entered later than this after it became known counts as late
    late_change_seconds: float = Field(default=86400.0, gt=0)
    # R-03 scheduled re-classification
    reclassify_interval_seconds: float = Field(default=3600.0, gt=0)
    reclassify_batch_size: int = Field(default=500, ge=1)

    @field_validator("default_tier_rules")
    @classmethod
    def _valid_rules(cls, rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
        # a bad rule in the environment stops the start, not the first classification
        for rule in rules:
            if not {"name", "priority", "sets"} <= rule.keys():
                raise ValueError("each tier rule has name, priority and sets")
            check_rule(rule.get("conditions", {}), rule["sets"])
        return rules


@cache
def customer_settings() -> CustomerSettings:
    return CustomerSettings()
