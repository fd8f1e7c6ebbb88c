"""Login, refresh and token bodies."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class LoginBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    login: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


class RefreshBody(BaseModel):
    """Browsers send nothing: the refresh token travels in the httpOnly cookie."""

    model_config = ConfigDict(extra="forbid")

    refresh_token: str | None = Field(default=None, min_length=1, max_length=200)


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "Bearer"
    expires_in: int
    refresh_token: str | None = None
    refresh_expires_in: int | None = None


class AuditOut(BaseModel):
    at: datetime
    action: str
    login: str | None
    address: str | None
    actor: str | None
    detail: dict[str, object]
    correlation_id: str | None
