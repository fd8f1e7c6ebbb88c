"""Service accounts: other internal systems log in with a client id and secret, for a few roles only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gateway.database import Base
from servicekit.db import UTCDateTime


class ServiceAccount(Base):
    __tablename__ = "service_accounts"

    client_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    secret_hash: Mapped[str] = mapped_column(Text, doc="argon2id of the secret; the secret is shown once")
    roles: Mapped[list[str]] = mapped_column(JSON)
    description: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
