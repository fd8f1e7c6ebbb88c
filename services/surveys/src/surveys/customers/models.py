"""The local read model of customers (segments, owner, language) and of survey consent (R-42), from customer events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from servicekit.db import UTCDateTime
from surveys.database import Base


class CustomerView(Base):
    """What surveys needs of a customer; never a synchronous call. No personal contact data (R-09)."""

    __tablename__ = "customers_view"

    customer_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    customer_type: Mapped[str | None] = mapped_column(String(20), index=True)
    stage: Mapped[str | None] = mapped_column(String(20))
    tier: Mapped[str | None] = mapped_column(String(10))
    industry: Mapped[str | None] = mapped_column(String(100))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    owner: Mapped[str | None] = mapped_column(String(100))
    team: Mapped[str | None] = mapped_column(String(100))
    language: Mapped[str | None] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)
    merged_into: Mapped[str | None] = mapped_column(String(36))
    erased: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))


class ContactConsent(Base):
    """R-42: one contact's consent for one channel and purpose, as the customer service last recorded it."""

    __tablename__ = "contact_consents"

    customer_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    contact_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    channel: Mapped[str] = mapped_column(String(10), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(20), primary_key=True)
    granted: Mapped[bool] = mapped_column(Boolean)
    version: Mapped[int] = mapped_column(Integer, doc="the customer's aggregate version of this change")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
