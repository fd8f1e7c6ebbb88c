"""HTTP models of the templates (R-41): list, history, a new version, a preview."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from contracts.events.customer import MessageChannel, Purpose
from servicekit.fields import RawText, Text


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

    subject: Annotated[RawText, StringConstraints(max_length=500)] | None = None
    text: Annotated[RawText, StringConstraints(min_length=1, max_length=20_000)]
    html: Annotated[RawText, StringConstraints(max_length=100_000)] | None = None
    short_text: Annotated[RawText, StringConstraints(max_length=1_000)] | None = Field(
        default=None, description="SMS/IM body; default: text"
    )
    purpose: Purpose | None = None
    channels: list[MessageChannel] | None = Field(default=None, min_length=1, max_length=10)
    audience: Literal["customer", "staff"] = "customer"


class PreviewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    language: Annotated[Text, StringConstraints(max_length=20)] | None = Field(
        default=None, description="the recipient's locale, e.g. zh-CN"
    )
    channel: MessageChannel = MessageChannel.email
    parameters: dict[Annotated[Text, StringConstraints(max_length=100)], Any] = Field(
        default_factory=dict, max_length=100
    )


class PreviewRead(BaseModel):
    language: str
    template_version: int
    subject: str | None
    text: str
    html: str | None
