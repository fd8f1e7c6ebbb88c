"""Cadence overrides; ended ones are kept, so the history shows who lowered what and why."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engagement.database import Base
from servicekit.db import UTCDateTime


class CadenceOverride(Base):
    __tablename__ = "cadence_overrides"
    __table_args__ = (Index("ix_cadence_overrides_customer_ended", "customer_id", "ended_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(36))
    period: Mapped[str] = mapped_column(String(20), doc="at most one contact obligation per this period")
    contacts: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    until: Mapped[date | None] = mapped_column(Date)
    set_by: Mapped[str] = mapped_column(String(100))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_by: Mapped[str | None] = mapped_column(String(100))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
