"""Last interaction and reactivation use cases. Never commits."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.events.engagement import LastInteractionChangedV1, ReactivationTaskOpenedV1
from engagement.interactions import metrics, rules
from engagement.interactions.models import LastInteraction, ReactivationTask
from engagement.segments.models import KnownCustomer
from engagement.settings import engagement_settings
from servicekit import clock
from servicekit.auth import Principal, account_filter, sees_account
from servicekit.errors import ApiError, not_found
from servicekit.outbox import record_event, record_events

ERASED = "erased"


async def start(session: AsyncSession, customer_id: str, registered_at: datetime) -> None:
    """A new customer: silence counts from its registration until its first interaction."""
    if await session.get(LastInteraction, customer_id) is None:
        session.add(
            LastInteraction(
                customer_id=customer_id,
                last_at=None,
                kind=None,
                since=registered_at,
                silent_check_at=rules.silent_at(registered_at, engagement_settings().silent_days),
                version=0,
            )
        )


async def touch(session: AsyncSession, customer_id: str, at: datetime, kind: str) -> bool:
    """R-16: an interaction; a later one than known moves the last interaction, publishes it, restarts the silence
    clock and ends an open reactivation task. True when it moved."""
    row = await session.get(LastInteraction, customer_id, with_for_update=True)
    if row is None:
        row = LastInteraction(customer_id=customer_id, last_at=None, since=at, version=0)
        session.add(row)
    if not rules.is_newer(row.last_at, at):
        return False
    row.last_at, row.kind, row.since = at, kind, at
    row.silent_check_at = rules.silent_at(at, engagement_settings().silent_days)
    row.version += 1
    await record_event(
        session,
        LastInteractionChangedV1(customer_id=customer_id, last_interaction_at=at, kind=kind),
        aggregate_id=customer_id,
        aggregate_version=row.version,
    )
    return True


async def open_tasks(
    session: AsyncSession, rows: Sequence[LastInteraction], customers: dict[str, KnownCustomer], now: datetime
) -> int:
    """One reactivation task per silent customer (the row's check is cleared until the next interaction)."""
    events = []
    for row in rows:
        row.silent_check_at = None
        customer = customers.get(row.customer_id)
        if customer is None or customer.merged_into or customer.erased_at:
            continue
        task = ReactivationTask(
            id=str(uuid.uuid4()),
            customer_id=row.customer_id,
            owner=customer.owner,
            team=customer.team,
            silent_since=row.since,
            opened_at=now,
            status="open",
        )
        session.add(task)
        events.append(
            (
                ReactivationTaskOpenedV1(
                    task_id=task.id,
                    customer_id=row.customer_id,
                    owner=task.owner,
                    team=task.team,
                    last_interaction_at=row.last_at,
                    silent_days=rules.silent_days(row.since, now),
                ),
                row.customer_id,
                row.version,
            )
        )
    await record_events(session, events)
    metrics.REACTIVATION_TASKS.inc(len(events))
    return len(events)


async def last_of(session: AsyncSession, customer_id: str) -> LastInteraction:
    row = await session.get(LastInteraction, customer_id)
    if row is None:
        raise not_found("customer", customer_id)
    return row


async def get_task(session: AsyncSession, principal: Principal, task_id: str) -> ReactivationTask:
    task = await session.get(ReactivationTask, task_id, with_for_update=True)
    if task is None or not sees_account(principal, owner=task.owner, team=task.team):
        raise not_found("reactivation task", task_id)
    return task


async def get_tasks(
    session: AsyncSession, principal: Principal, *, customer_id: str | None, status: str | None, limit: int
) -> list[ReactivationTask]:
    query = select(ReactivationTask).order_by(ReactivationTask.opened_at, ReactivationTask.id).limit(limit)
    if customer_id:
        query = query.where(ReactivationTask.customer_id == customer_id)
    if status:
        query = query.where(ReactivationTask.status == status)
    visible = account_filter(principal, ReactivationTask.owner, ReactivationTask.team)
    if visible is not None:
        query = query.where(visible)
    return list((await session.scalars(query)).all())


async def complete_task(
    session: AsyncSession, principal: Principal, task_id: str, reason_code: str, note: str | None
) -> ReactivationTask:
    """R-16: the owner records why contact lapsed."""
    task = await get_task(session, principal, task_id)
    if task.status != "open":
        raise ApiError(409, "illegal_transition", f"the task is {task.status}")
    task.status, task.reason_code, task.note = "done", reason_code, note
    task.done_by, task.done_at = principal.subject, clock.now(session)
    metrics.LAPSE_REASONS.labels(reason_code).inc()
    return task


async def move_owner(session: AsyncSession, customer_id: str, owner: str | None, team: str | None) -> None:
    await session.execute(
        update(ReactivationTask)
        .where(ReactivationTask.customer_id == customer_id, ReactivationTask.status == "open")
        .values(owner=owner, team=team)
    )


async def repoint(session: AsyncSession, merged_id: str, survivor_id: str) -> None:
    """Merge: the merged customer's latest interaction counts for the survivor; its own silence clock stops."""
    merged = await session.get(LastInteraction, merged_id, with_for_update=True)
    if merged is not None:
        merged.silent_check_at = None
        if merged.last_at is not None:
            await touch(session, survivor_id, merged.last_at, merged.kind or "communication")
    await session.execute(
        update(ReactivationTask)
        .where(ReactivationTask.customer_id == merged_id, ReactivationTask.status == "open")
        .values(status="cancelled")
    )
    await session.execute(
        update(ReactivationTask).where(ReactivationTask.customer_id == merged_id).values(customer_id=survivor_id)
    )


async def erase(session: AsyncSession, customer_id: str) -> None:
    await session.execute(
        update(LastInteraction).where(LastInteraction.customer_id == customer_id).values(silent_check_at=None)
    )
    await session.execute(
        update(ReactivationTask)
        .where(ReactivationTask.customer_id == customer_id, ReactivationTask.status == "open")
        .values(status="cancelled")
    )
    await session.execute(update(ReactivationTask).where(ReactivationTask.customer_id == customer_id).values(note=None))
