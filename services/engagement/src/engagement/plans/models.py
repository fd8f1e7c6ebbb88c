"""Maintenance plans and their postponements."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engagement.database import Base
from servicekit.db import UTCDateTime


class MaintenancePlan(Base):
    """R-10: customer, cycle, goal, content (R-12), channel (R-13), owner, execution date, status."""

    __tablename__ = "maintenance_plans"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    customer_id: Mapped[str] = mapped_column(String(36), index=True)
    cycle: Mapped[str] = mapped_column(String(20))
    goal: Mapped[str] = mapped_column(Text)
    content: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(20))
    owner: Mapped[str | None] = mapped_column(String(100))
    team: Mapped[str | None] = mapped_column(String(100))
    planned_on: Mapped[date] = mapped_column(Date, doc="the execution date first planned")
    execute_on: Mapped[date] = mapped_column(Date, doc="the current execution date (after postponements)")
    status: Mapped[str] = mapped_column(String(20), doc="planned | done | not_done | postponed | cancelled")
    note: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20), doc="manual | cadence")
    obligation_id: Mapped[str | None] = mapped_column(String(36), index=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    postponements: Mapped[list[PlanPostponement]] = relationship(
        order_by="PlanPostponement.postponed_at", lazy="selectin", cascade="all, delete-orphan"
    )


class PlanPostponement(Base):
    """R-10: a postponement states its reason and the new date ("customer travelling, moved to 12 May")."""

    __tablename__ = "plan_postponements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("maintenance_plans.id"), index=True)
    from_date: Mapped[date] = mapped_column(Date)
    to_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    postponed_by: Mapped[str] = mapped_column(String(100))
    postponed_at: Mapped[datetime] = mapped_column(UTCDateTime)
