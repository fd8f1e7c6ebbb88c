"""Template tables (R-41): a named template and its versions, one history per language."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column

from notifier.database import Base
from servicekit.db import UTCDateTime


class MessageTemplate(Base):
    """A named template for one purpose; its wording lives in versions, one history per language."""

    __tablename__ = "message_templates"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(20))
    channels: Mapped[str] = mapped_column(String(100), doc="default channels, comma-separated")
    audience: Mapped[str] = mapped_column(String(20), doc="customer or staff")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TemplateVersion(Base):
    """Every edit is a new row; the newest active version of a language renders, older ones stay for history."""

    __tablename__ = "message_template_versions"
    __table_args__ = (UniqueConstraint("template_name", "language", "version", name="uq_template_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    template_name: Mapped[str] = mapped_column(ForeignKey("message_templates.name"))
    language: Mapped[str] = mapped_column(String(5))
    version: Mapped[int] = mapped_column(Integer)
    subject: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text)
    short_text: Mapped[str] = mapped_column(Text, doc="SMS and IM body")
    active: Mapped[bool] = mapped_column(Boolean, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(100))
