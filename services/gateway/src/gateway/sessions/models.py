"""Sessions: refresh-token chains (stored hashed), failed-attempt counters, and the audit trail of logins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from gateway.database import Base
from servicekit.db import UTCDateTime


class RefreshToken(Base):
    """One link of a refresh chain (`family_id`): used once, then replaced; a reused link revokes the chain."""

    __tablename__ = "refresh_tokens"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    family_id: Mapped[str] = mapped_column(String(36), index=True)
    login: Mapped[str] = mapped_column(String(100), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, doc="sha256 of the token; never the token")
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    family_expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoke_reason: Mapped[str | None] = mapped_column(String(100))


class LoginThrottle(Base):
    """Failed attempts of one key: `account:<login>`, `address:<ip>` or `pair:<login>|<ip>`."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuditEntry(Base):
    """Every login, failure, lockout, refresh reuse and revocation; never a password or a token."""

    __tablename__ = "auth_audit"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    action: Mapped[str] = mapped_column(String(40))
    login: Mapped[str | None] = mapped_column(String(100), index=True)
    address: Mapped[str | None] = mapped_column(String(64))
    actor: Mapped[str | None] = mapped_column(String(100))
    detail: Mapped[dict[str, object]] = mapped_column(JSON)
    correlation_id: Mapped[str | None] = mapped_column(String(64))
