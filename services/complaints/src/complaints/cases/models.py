"""Case tables: cases, their timeline, and the local read model of customers built from customer events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from complaints.database import Base
from servicekit.db import UTCDateTime


class CustomerView(Base):
    """What complaints needs of a customer, kept from customer.* events; never a synchronous call."""

    __tablename__ = "customers_view"

    customer_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    tier: Mapped[str | None] = mapped_column(String(10))
    owner: Mapped[str | None] = mapped_column(String(100))
    team: Mapped[str | None] = mapped_column(String(100))
    time_zone: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    merged_into: Mapped[str | None] = mapped_column(String(36))
    erased: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))


class Case(Base):
    __tablename__ = "cases"
    # the oldest unanswered case is one index lookup, whatever the number of open cases
    __table_args__ = (Index("ix_cases_state_received_at", "state", "received_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20))
    customer_id: Mapped[str] = mapped_column(String(36), index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    content: Mapped[str] = mapped_column(Text)
    requested_outcome: Mapped[str | None] = mapped_column(Text)
    cause_category: Mapped[str | None] = mapped_column(String(60))
    product: Mapped[str | None] = mapped_column(String(100))
    severity: Mapped[str] = mapped_column(String(10))
    tier: Mapped[str] = mapped_column(String(10), doc="the customer's tier the SLA policy uses")
    state: Mapped[str] = mapped_column(String(30))
    close_outcome: Mapped[str | None] = mapped_column(String(20))
    department: Mapped[str] = mapped_column(String(30), index=True)
    owner: Mapped[str | None] = mapped_column(String(100), index=True)
    team: Mapped[str | None] = mapped_column(String(100))
    paused_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    service_mode: Mapped[str | None] = mapped_column(String(20))
    technician: Mapped[str | None] = mapped_column(String(100))
    approval_needed: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    approved_by: Mapped[str | None] = mapped_column(String(100))
    reopened_from: Mapped[str | None] = mapped_column(String(36), index=True)
    reopened_as: Mapped[str | None] = mapped_column(String(36))
    root_cause: Mapped[str | None] = mapped_column(Text)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # a complaint asked for in a survey; the unique origin id opens its case exactly once
    origin: Mapped[str | None] = mapped_column(String(20))
    origin_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    version: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(100))


class TimelineEntry(Base):
    """Who did what when (R-21, R-29): the case's visible history."""

    __tablename__ = "case_timeline"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[str | None] = mapped_column(String(30))
    to_state: Mapped[str | None] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(Text)
