"""The cadence policy (rules as data) and the contact obligations it produces."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engagement.database import Base
from servicekit.db import UTCDateTime


class CadencePolicyRow(Base):
    """R-11: the one current policy; `version` moves on every change (rules or crisis mode), and customers planned
    under an older version are re-planned."""

    __tablename__ = "cadence_policy"

    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    rules: Mapped[list[dict[str, object]]] = mapped_column(JSON)
    crisis_rules: Mapped[list[dict[str, object]]] = mapped_column(JSON)
    crisis_on: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Obligation(Base):
    """R-11: one period of one cadence rule for one customer: the contacts (and kinds) owed inside the window."""

    __tablename__ = "obligations"
    __table_args__ = (Index("ix_obligations_customer_status", "customer_id", "status"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(36))
    rule: Mapped[str] = mapped_column(String(50))
    period: Mapped[str] = mapped_column(String(20))
    focus: Mapped[str] = mapped_column(String(20), doc="R-12 segment focus: new, old, complaining")
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    window_end: Mapped[datetime] = mapped_column(UTCDateTime)
    contacts: Mapped[int] = mapped_column(Integer)
    kinds: Mapped[list[str]] = mapped_column(JSON)
    channels: Mapped[list[str]] = mapped_column(JSON, default=list, doc="channels of the contacts logged so far")
    status: Mapped[str] = mapped_column(String(20), doc="open | met | missed | cancelled")
    owner: Mapped[str | None] = mapped_column(String(100))
    team: Mapped[str | None] = mapped_column(String(100))
    # the window's end while open; cleared when met, missed or cancelled, so a pass reads only due rows
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    met_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(Text)
