"""The customer record (R-01 .. R-08): profile, classification, figures, tags, risk and owner."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Float, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from customer.contacts.models import Contact
from customer.database import Base
from servicekit.db import UTCDateTime


class Customer(Base):
    """R-01 company profile, R-02 classification, R-03 figures, R-04 tags, R-07 risk, R-08 owner."""

    __tablename__ = "customers"
    __table_args__ = (
        Index(
            "ix_customers_search_name_trgm",
            "search_name",
            postgresql_using="gin",
            postgresql_ops={"search_name": "gin_trgm_ops"},
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    # lower-cased, width-folded name for partial/fuzzy search (pg_trgm GIN index on PostgreSQL)
    search_name: Mapped[str] = mapped_column(String(200), default="")
    industry: Mapped[str | None] = mapped_column(String(100), index=True)
    size: Mapped[str | None] = mapped_column(String(50))
    address: Mapped[str | None] = mapped_column(String(500))
    source: Mapped[str | None] = mapped_column(String(100))
    key_needs: Mapped[str | None] = mapped_column(Text)
    pain_points: Mapped[str | None] = mapped_column(Text)
    service_preferences: Mapped[str | None] = mapped_column(Text)
    # R-01 history of cooperation: [{"project", "products", "period", "payment_behaviour"}, ...]
    cooperation_history: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    service_type: Mapped[str | None] = mapped_column(String(100), doc="R-08: owner rules match industry or this")
    time_zone: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(16))
    customer_type: Mapped[str] = mapped_column(String(20), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    tier: Mapped[str] = mapped_column(String(10), index=True)
    service_level: Mapped[str] = mapped_column(String(10))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    risk_state: Mapped[str] = mapped_column(String(30), default="normal")
    # R-03 figures the tier rules read; kept current by the figures API/event and complaints
    revenue_12m: Mapped[Decimal] = mapped_column(Numeric(16, 2), default=Decimal(0))
    orders_12m: Mapped[int] = mapped_column(Integer, default=0)
    complaints_12m: Mapped[int] = mapped_column(Integer, default=0)
    survey_score: Mapped[float | None] = mapped_column(Float)
    figures_as_of: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # rule 5: aggregate_version of the last order-figures event applied; older ones are ignored
    figures_version: Mapped[int] = mapped_column(Integer, default=0)
    owner: Mapped[str | None] = mapped_column(String(100), index=True)
    team: Mapped[str | None] = mapped_column(String(100))
    # an owner chosen by hand is kept when industry or service type change later
    owner_set_by_hand: Mapped[bool] = mapped_column(Boolean, default=False)
    last_contact_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # idempotent import: the same source row maps to the same customer
    import_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    merged_into: Mapped[str | None] = mapped_column(String(36))
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(100))

    contacts: Mapped[list[Contact]] = relationship(
        back_populates="customer", lazy="selectin", order_by="Contact.created_at"
    )
