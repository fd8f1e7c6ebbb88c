"""Customers as engagement knows them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from engagement.database import Base
from servicekit.db import UTCDateTime


class KnownCustomer(Base):
    """A customer's segment facts (R-02, R-03, R-04, R-07, open complaints) and owner, from events."""

    __tablename__ = "known_customers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(30))
    customer_type: Mapped[str] = mapped_column(String(20))
    stage: Mapped[str] = mapped_column(String(20))
    tier: Mapped[str] = mapped_column(String(10))
    service_level: Mapped[str] = mapped_column(String(10))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    risk_state: Mapped[str] = mapped_column(String(30), default="normal")
    open_complaints: Mapped[list[str]] = mapped_column(JSON, default=list, doc="ids of open complaint cases")
    owner: Mapped[str | None] = mapped_column(String(100))
    team: Mapped[str | None] = mapped_column(String(100))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, doc="aggregate_version of the last customer event applied")
    # the cadence policy version this customer's obligations were planned under; behind the policy = re-plan due
    planned_version: Mapped[int] = mapped_column(Integer, default=0, index=True)
    merged_into: Mapped[str | None] = mapped_column(String(36))
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
