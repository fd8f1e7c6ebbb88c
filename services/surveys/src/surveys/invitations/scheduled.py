"""Due-row passes (reliability rule 6): one reminder for unanswered invitations, then expiry.

Rows are claimed with the kit's `claim_due` (FOR UPDATE SKIP LOCKED on PostgreSQL), so replicas never
remind or expire twice. "Now" is the service's clock.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit.db import Database
from servicekit.due import claim_due
from surveys.invitations import service
from surveys.invitations.models import Invitation
from surveys.settings import surveys_settings


async def remind_and_expire(db: Database, *, now: datetime | None = None) -> int:
    now = now or db.clock()
    unanswered = (Invitation.status == "sent", Invitation.answered.is_(False), Invitation.remind_at <= now)
    reminders = select(Invitation).where(*unanswered).order_by(Invitation.remind_at)
    expiring = select(Invitation).where(Invitation.status == "sent", Invitation.expires_at <= now)
    handled = await _work_due(db, reminders, service.remind, now)
    return handled + await _work_due(db, expiring.order_by(Invitation.expires_at), service.expire, now)


async def _work_due(
    db: Database,
    due: Select[tuple[Invitation]],
    work: Callable[[AsyncSession, list[Invitation], datetime], Awaitable[None]],
    now: datetime,
) -> int:
    """Claim and work batches of due rows, one transaction each, until fewer than a batch are due."""
    limit = surveys_settings().scheduler_batch_size
    handled = 0
    while True:
        async with db.session() as session:
            rows = list((await claim_due(session, due, limit=limit)).scalars().all())
            if rows:
                await work(session, rows, now)
        handled += len(rows)
        if len(rows) < limit:
            return handled
