"""Survey invitations: one row per invitation made or skipped; the link's token is kept only as a hash."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from servicekit.db import UTCDateTime
from surveys.database import Base


class Invitation(Base):
    __tablename__ = "invitations"
    __table_args__ = (
        # the window rule looks up a contact's latest invitation
        Index("ix_invitations_contact", "customer_id", "contact_key", "created_at"),
        # due passes: reminders and expiry
        Index("ix_invitations_status_remind_at", "status", "remind_at"),
        Index("ix_invitations_status_expires_at", "status", "expires_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    # one invitation per case, and per campaign and contact: the database refuses a second one
    dedupe_key: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), doc="sent, skipped or expired")
    skip_reason: Mapped[str | None] = mapped_column(String(30))
    customer_id: Mapped[str] = mapped_column(String(36), index=True)
    contact_id: Mapped[str | None] = mapped_column(String(36))
    contact_key: Mapped[str] = mapped_column(String(36), doc="contact_id, or '' for the customer's primary contact")
    case_id: Mapped[str | None] = mapped_column(String(36), index=True)
    case_number: Mapped[str | None] = mapped_column(String(30))
    campaign_id: Mapped[str | None] = mapped_column(String(36), index=True)
    questionnaire_key: Mapped[str] = mapped_column(String(60))
    questionnaire_version: Mapped[int] = mapped_column(Integer)
    rated_staff: Mapped[str | None] = mapped_column(String(100), index=True)
    rated_team: Mapped[str | None] = mapped_column(String(100))
    owner: Mapped[str | None] = mapped_column(String(100), doc="the account owner when invited (R-09 visibility)")
    team: Mapped[str | None] = mapped_column(String(100))
    channels: Mapped[str | None] = mapped_column(String(60), doc="comma-separated; None = the template's")
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    version: Mapped[int] = mapped_column(Integer)
