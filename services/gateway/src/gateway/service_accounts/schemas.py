"""Service account bodies; the token request follows OAuth 2.0 client credentials (RFC 6749 §4.4)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from servicekit.auth import Role


class ServiceAccountCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    client_id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,99}$")
    roles: list[Role] = Field(min_length=1, max_length=3, description="as few as the system needs; never admin")
    description: str | None = Field(default=None, max_length=200)


class ServiceAccountOut(BaseModel):
    client_id: str
    roles: list[str]
    description: str | None
    active: bool


class ServiceAccountCreated(BaseModel):
    account: ServiceAccountOut
    client_secret: str = Field(description="shown this once")


class ClientCredentials(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grant_type: Literal["client_credentials"]
    client_id: str = Field(min_length=1, max_length=100)
    client_secret: str = Field(min_length=1, max_length=200)
