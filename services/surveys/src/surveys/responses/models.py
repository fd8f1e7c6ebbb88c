"""Responses: one per invitation (the database enforces it), the last revision counts, every revision is kept."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from servicekit.db import UTCDateTime
from surveys.database import Base


class Response(Base):
    __tablename__ = "responses"
    __table_args__ = (
        # results per staff member and month, and per campaign or period
        Index("ix_responses_staff_responded_at", "rated_staff", "responded_at"),
        Index("ix_responses_kind_responded_at", "kind", "responded_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    invitation_id: Mapped[str] = mapped_column(ForeignKey("invitations.id"), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    customer_id: Mapped[str] = mapped_column(String(36), index=True)
    case_id: Mapped[str | None] = mapped_column(String(36))
    campaign_id: Mapped[str | None] = mapped_column(String(36), index=True)
    questionnaire_key: Mapped[str] = mapped_column(String(60))
    questionnaire_version: Mapped[int] = mapped_column(Integer)
    rated_staff: Mapped[str | None] = mapped_column(String(100))
    rated_team: Mapped[str | None] = mapped_column(String(100))
    owner: Mapped[str | None] = mapped_column(String(100))
    team: Mapped[str | None] = mapped_column(String(100))
    scores: Mapped[dict[str, Any]] = mapped_column(JSON)
    texts: Mapped[dict[str, str]] = mapped_column(JSON, doc="the customer's own words; emptied on erasure")
    satisfaction: Mapped[float | None] = mapped_column(Float)
    nps: Mapped[int | None] = mapped_column(Integer)
    wants_complaint: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    # R-35 each exactly once per response, whatever the revisions
    low_score_reported: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    complaint_reported: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    language: Mapped[str] = mapped_column(String(10))
    revision: Mapped[int] = mapped_column(Integer)
    first_responded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    responded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ResponseRevision(Base):
    """The history: each POST's answers as recorded."""

    __tablename__ = "response_revisions"

    response_id: Mapped[str] = mapped_column(ForeignKey("responses.id"), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, primary_key=True)
    scores: Mapped[dict[str, Any]] = mapped_column(JSON)
    texts: Mapped[dict[str, str]] = mapped_column(JSON)
    wants_complaint: Mapped[bool] = mapped_column(Boolean)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
