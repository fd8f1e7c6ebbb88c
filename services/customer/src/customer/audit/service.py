"""R-09 audit trail: who read unmasked contact data and who changed what. Append-only.

Every concept records here in the caller's transaction. Details carry ids, field names and counts, never the
values themselves.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from customer.audit.models import AuditEntry
from servicekit import clock
from servicekit.auth import Principal
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
            at=clock.now(session),
            actor=actor if isinstance(actor, str) else actor.subject,
            action=action,
            customer_id=customer_id,
            contact_id=contact_id,
            details=details,
            correlation_id=correlation_id.get(),
        )
    )


async def get_all(
    session: AsyncSession,
    *,
    customer_id: str | None,
    actor: str | None,
    action: str | None,
    since: datetime | None,
    until: datetime | None,
    cursor: int | None,
    limit: int,
) -> tuple[list[AuditEntry], str | None]:
    """One page, newest first (`since` inclusive, `until` exclusive), and the cursor of the next page."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit + 1)
    for column, value in (
        (AuditEntry.customer_id, customer_id),
        (AuditEntry.actor, actor),
        (AuditEntry.action, action),
    ):
        if value is not None:
            query = query.where(column == value)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if until is not None:
        query = query.where(AuditEntry.at < until)
    if cursor is not None:
        query = query.where(AuditEntry.id < cursor)
    rows = list(await session.scalars(query))
    page = rows[:limit]
    return page, str(page[-1].id) if len(rows) > limit else None


def present(entry: AuditEntry) -> dict[str, Any]:
    fields = ("id", "at", "actor", "action", "customer_id", "contact_id", "details", "correlation_id")
    return {field: getattr(entry, field) for field in fields}
