"""People at a customer and their phones and emails (R-01).

Phones, emails and birthdays are stored only as ciphertext (`EncryptedText`); exact lookup goes through
`value_index`, a keyed hash of the normalised value (servicekit.pii). Contact names are the only other
personal data, and erasure overwrites them.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from customer.database import Base
from servicekit.db import UTCDateTime
from servicekit.pii import EncryptedText

if TYPE_CHECKING:
    from customer.records.models import Customer


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
