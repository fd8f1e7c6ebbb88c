"""Due-row passes (reliability rule 6): one reminder for unanswered invitations, then expiry.

Rows are claimed with the kit's `claim_due` (FOR UPDATE SKIP LOCKED on PostgreSQL), so replicas never
remind or expire twice. "Now" is the service's clock.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from servicekit.db import Database
from servicekit.due import claim_due
from surveys.invitations import service
from surveys.invitations.models import Invitation
from surveys.settings import surveys_settings


async def remind_and_expire(db: Database, *, now: datetime | None = None) -> int:
    now = now or db.clock()
    limit = surveys_settings().scheduler_batch_size
    handled = 0
    while True:
        async with db.session() as session:
            due = (
                select(Invitation)
                .where(Invitation.status == "sent", Invitation.answered.is_(False), Invitation.remind_at <= now)
                .order_by(Invitation.remind_at)
            )
            rows = list((await claim_due(session, due, limit=limit)).scalars().all())
            if rows:
                await service.remind(session, rows, now)
        handled += len(rows)
        if len(rows) < limit:
            break
    while True:
        async with db.session() as session:
            due = (
                select(Invitation)
                .where(Invitation.status == "sent", Invitation.expires_at <= now)
                .order_by(Invitation.expires_at)
            )
            rows = list((await claim_due(session, due, limit=limit)).scalars().all())
            if rows:
                await service.expire(session, rows, now)
        handled += len(rows)
        if len(rows) < limit:
            break
    return handled
