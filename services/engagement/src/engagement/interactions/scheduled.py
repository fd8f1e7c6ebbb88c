"""The silence pass (R-16): claims only customers whose silence date has come (due rows, SKIP LOCKED); each gets
one reactivation task."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from engagement.interactions import metrics, service
from engagement.interactions.models import LastInteraction, ReactivationTask
from engagement.passes import in_batches
from engagement.segments.models import KnownCustomer
from engagement.settings import engagement_settings
from servicekit.db import Database
from servicekit.due import claim_due


async def find_silent(db: Database, *, now: datetime | None = None, batch_size: int | None = None) -> int:
    at = now or db.clock()
    size = batch_size or engagement_settings().pass_batch_size

    async def batch(session: AsyncSession) -> tuple[int, int]:
        due = (
            select(LastInteraction)
            .where(LastInteraction.silent_check_at <= at)
            .order_by(LastInteraction.silent_check_at, LastInteraction.customer_id)
        )
        rows = (await claim_due(session, due, limit=size)).scalars().all()
        ids = [r.customer_id for r in rows]
        customers = {c.id: c for c in await session.scalars(select(KnownCustomer).where(KnownCustomer.id.in_(ids)))}
        return len(rows), await service.open_tasks(session, rows, customers, at)

    return await in_batches("silence", db, size, batch)


async def refresh_gauges(db: Database) -> None:
    async with db.session() as session:
        silent = await session.scalar(select(func.count()).where(ReactivationTask.status == "open"))
    metrics.SILENT_CUSTOMERS.set(silent or 0)
