"""The overdue pass (R-15): claims only to-dos whose next check has come (due rows, SKIP LOCKED), reminds the owner
at the due time and escalates once to the supervisor after the configured working time. Replicas never act twice."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from sqlalchemy import func, select

from contracts.events.engagement import TodoEscalatedV1, TodoOverdueV1
from engagement.cadences.metrics import PASS_HEARTBEAT, PASS_SECONDS
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
    started = time.perf_counter()
    settings = engagement_settings()
    now = now or db.clock()
    batch_size = batch_size or settings.pass_batch_size
    calendar = holder.calendar(settings.calendar)
    escalate_after = timedelta(hours=settings.escalate_after_working_hours)
    handled = 0
    while True:
        async with db.session() as session:
            due = (
                select(Todo)
                .where(Todo.next_check_at <= now, Todo.status.in_(rules.UNFINISHED))
                .order_by(Todo.next_check_at, Todo.id)
            )
            todos = (await claim_due(session, due, limit=batch_size)).scalars().all()
            for todo in todos:
                step = rules.overdue_step(
                    calendar, due=todo.due_at, reminded=todo.overdue_at is not None, escalate_after=escalate_after
                )
                todo.next_check_at = step.next_check_at
                if step.kind == "overdue":
                    todo.overdue_at = now
                    await emit(session, todo, TodoOverdueV1(**todo_fields(todo)))  # type: ignore[arg-type]
                    metrics.REMINDERS.inc()
                else:
                    todo.escalated_at = now
                    await emit(session, todo, TodoEscalatedV1(**todo_fields(todo), to_roles=ESCALATE_TO))  # type: ignore[arg-type]
                    metrics.ESCALATIONS.inc()
        handled += len(todos)
        if len(todos) < batch_size:
            break
    PASS_SECONDS.labels("todos").observe(time.perf_counter() - started)
    PASS_HEARTBEAT.labels("todos").set(time.time())
    return handled


async def refresh_gauges(db: Database) -> None:
    async with db.session() as session:
        overdue = await session.scalar(
            select(func.count()).where(Todo.status.in_(rules.UNFINISHED), Todo.due_at <= db.clock())
        )
    metrics.OVERDUE.set(overdue or 0)
