"""Complaints tables: cases, their timeline and clock history, SLA due rows, compensation, corrective actions,
and the local read model of customers built from customer events."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from servicekit.db import UTCDateTime, make_base
from servicekit.tables import kit_tables

Base = make_base()
kit = kit_tables(Base.metadata)


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
        Index("ix_sla_targets_due", "next_check_at", postgresql_where=text("next_check_at IS NOT NULL"),
              sqlite_where=text("next_check_at IS NOT NULL")),
        # open-target gauges count only targets still running
        Index("ix_sla_targets_open", "target", "state", postgresql_where=text("met_at IS NULL"),
              sqlite_where=text("met_at IS NULL")),
    )

    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    target: Mapped[str] = mapped_column(String(30), primary_key=True)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(12))
    met_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    breached_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_check_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # metric labels, copied so counting never joins
    kind: Mapped[str] = mapped_column(String(20))
    severity: Mapped[str] = mapped_column(String(10))
    tier: Mapped[str] = mapped_column(String(10))
    channel: Mapped[str] = mapped_column(String(20))


class Compensation(Base):
    """R-28: discount, refund, return, rework."""

    __tablename__ = "compensations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    currency: Mapped[str] = mapped_column(String(3))
    reason: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(12))
    proposed_by: Mapped[str] = mapped_column(String(100))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CorrectiveAction(Base):
    """R-31: root cause and correction, tracked to done."""

    __tablename__ = "corrective_actions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(100))
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
