"""The silence pass (R-16): claims only customers whose silence date has come (due rows, SKIP LOCKED); each gets
one reactivation task."""

from __future__ import annotations

import time
from datetime import datetime

from sqlalchemy import func, select

from engagement.cadences.metrics import PASS_HEARTBEAT, PASS_SECONDS
from engagement.interactions import metrics, service
from engagement.interactions.models import LastInteraction, ReactivationTask
from engagement.segments.models import KnownCustomer
from engagement.settings import engagement_settings
from servicekit.db import Database
from servicekit.due import claim_due


async def find_silent(db: Database, *, now: datetime | None = None, batch_size: int | None = None) -> int:
    started = time.perf_counter()
    now = now or db.clock()
    batch_size = batch_size or engagement_settings().pass_batch_size
    opened = 0
    while True:
        async with db.session() as session:
            due = (
                select(LastInteraction)
                .where(LastInteraction.silent_check_at <= now)
                .order_by(LastInteraction.silent_check_at, LastInteraction.customer_id)
            )
            rows = (await claim_due(session, due, limit=batch_size)).scalars().all()
            ids = [r.customer_id for r in rows]
            customers = {c.id: c for c in await session.scalars(select(KnownCustomer).where(KnownCustomer.id.in_(ids)))}
            opened += await service.open_tasks(session, rows, customers, now)
        if len(rows) < batch_size:
            break
    PASS_SECONDS.labels("silence").observe(time.perf_counter() - started)
    PASS_HEARTBEAT.labels("silence").set(time.time())
    return opened


async def refresh_gauges(db: Database) -> None:
    async with db.session() as session:
        silent = await session.scalar(select(func.count()).where(ReactivationTask.status == "open"))
    metrics.SILENT_CUSTOMERS.set(silent or 0)
