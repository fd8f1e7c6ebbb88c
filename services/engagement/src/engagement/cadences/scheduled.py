"""Cadence passes (R-11), both due-row claims (SKIP LOCKED), so replicas share the work and never act twice:

- the obligations pass closes windows that ended unmet (missed, announced) and opens each customer's next ones;
  it reads only due obligations, so its cost follows what is due, not how many customers there are;
- the re-plan pass brings customers planned under an older policy version (a cadence change, crisis mode on or
  off) to the current one, a batch per transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from engagement.cadences import metrics, service
from engagement.cadences.models import Obligation
from engagement.passes import in_batches
from engagement.segments.models import KnownCustomer
from engagement.settings import engagement_settings
from servicekit.db import Database
from servicekit.due import claim_due


async def close_due_obligations(db: Database, *, now: datetime | None = None, batch_size: int | None = None) -> int:
    at = now or db.clock()
    size = batch_size or engagement_settings().pass_batch_size

    async def batch(session: AsyncSession) -> tuple[int, int]:
        due = select(Obligation).where(Obligation.due_at <= at).order_by(Obligation.due_at, Obligation.id)
        rows = (await claim_due(session, due, limit=size)).scalars().all()
        if rows:
            await service.close_missed(session, rows, at)
            ids = sorted({r.customer_id for r in rows})
            customers = await session.scalars(
                select(KnownCustomer).where(KnownCustomer.id.in_(ids)).order_by(KnownCustomer.id).with_for_update()
            )
            await service.replan(session, customers.all(), at)
        return len(rows), len(rows)

    return await in_batches("obligations", db, size, batch)


async def replan_pass(db: Database, *, now: datetime | None = None, batch_size: int | None = None) -> int:
    at = now or db.clock()
    size = batch_size or engagement_settings().pass_batch_size

    async def batch(session: AsyncSession) -> tuple[int, int]:
        version = (await service.load_policy(session)).version
        behind = (
            select(KnownCustomer)
            .where(KnownCustomer.planned_version < version)
            .order_by(KnownCustomer.planned_version)  # the index order: no sort of everyone behind per batch
        )
        customers = (await claim_due(session, behind, limit=size)).scalars().all()
        await service.replan(session, customers, at)
        return len(customers), len(customers)

    return await in_batches("replan", db, size, batch)


async def refresh_gauges(db: Database) -> None:
    async with db.session() as session:
        counts = (
            await session.execute(
                select(Obligation.rule, func.count()).where(Obligation.status == "open").group_by(Obligation.rule)
            )
        ).all()
        overdue = await session.scalar(select(func.count()).where(Obligation.due_at <= db.clock()))
        crisis = (await service.load_policy(session)).crisis_on
    for rule, count in counts:
        metrics.OPEN_OBLIGATIONS.labels(rule).set(count)
    metrics.OVERDUE_OBLIGATIONS.set(overdue or 0)
    metrics.CRISIS_MODE.set(1 if crisis else 0)
