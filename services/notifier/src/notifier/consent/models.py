"""The consent table (R-42): written by customer.consent_changed events and by the unsubscribe link."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from notifier.database import Base
from servicekit.db import UTCDateTime


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
