"""Communication use cases: enter a record (R-14) with its need changes, to-dos (R-15) and next follow-up; count it
against the cadence (R-11) and as an interaction (R-16). Never commits."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.events.engagement import CommunicationRecordedV1, NeedChangedV1
from engagement.cadences import service as cadences
from engagement.communications import metrics, rules
from engagement.communications.models import Communication
from engagement.communications.schemas import CommunicationCreate
from engagement.followups import service as followups
from engagement.interactions import service as interactions
from engagement.segments import service as segments
from engagement.settings import engagement_settings
from engagement.todos import service as todos
from engagement.todos.models import Todo
from servicekit import clock
from servicekit.auth import Principal, account_filter, sees_account
from servicekit.calendar.rules import BusinessCalendar
from servicekit.db import after_commit
from servicekit.errors import ApiError, not_found
from servicekit.numbering import next_number
from servicekit.outbox import record_events

NUMBER_PREFIX = "JL"  # 记录 communication record numbers
ERASED = "erased"


async def create(
    session: AsyncSession, principal: Principal, data: CommunicationCreate, calendar: BusinessCalendar
) -> tuple[Communication, list[Todo]]:
    customer = await segments.visible(session, principal, data.customer_id)
    now = clock.now(session)
    if rules.in_future(data.happened_at, now):
        raise ApiError(422, "validation_error", "the contact cannot be in the future", field="happened_at")
    settings = engagement_settings()
    record = Communication(
        id=str(uuid.uuid4()),
        number=data.number or await next_number(session, NUMBER_PREFIX),
        customer_id=customer.id,
        happened_at=data.happened_at,
        channel=data.channel,
        subject=data.subject,
        summary=data.summary,
        feedback=data.feedback,
        need_changes=[n.model_dump(mode="json") for n in data.need_changes],
        owner=data.owner or principal.subject,
        team=customer.team,
        next_follow_up_on=data.next_follow_up_on,
        entered_by=principal.subject,
        entered_at=now,
        entry_lag_seconds=rules.entry_lag(data.happened_at, now).total_seconds(),
        late=rules.is_late(data.happened_at, now, deadline_hours=settings.entry_deadline_hours),
    )
    session.add(record)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise ApiError(409, "duplicate_number", f"record number {data.number} exists", field="number") from None
    opened = [
        await todos.open_todo(
            session,
            principal,
            customer,
            item,
            calendar,
            start=data.happened_at,
            communication_id=record.id,
            field=f"todos[{i}].due",
        )
        for i, item in enumerate(data.todos)
    ]
    await record_events(
        session,
        [
            (
                CommunicationRecordedV1(
                    communication_id=record.id,
                    number=record.number,
                    customer_id=record.customer_id,
                    channel=record.channel,
                    happened_at=record.happened_at,
                    entered_at=now,
                    owner=record.owner,
                    team=record.team,
                    next_follow_up_on=record.next_follow_up_on,
                ),
                record.id,
                1,
            ),
            *(
                (
                    NeedChangedV1(
                        communication_id=record.id,
                        customer_id=record.customer_id,
                        kind=need.kind,
                        value=need.value,
                        contact_id=need.contact_id,
                        recorded_by=principal.subject,
                        learned_at=record.happened_at,
                    ),
                    record.id,
                    1,
                )
                for need in data.need_changes
            ),
        ],
    )
    if record.next_follow_up_on is not None:
        await followups.plan_next_follow_up(session, record, customer.owner or record.owner)
    await cadences.count_contact(session, record.customer_id, record.channel, record.happened_at)
    await interactions.touch(session, record.customer_id, record.happened_at, "communication")
    after_commit(session, lambda: _observe(record))
    return record, opened


def _observe(record: Communication) -> None:
    metrics.RECORDED.labels(record.channel).inc()
    metrics.ENTRY_LAG.labels(record.channel).observe(record.entry_lag_seconds)
    if record.late:
        metrics.LATE.labels(record.channel).inc()


def present(record: Communication, todo_rows: list[Todo]) -> dict[str, Any]:
    fields = {c.key: getattr(record, c.key) for c in Communication.__table__.columns}
    return {**fields, "todos": todo_rows}


async def get(session: AsyncSession, principal: Principal, communication_id: str) -> dict[str, Any]:
    record = await session.get(Communication, communication_id)
    if record is None or not sees_account(principal, owner=record.owner, team=record.team):
        raise not_found("communication", communication_id)
    todo_rows = (
        await session.scalars(select(Todo).where(Todo.communication_id == record.id).order_by(Todo.created_at))
    ).all()
    return present(record, list(todo_rows))


async def get_all(
    session: AsyncSession, principal: Principal, *, customer_id: str | None, number: str | None, limit: int
) -> list[dict[str, Any]]:
    query = select(Communication).order_by(Communication.happened_at.desc(), Communication.id).limit(limit)
    if customer_id:
        query = query.where(Communication.customer_id == customer_id)
    if number:
        query = query.where(Communication.number == number)
    visible = account_filter(principal, Communication.owner, Communication.team)
    if visible is not None:
        query = query.where(visible)
    records = list((await session.scalars(query)).all())
    todo_rows = (await session.scalars(select(Todo).where(Todo.communication_id.in_([r.id for r in records])))).all()
    by_record: dict[str, list[Todo]] = {}
    for todo in todo_rows:
        by_record.setdefault(todo.communication_id or "", []).append(todo)
    return [present(r, by_record.get(r.id, [])) for r in records]


async def move_owner(session: AsyncSession, customer_id: str, team: str | None) -> None:
    """Records stay with who made the contact; the team follows the customer, so the new team sees the history."""
    await session.execute(update(Communication).where(Communication.customer_id == customer_id).values(team=team))


async def repoint(session: AsyncSession, merged_id: str, survivor_id: str) -> None:
    await session.execute(
        update(Communication).where(Communication.customer_id == merged_id).values(customer_id=survivor_id)
    )


async def erase(session: AsyncSession, customer_id: str) -> None:
    """R-09/R-42: subjects, summaries, feedback and needs are the customer's words; dates, channels and counts stay."""
    await session.execute(
        update(Communication)
        .where(Communication.customer_id == customer_id)
        .values(subject=ERASED, summary=ERASED, feedback=None, need_changes=[])
    )
