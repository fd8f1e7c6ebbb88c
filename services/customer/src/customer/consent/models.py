"""R-42 consent history per contact, channel and purpose."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from customer.database import AutoId, Base
from servicekit.db import UTCDateTime


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
