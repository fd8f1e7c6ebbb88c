"""Customer tables (R-01 .. R-09, R-42).

Personal contact data (phones, emails, birthdays) is stored only as ciphertext
(`EncryptedText`); exact lookup goes through `value_index`, a keyed hash of the
normalised value (servicekit.pii). Nothing else here is personal data except
contact names, which erasure overwrites.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Float, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from servicekit.db import UTCDateTime, make_base
from servicekit.pii import EncryptedText
from servicekit.tables import kit_tables

Base = make_base()
kit = kit_tables(Base.metadata)

# SQLite has no BIGINT autoincrement; INTEGER PRIMARY KEY is its rowid
AutoId = BigInteger().with_variant(Integer(), "sqlite")


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


class Contact(Base):
    """R-01 a person at the customer. Position is key information (R-05)."""

    __tablename__ = "contacts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[str | None] = mapped_column(String(100))
    birthday: Mapped[str | None] = mapped_column(EncryptedText, doc="ISO date, encrypted (R-09)")
    primary: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    customer: Mapped[Customer] = relationship(back_populates="contacts")
    points: Mapped[list[ContactPoint]] = relationship(
        back_populates="contact", lazy="selectin", order_by="ContactPoint.position", cascade="all, delete-orphan"
    )


class ContactPoint(Base):
    """One phone number or email address of a contact: ciphertext plus a keyed hash for exact lookup."""

    __tablename__ = "contact_points"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), index=True)
    customer_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(10), doc="phone | email")
    value: Mapped[str] = mapped_column(EncryptedText, doc="E.164 phone or lower-cased email, encrypted")
    value_index: Mapped[str] = mapped_column(String(64), index=True, doc="HMAC of the normalised value")
    label: Mapped[str | None] = mapped_column(String(30), doc="mobile, office, work ...")
    position: Mapped[int] = mapped_column(Integer, default=0)

    contact: Mapped[Contact] = relationship(back_populates="points")


class ClassificationChange(Base):
    """R-02: every change of type, stage, tier or service level, with its reason."""

    __tablename__ = "classification_history"

    id: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(String(36), index=True)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, doc='{"tier": ["low", "high"], ...}')
    reason: Mapped[str] = mapped_column(Text)
    rule_id: Mapped[str | None] = mapped_column(String(36))
    changed_by: Mapped[str] = mapped_column(String(100), doc="a staff subject or 'system'")
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TierRule(Base):
    """R-03: classification rules as data. The first active rule (by priority) whose conditions all hold wins."""

    __tablename__ = "tier_rules"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    priority: Mapped[int] = mapped_column(Integer)
    # {"revenue_12m_gte": 1000000, "orders_12m_gte": 12, "complaints_12m_lte": 2, "survey_score_gte": 4.0}
    conditions: Mapped[dict[str, Any]] = mapped_column(JSON)
    # {"tier": "high", "service_level": "vip"}
    sets: Mapped[dict[str, str]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OwnerRule(Base):
    """R-08: industry or service type -> owner (and team). Lowest priority number wins."""

    __tablename__ = "owner_rules"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    priority: Mapped[int] = mapped_column(Integer)
    industry: Mapped[str | None] = mapped_column(String(100))
    service_type: Mapped[str | None] = mapped_column(String(100))
    owner: Mapped[str] = mapped_column(String(100))
    team: Mapped[str | None] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PendingChange(Base):
    """R-05: a change of key information (contact position, core needs) waiting for a second confirmation."""

    __tablename__ = "pending_changes"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(36), index=True)
    contact_id: Mapped[str | None] = mapped_column(String(36))
    field: Mapped[str] = mapped_column(String(50), doc="position | key_needs")
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True, doc="pending | confirmed | rejected")
    requested_by: Mapped[str] = mapped_column(String(100))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    learned_at: Mapped[datetime] = mapped_column(UTCDateTime, doc="R-06: when the change became known")
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str | None] = mapped_column(Text)


class Consent(Base):
    """R-42: consent per contact, channel and purpose; append-only history, the newest row is in force."""

    __tablename__ = "consents"
    __table_args__ = (Index("ix_consents_contact_channel_purpose", "contact_id", "channel", "purpose", "recorded_at"),)

    id: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(String(36), index=True)
    contact_id: Mapped[str] = mapped_column(String(36))
    channel: Mapped[str] = mapped_column(String(10))
    purpose: Mapped[str] = mapped_column(String(20))
    granted: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(100))
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AuditEntry(Base):
    """R-09: every read of unmasked contact data and every change. Append-only (a trigger refuses
    UPDATE and DELETE on PostgreSQL). Details hold ids and field names, never values."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(100), index=True)
    action: Mapped[str] = mapped_column(String(50), doc="read_contact_data, create, update, merge, erase, export ...")
    customer_id: Mapped[str | None] = mapped_column(String(36), index=True)
    contact_id: Mapped[str | None] = mapped_column(String(36))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    correlation_id: Mapped[str | None] = mapped_column(String(64))


class ImportJob(Base):
    """A CSV/XLSX import: progress, outcome and the per-row error report (row, field, message)."""

    __tablename__ = "import_jobs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), doc="queued | running | done | failed")
    file_name: Mapped[str] = mapped_column(String(300))
    file_format: Mapped[str] = mapped_column(String(10))
    file_sha256: Mapped[str] = mapped_column(String(64))
    dry_run: Mapped[bool] = mapped_column(Boolean)
    import_valid_rows: Mapped[bool] = mapped_column(Boolean, doc="import the good rows when some are bad")
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    processed_rows: Mapped[int] = mapped_column(Integer, default=0)
    created_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_count: Mapped[int] = mapped_column(Integer, default=0)
    unchanged_count: Mapped[int] = mapped_column(Integer, default=0)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    duplicates: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_by: Mapped[str] = mapped_column(String(100))
    team: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Segment(Base):
    """A saved search other services use for campaigns (`GET /segments/{id}/members`)."""

    __tablename__ = "segments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    filters: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(100))
    team: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


