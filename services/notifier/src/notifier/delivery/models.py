"""The message table (R-40): one due row per message and channel, claimed and sent by the dispatcher."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from notifier.database import Base
from servicekit.db import UTCDateTime
from servicekit.pii import EncryptedText


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


class WaitingRequest(Base):
    """A request for a customer the notifier does not know yet (a case may come before its customer): it waits
    here instead of the dead-letter queue, resumes when the customer's contacts arrive and, if they never do,
    ends as suppressed messages with the reason `customer_not_known`."""

    __tablename__ = "waiting_requests"

    idempotency_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(36), index=True)
    request: Mapped[str] = mapped_column(EncryptedText, doc="the request as JSON; parameters may name people (R-09)")
    parked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
