"""HTTP models of the templates (R-41): list, history, a new version, a preview."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from contracts.events.customer import MessageChannel, Purpose


class TemplateSummary(BaseModel):
    name: str
    purpose: str
    audience: str
    channels: list[str]
    versions: dict[str, int] = Field(description="language -> newest version")


class VersionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    language: str
    version: int
    subject: str | None
    text: str
    html: str | None
    short_text: str
    active: bool
    created_at: datetime
    created_by: str


class TemplateDetail(BaseModel):
    name: str
    purpose: str
    audience: str
    channels: list[str]
    versions: list[VersionRead]


class TemplateEdit(BaseModel):
    """A new version of one language; `purpose` is needed when the template is new."""

    model_config = ConfigDict(extra="forbid")

    subject: str | None = Field(default=None, max_length=500)
    text: str = Field(min_length=1, max_length=20_000)
    html: str | None = Field(default=None, max_length=100_000)
    short_text: str | None = Field(default=None, max_length=1_000, description="SMS/IM body; default: text")
    purpose: Purpose | None = None
    channels: list[MessageChannel] | None = Field(default=None, min_length=1)
    audience: Literal["customer", "staff"] = "customer"


class PreviewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    language: str | None = Field(default=None, max_length=20, description="the recipient's locale, e.g. zh-CN")
    channel: MessageChannel = MessageChannel.email
    parameters: dict[str, Any] = Field(default_factory=dict)


class PreviewRead(BaseModel):
    language: str
    template_version: int
    subject: str | None
    text: str
    html: str | None
