"""The company calendar this service owns, and the recomputations a change of it starts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from complaints.database import Base
from servicekit.calendar.store import calendar_table
from servicekit.db import UTCDateTime

calendar_book = calendar_table(Base.metadata)


class CalendarRecompute(Base):
    """Open SLA deadlines to recompute after a calendar change: a due row worked in batches, resumable."""

    __tablename__ = "calendar_recomputes"
    __table_args__ = (
        Index(
            "ix_calendar_recomputes_due",
            "next_run_at",
            postgresql_where=text("next_run_at IS NOT NULL"),
            sqlite_where=text("next_run_at IS NOT NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)  # the calendar version that asked for it
    reason: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(100))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(10))  # pending | running | done | superseded (a newer change recomputes)
    after_case_id: Mapped[str | None] = mapped_column(String(36))  # cursor: cases are worked in id order
    total: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    done: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    moved: Mapped[int] = mapped_column(Integer, server_default=text("0"))  # cases whose deadlines moved
    next_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
