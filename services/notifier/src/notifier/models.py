"""Notifier tables: recipients, consents and messages (delivery, H4) and templates and the staff inbox
(content, in models_content.py). One metadata for Alembic."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from servicekit.db import UTCDateTime, make_base
from servicekit.pii import EncryptedText
from servicekit.tables import kit_tables

Base = make_base()
kit = kit_tables(Base.metadata)


class Recipient(Base):
    """R-09: only what sending needs, from customer.* events; deleted on erasure."""

    __tablename__ = "recipients"

    customer_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, doc="customer aggregate_version last applied")
    contacts_version: Mapped[int] = mapped_column(Integer, default=0, doc="version of the contact list applied")
    language: Mapped[str | None] = mapped_column(String(10))
    time_zone: Mapped[str | None] = mapped_column(String(64))
    owner: Mapped[str | None] = mapped_column(String(100))
    team: Mapped[str | None] = mapped_column(String(100))


class RecipientContact(Base):
    """One contact's addresses, encrypted at rest (R-09)."""

    __tablename__ = "recipient_contacts"

    customer_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    contact_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    email: Mapped[str | None] = mapped_column(EncryptedText)
    phone: Mapped[str | None] = mapped_column(EncryptedText)
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)


class Consent(Base):
    """R-42: the latest consent per contact, channel and purpose; an unsubscribe here takes effect at once."""

    __tablename__ = "consents"

    customer_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    contact_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    channel: Mapped[str] = mapped_column(String(10), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(20), primary_key=True)
    granted: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Message(Base):
    """One message on one channel: a due row the dispatcher claims (pending/deferred/sending -> sent/failed/
    suppressed). The idempotency key + channel is unique: the same key never sends twice (R-43)."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("idempotency_key", "channel", name="uq_messages_key_channel"),
        Index("ix_messages_status_due_at", "status", "due_at"),
        Index("ix_messages_customer_id", "customer_id"),
        Index("ix_messages_staff", "staff"),
        # the frequency cap counts a recipient's messages of one purpose in a window
        Index("ix_messages_cap", "customer_id", "purpose", "requested_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(10))
    purpose: Mapped[str] = mapped_column(String(20))
    template: Mapped[str] = mapped_column(String(80))
    template_version: Mapped[int | None] = mapped_column(Integer)
    customer_id: Mapped[str | None] = mapped_column(String(36))
    contact_id: Mapped[str | None] = mapped_column(String(36))
    staff: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(EncryptedText)
    subject: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str | None] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text)
    unsubscribe_url: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str | None] = mapped_column(String(300))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    provider_message_id: Mapped[str | None] = mapped_column(String(200))
    extra: Mapped[dict | None] = mapped_column(JSON, doc="channel options, e.g. the IM webhook flavour")


# the content tables register on the same metadata
from notifier import models_content  # noqa: E402,F401
