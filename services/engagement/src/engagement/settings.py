"""Engagement's own settings (`CRM_ENGAGEMENT_…`); defaults from docs/business-rules.md."""

from __future__ import annotations

from functools import cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class EngagementSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CRM_ENGAGEMENT_", extra="ignore")

    onboarding_call_days: int = Field(default=7, ge=1, description="R-11: first call within a week")


@cache
def engagement_settings() -> EngagementSettings:
    return EngagementSettings()
