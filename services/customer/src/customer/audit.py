"""R-09 audit trail: who read unmasked contact data and who changed what. Append-only.

Details carry ids, field names and counts, never the values themselves.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from customer.models import AuditEntry
from servicekit.auth import Principal
from servicekit.db import utcnow
from servicekit.logs import correlation_id

SYSTEM = "system"


def record(
    session: AsyncSession,
    actor: Principal | str,
    action: str,
    *,
    customer_id: str | None = None,
    contact_id: str | None = None,
    **details: Any,
) -> None:
    """Add one audit row to the caller's transaction (so a rolled-back change leaves no entry)."""
    session.add(
        AuditEntry(
            at=utcnow(),
            actor=actor if isinstance(actor, str) else actor.subject,
            action=action,
            customer_id=customer_id,
            contact_id=contact_id,
            details=details,
            correlation_id=correlation_id.get(),
        )
    )
