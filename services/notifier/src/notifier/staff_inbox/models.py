"""The staff inbox table (R-40): one row per in-app message to one staff member."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from notifier.database import Base
from servicekit.db import UTCDateTime


class InboxItem(Base):
    """An in-app message to one staff member (R-40); the same notification is stored once."""

    __tablename__ = "staff_inbox_items"
    # a staff member's page (newest first, optionally unread only) is one index range
    __table_args__ = (Index("ix_staff_inbox_items_staff_id", "staff", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    staff: Mapped[str] = mapped_column(String(100))
    notification_id: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
