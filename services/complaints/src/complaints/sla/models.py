"""SLA tables: a case's clock history and one due row per target."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, false, text
from sqlalchemy.orm import Mapped, mapped_column

from complaints.database import Base
from servicekit.db import UTCDateTime


class ClockEntry(Base):
    """The SLA clock's input: received, paused, resumed, policy changed, target met."""

    __tablename__ = "case_clock_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(20))
    target: Mapped[str | None] = mapped_column(String(30))
    severity: Mapped[str | None] = mapped_column(String(10))
    tier: Mapped[str | None] = mapped_column(String(10))


class SlaTargetRow(Base):
    """One SLA target of one case: its deadline and state, and when the evaluator must look again."""

    __tablename__ = "sla_targets"
    __table_args__ = (
        # the evaluator's claim: only due rows, so a pass costs what is due, not what is open
        Index(
            "ix_sla_targets_due",
            "next_check_at",
            postgresql_where=text("next_check_at IS NOT NULL"),
            sqlite_where=text("next_check_at IS NOT NULL"),
        ),
        # open-target gauges count only targets still running
        Index(
            "ix_sla_targets_open",
            "target",
            "state",
            postgresql_where=text("met_at IS NULL"),
            sqlite_where=text("met_at IS NULL"),
        ),
    )

    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    target: Mapped[str] = mapped_column(String(30), primary_key=True)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(12))
    met_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    breached_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_check_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # the deadline depends on a year the business calendar does not cover: recomputed when the year is entered
    provisional: Mapped[bool] = mapped_column(Boolean, server_default=false(), default=False)
    # metric labels, copied so counting never joins
    kind: Mapped[str] = mapped_column(String(20))
    severity: Mapped[str] = mapped_column(String(10))
    tier: Mapped[str] = mapped_column(String(10))
    channel: Mapped[str] = mapped_column(String(20))
