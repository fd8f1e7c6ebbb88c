"""Surveys' own settings (`CRM_SURVEYS_…`); every number configurable (R-33, R-34, R-42)."""

from __future__ import annotations

from functools import cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class SurveysSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CRM_SURVEYS_", extra="ignore")

    public_url: str = Field(default="", description="base of the survey links; default http://<host>:<port>")
    token_secret: str = Field(
        default="crm-local-survey-secret-change-me", description="signs invitation links; rotate = old links stop"
    )
    link_valid_days: int = Field(default=14, ge=1, description="an invitation's link expires after this")
    reminder_after_days: int = Field(default=3, ge=1, description="one reminder if unanswered after this")
    contact_window_days: int = Field(default=30, ge=0, description="a contact is surveyed at most once per window")
    template: str = Field(default="survey_invitation", description="the notifier template of the invitation")
    scheduler_interval_seconds: float = Field(default=5.0, gt=0)
    scheduler_batch_size: int = Field(default=500, ge=1)
    campaign_batch_size: int = Field(default=2000, ge=1, description="invitations planned per transaction")


@cache
def surveys_settings() -> SurveysSettings:
    return SurveysSettings()
