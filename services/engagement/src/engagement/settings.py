"""Engagement's own settings (`CRM_ENGAGEMENT_…`); defaults from docs/business-rules.md."""

from __future__ import annotations

from functools import cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class EngagementSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CRM_ENGAGEMENT_", extra="ignore")

    onboarding_call_days: int = Field(default=7, ge=1, description="R-11: first call within a week")
    zone: str = Field(default="Asia/Shanghai", description="R-11: cadence periods are local weeks, months, quarters")
    entry_deadline_hours: float = Field(default=24, gt=0, description="R-14: records are entered within 24 h")
    silent_days: int = Field(default=90, ge=1, description="R-16: no interaction for three months = silent")
    escalate_after_working_hours: float = Field(
        default=8, ge=0, description="R-15: an overdue to-do escalates this much working time after its due time"
    )
    recovery_working_hours: float = Field(
        default=8, gt=0, description="R-35: a low survey score's recovery to-do is due within this working time"
    )
    calendar: str = Field(default="office", description="R-15: the business calendar of to-do due times")
    pass_batch_size: int = Field(default=500, ge=1, description="due rows claimed per transaction by each pass")
    pass_interval_seconds: float = Field(default=5.0, gt=0)


@cache
def engagement_settings() -> EngagementSettings:
    return EngagementSettings()
