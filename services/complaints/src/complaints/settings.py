"""Complaints' own settings (`CRM_COMPLAINTS_…`). Defaults from docs/business-rules.md; every number configurable.

Structured settings (SLA policy matrix, routing rules, approval limits, extra holidays) are JSON in the
environment, e.g. CRM_COMPLAINTS_APPROVAL_LIMITS='{"agent": 800, "manager": 30000}'.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from complaints.compensations.rules import DEFAULT_APPROVAL_LIMITS
from complaints.routing.rules import DEFAULT_ROUTING


class ComplaintsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CRM_COMPLAINTS_", extra="ignore")

    sla_policy: dict[str, Any] | None = Field(
        default=None, description="SLA policy matrix; None = the R-23..R-26 defaults"
    )
    routing: list[dict[str, Any]] = Field(default_factory=lambda: list(DEFAULT_ROUTING))
    approval_limits: dict[str, Decimal] = Field(default_factory=lambda: dict(DEFAULT_APPROVAL_LIMITS))
    currency: str = "CNY"
    calendar_time_zone: str = "Asia/Shanghai"
    extra_holidays: list[date] = Field(default_factory=list)
    extra_working_days: list[date] = Field(default_factory=list)
    evaluator_interval_seconds: float = Field(default=5.0, gt=0)
    evaluator_batch_size: int = Field(default=500, ge=1)
    gauges_interval_seconds: float = Field(default=15.0, gt=0)
    # open cases recomputed per transaction after a business-calendar change
    calendar_recompute_batch_size: int = Field(default=500, ge=1, le=10_000)
    calendar_recompute_interval_seconds: float = Field(default=2.0, gt=0)
    calendar_refresh_seconds: float = Field(default=10.0, gt=0)


@cache
def complaints_settings() -> ComplaintsSettings:
    return ComplaintsSettings()
