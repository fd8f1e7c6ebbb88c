"""Communication records."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, Float, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engagement.database import Base
from servicekit.db import UTCDateTime


class Communication(Base):
    """R-14: date, channel, subject, summary, customer feedback, need changes, owner, next follow-up."""

    __tablename__ = "communications"
    __table_args__ = (Index("ix_communications_customer_happened", "customer_id", "happened_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    customer_id: Mapped[str] = mapped_column(String(36))
    happened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    channel: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    feedback: Mapped[str | None] = mapped_column(Text)
    need_changes: Mapped[list[dict[str, str | None]]] = mapped_column(JSON, default=list)
    owner: Mapped[str | None] = mapped_column(String(100))
    team: Mapped[str | None] = mapped_column(String(100))
    next_follow_up_on: Mapped[date | None] = mapped_column(Date)
    entered_by: Mapped[str] = mapped_column(String(100))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    entry_lag_seconds: Mapped[float] = mapped_column(Float)
    late: Mapped[bool] = mapped_column(Boolean, doc="R-14: entered more than 24 h after the contact")
