"""To-do use cases: open (from a communication or by hand), resolve, inform, close, list; owner change, merge,
erasure. Each step is an event the notifier can turn into messages. Never commits."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Event
from contracts.events.engagement import TodoClosedV1, TodoOpenedV1
from contracts.events.surveys import SurveyLowScoreRecordedV1
from engagement.segments.models import KnownCustomer
from engagement.settings import engagement_settings
from engagement.todos import rules
from engagement.todos.models import Todo
from engagement.todos.schemas import TodoDue
from servicekit import clock
from servicekit.auth import Principal, account_filter, sees_account
from servicekit.calendar.rules import BusinessCalendar
from servicekit.errors import ApiError, not_found
from servicekit.outbox import record_event

ERASED = "erased"


def todo_fields(todo: Todo) -> dict[str, object]:
    return {
        "todo_id": todo.id,
        "customer_id": todo.customer_id,
        "title": todo.title[:200],
        "owner": todo.owner,
        "team": todo.team,
        "due_at": todo.due_at,
    }


async def emit(session: AsyncSession, todo: Todo, event: Event) -> None:
    todo.version += 1
    await record_event(session, event, aggregate_id=todo.id, aggregate_version=todo.version)


def _due(calendar: BusinessCalendar, start: datetime, item: TodoDue, field: str) -> datetime:
    if sum(v is not None for v in (item.working_days, item.working_hours, item.due_at)) != 1:
        raise ApiError(
            422, "validation_error", "give exactly one due: working_days, working_hours or due_at", field=field
        )
    return rules.due_at(
        calendar, start, working_days=item.working_days, working_hours=item.working_hours, at=item.due_at
    )


async def open_todo(
    session: AsyncSession,
    principal: Principal,
    customer: KnownCustomer,
    item: TodoDue,
    calendar: BusinessCalendar,
    *,
    start: datetime,
    communication_id: str | None = None,
    field: str = "due",
) -> Todo:
    """R-15: the due time counts in working time from `start` (the contact, or now for a to-do added later)."""
    due = _due(calendar, start, item, field)
    todo = Todo(
        id=str(uuid.uuid4()),
        customer_id=customer.id,
        communication_id=communication_id,
        title=item.title,
        owner=item.owner or customer.owner or principal.subject,
        team=customer.team,
        due_at=due,
        status="open",
        next_check_at=due,
        version=0,
        created_by=principal.subject,
        created_at=clock.now(session),
    )
    session.add(todo)
    await emit(session, todo, TodoOpenedV1(**todo_fields(todo), communication_id=communication_id))  # type: ignore[arg-type]
    return todo


async def get(session: AsyncSession, principal: Principal, todo_id: str, *, for_update: bool = False) -> Todo:
    todo = await session.get(Todo, todo_id, with_for_update=for_update or None)
    if todo is None or not sees_account(principal, owner=todo.owner, team=todo.team):
        raise not_found("to-do", todo_id)
    return todo


async def get_all(
    session: AsyncSession,
    principal: Principal,
    *,
    customer_id: str | None,
    status: str | None,
    overdue: bool,
    limit: int,
) -> list[Todo]:
    query = select(Todo).order_by(Todo.due_at, Todo.id).limit(limit)
    if customer_id:
        query = query.where(Todo.customer_id == customer_id)
    if status:
        query = query.where(Todo.status == status)
    if overdue:  # overdue to-dos are visible
        query = query.where(Todo.status.in_(rules.UNFINISHED), Todo.due_at <= clock.now(session))
    visible = account_filter(principal, Todo.owner, Todo.team)
    if visible is not None:
        query = query.where(visible)
    return list((await session.scalars(query)).all())


async def act(session: AsyncSession, principal: Principal, todo_id: str, action: str, note: str | None) -> Todo:
    todo = await get(session, principal, todo_id, for_update=True)
    try:
        todo.status = rules.transition(todo.status, action)
    except rules.IllegalTransition as error:
        raise ApiError(409, "illegal_transition", str(error)) from None
    now = clock.now(session)
    if action == "resolve":
        todo.resolved_at, todo.resolution = now, note
    elif action == "inform":
        todo.informed_at, todo.next_check_at = now, None  # the customer knows: nothing left to chase
    else:
        todo.closed_at = now
        overdue = todo.informed_at is not None and todo.informed_at > todo.due_at
        await emit(session, todo, TodoClosedV1(**todo_fields(todo), closed_at=now, overdue=overdue))  # type: ignore[arg-type]
    return todo


async def move_owner(session: AsyncSession, customer_id: str, owner: str | None, team: str | None) -> None:
    await session.execute(
        update(Todo)
        .where(Todo.customer_id == customer_id, Todo.status.in_((*rules.UNFINISHED, "informed")))
        .values(owner=owner, team=team)
    )


async def repoint(session: AsyncSession, merged_id: str, survivor_id: str) -> None:
    await session.execute(update(Todo).where(Todo.customer_id == merged_id).values(customer_id=survivor_id))


async def erase(session: AsyncSession, customer_id: str) -> None:
    """R-09/R-42: titles and resolutions may name people; open ones are cancelled (no one left to inform)."""
    await session.execute(
        update(Todo)
        .where(Todo.customer_id == customer_id, Todo.status.in_((*rules.UNFINISHED, "informed")))
        .values(status="cancelled", next_check_at=None)
    )
    await session.execute(update(Todo).where(Todo.customer_id == customer_id).values(title=ERASED, resolution=None))


async def open_recovery_todo(
    session: AsyncSession, event: SurveyLowScoreRecordedV1, customer: KnownCustomer | None, calendar: BusinessCalendar
) -> Todo | None:
    """R-35: a low survey score is one recovery to-do for the account owner, due in working hours on the business
    calendar; a second event for the same response (a revision, a redelivery) opens nothing more."""
    source_key = f"survey-low-score:{event.response_id}"
    if await session.scalar(select(Todo.id).where(Todo.source_key == source_key)) is not None:
        return None
    now = clock.now(session)
    owner = (customer.owner if customer else None) or event.owner
    reasons = ", ".join(r.value for r in event.reasons) or "low score"
    todo = Todo(
        id=str(uuid.uuid4()),
        customer_id=event.customer_id,
        communication_id=None,
        title=f"recover a low survey score ({reasons})"[:200],
        owner=owner,
        team=customer.team if customer else None,
        due_at=calendar.add_working_time(now, timedelta(hours=engagement_settings().recovery_working_hours)),
        status="open",
        version=0,
        created_by="surveys",
        source_key=source_key,
        created_at=now,
    )
    todo.next_check_at = todo.due_at
    session.add(todo)
    await emit(session, todo, TodoOpenedV1(**todo_fields(todo)))  # type: ignore[arg-type]
    return todo
