"""The recipient read model's tables (R-09): only what sending needs, addresses encrypted at rest."""

from __future__ import annotations

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from notifier.database import Base
from servicekit.pii import EncryptedText


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


class StaffRecipient(Base):
    """A staff member's contact points, from the gateway's staff.*.v1 events (encrypted at rest, R-09)."""

    __tablename__ = "staff_recipients"

    login: Mapped[str] = mapped_column(String(100), primary_key=True)
    staff_id: Mapped[str] = mapped_column(String(36), unique=True)
    version: Mapped[int] = mapped_column(Integer, doc="staff aggregate_version last applied")
    email: Mapped[str | None] = mapped_column(EncryptedText)
    phone: Mapped[str | None] = mapped_column(EncryptedText)
    team: Mapped[str | None] = mapped_column(String(100))
    supervisor: Mapped[str | None] = mapped_column(String(100))
    language: Mapped[str | None] = mapped_column(String(20))
    time_zone: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
