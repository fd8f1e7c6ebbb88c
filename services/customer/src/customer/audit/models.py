"""R-09 the append-only audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from customer.database import AutoId, Base
from servicekit.db import UTCDateTime


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
