"""Who switched crisis mode, when and why: every switch is kept."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engagement.database import Base
from servicekit.db import UTCDateTime


class CrisisSwitch(Base):
    __tablename__ = "crisis_switches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    on: Mapped[bool] = mapped_column(Boolean)
    changed_by: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
