"""Last interactions and reactivation tasks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engagement.database import Base
from servicekit.db import UTCDateTime


class LastInteraction(Base):
    __tablename__ = "last_interactions"

    customer_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    last_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    kind: Mapped[str | None] = mapped_column(String(30))
    since: Mapped[datetime] = mapped_column(UTCDateTime, doc="silence is counted from here: last_at or registration")
    # when the customer turns silent; None once its reactivation task is open (due-row claim)
    silent_check_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    version: Mapped[int] = mapped_column(Integer)


class ReactivationTask(Base):
    """R-16: reach a silent customer; the owner records why contact lapsed (a reason code and a note)."""

    __tablename__ = "reactivation_tasks"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(36), index=True)
    owner: Mapped[str | None] = mapped_column(String(100))
    team: Mapped[str | None] = mapped_column(String(100))
    silent_since: Mapped[datetime] = mapped_column(UTCDateTime)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), index=True, doc="open | done | cancelled")
    reason_code: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
    done_by: Mapped[str | None] = mapped_column(String(100))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
