"""The staff directory: who may log in, with which roles, team and supervisor; contact data encrypted (R-09)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gateway.database import Base
from servicekit.db import UTCDateTime
from servicekit.pii import EncryptedText


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    login: Mapped[str] = mapped_column(String(100), unique=True, doc="lower case; the token's `sub`")
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(EncryptedText)
    phone: Mapped[str | None] = mapped_column(EncryptedText)
    roles: Mapped[list[str]] = mapped_column(JSON)
    team: Mapped[str | None] = mapped_column(String(100))
    supervisor: Mapped[str | None] = mapped_column(String(100), doc="the supervisor's login")
    language: Mapped[str] = mapped_column(String(20))
    time_zone: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean)
    password_hash: Mapped[str | None] = mapped_column(Text, doc="argon2id; none until a password is set")
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
