"""The overdue pass (R-15): claims only to-dos whose next check has come (due rows, SKIP LOCKED), reminds the owner
at the due time and escalates once to the supervisor after the configured working time. Replicas never act twice."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.events.engagement import TodoEscalatedV1, TodoOverdueV1
from engagement.passes import in_batches
from engagement.settings import engagement_settings
from engagement.todos import metrics, rules
from engagement.todos.models import Todo
from engagement.todos.service import emit, todo_fields
from servicekit.calendar.store import CalendarHolder
from servicekit.db import Database
from servicekit.due import claim_due

ESCALATE_TO = ["supervisor"]


async def chase_overdue(
    db: Database, holder: CalendarHolder, *, now: datetime | None = None, batch_size: int | None = None
) -> int:
    settings = engagement_settings()
    at = now or db.clock()
    size = batch_size or settings.pass_batch_size
    calendar = holder.calendar(settings.calendar)
    escalate_after = timedelta(hours=settings.escalate_after_working_hours)

    async def batch(session: AsyncSession) -> tuple[int, int]:
        due = (
            select(Todo)
            .where(Todo.next_check_at <= at, Todo.status.in_(rules.UNFINISHED))
            .order_by(Todo.next_check_at, Todo.id)
        )
        todos = (await claim_due(session, due, limit=size)).scalars().all()
        for todo in todos:
            step = rules.overdue_step(
                calendar, due=todo.due_at, reminded=todo.overdue_at is not None, escalate_after=escalate_after
            )
            todo.next_check_at = step.next_check_at
            if step.kind == "overdue":
                todo.overdue_at = at
                await emit(session, todo, TodoOverdueV1(**todo_fields(todo)))  # type: ignore[arg-type]
                metrics.REMINDERS.inc()
            else:
                todo.escalated_at = at
                await emit(session, todo, TodoEscalatedV1(**todo_fields(todo), to_roles=ESCALATE_TO))  # type: ignore[arg-type]
                metrics.ESCALATIONS.inc()
        return len(todos), len(todos)

    return await in_batches("todos", db, size, batch)


async def refresh_gauges(db: Database) -> None:
    async with db.session() as session:
        overdue = await session.scalar(
            select(func.count()).where(Todo.status.in_(rules.UNFINISHED), Todo.due_at <= db.clock())
        )
    metrics.OVERDUE.set(overdue or 0)
