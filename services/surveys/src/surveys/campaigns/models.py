"""Campaigns (R-34): a questionnaire version sent to the customers of a segment, planned in batches."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from servicekit.db import UTCDateTime
from surveys.database import Base


class Campaign(Base):
    __tablename__ = "campaigns"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    questionnaire_key: Mapped[str] = mapped_column(String(60))
    questionnaire_version: Mapped[int] = mapped_column(Integer)
    segment: Mapped[dict[str, Any]] = mapped_column(JSON)
    channels: Mapped[list[str] | None] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(10), index=True, doc="planning, then done")
    # planning resumes after the last customer id handled, so a restart never invites twice
    cursor: Mapped[str] = mapped_column(String(36))
    customers: Mapped[int] = mapped_column(Integer)
    invited: Mapped[int] = mapped_column(Integer)
    skipped: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
