"""Staff directory API bodies."""

from __future__ import annotations

from zoneinfo import available_timezones

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from servicekit.auth import Role

LOGIN_PATTERN = r"^[a-z0-9][a-z0-9._-]{1,99}$"


class StaffFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    display_name: str = Field(min_length=1, max_length=200)
    email: EmailStr | None = None
    phone: str | None = Field(default=None, pattern=r"^\+?[0-9 -]{5,20}$")
    roles: list[Role] = Field(min_length=1)
    team: str | None = Field(default=None, max_length=100)
    supervisor: str | None = Field(default=None, pattern=LOGIN_PATTERN)
    language: str = Field(default="zh-CN", max_length=20)
    time_zone: str = "Asia/Shanghai"

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if value not in available_timezones():
            raise ValueError("unknown time zone")
        return value


class StaffCreate(StaffFields):
    login: str = Field(pattern=LOGIN_PATTERN)
    password: str | None = Field(default=None, min_length=12, max_length=200, description="none: one is generated")


class StaffUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    display_name: str | None = Field(default=None, min_length=1, max_length=200)
    email: EmailStr | None = None
    phone: str | None = Field(default=None, pattern=r"^\+?[0-9 -]{5,20}$")
    roles: list[Role] | None = Field(default=None, min_length=1)
    team: str | None = Field(default=None, max_length=100)
    supervisor: str | None = Field(default=None, pattern=LOGIN_PATTERN)
    language: str | None = Field(default=None, max_length=20)
    time_zone: str | None = None

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None and value not in available_timezones():
            raise ValueError("unknown time zone")
        return value


class StaffOut(BaseModel):
    id: str
    login: str
    display_name: str
    email: str | None
    phone: str | None
    roles: list[str]
    team: str | None
    supervisor: str | None
    language: str
    time_zone: str
    active: bool
    version: int


class PasswordSet(BaseModel):
    """The new password, or none to have one generated (shown once)."""

    model_config = ConfigDict(extra="forbid")

    password: str | None = Field(default=None, min_length=12, max_length=200)


class StaffCreated(BaseModel):
    staff: StaffOut
    password: str | None = Field(description="the generated password, shown this once; none when one was given")
