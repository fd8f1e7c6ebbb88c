"""Follow-up use cases: plan the onboarding call, forget an erased customer, list. Never commits (the request or
message boundary does)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.events.customer import CustomerRegisteredV1
from engagement.followups import rules
from engagement.followups.models import FollowUp
from engagement.settings import engagement_settings
from servicekit import clock
from servicekit.auth import Principal, account_filter
from servicekit.numbering import next_number

if TYPE_CHECKING:
    from engagement.communications.models import Communication

NUMBER_PREFIX = "GJ"  # 跟进 follow-up numbers
ERASED = "erased"


async def plan_onboarding_call(session: AsyncSession, event: CustomerRegisteredV1, source_event_id: str) -> FollowUp:
    planned = rules.onboarding_call(event.registered_at, within_days=engagement_settings().onboarding_call_days)
    followup = FollowUp(
        id=str(uuid.uuid4()),
        number=await next_number(session, NUMBER_PREFIX),
        customer_id=event.customer_id,
        kind=planned.kind,
        channel=planned.channel,
        purpose=planned.purpose,
        owner=event.owner,
        team=event.team,
        due_at=planned.due_at,
        status="planned",
        rule=planned.rule,
        source_event_id=source_event_id,
        created_at=clock.now(session),
    )
    session.add(followup)
    return followup


async def plan_next_follow_up(session: AsyncSession, record: Communication, owner: str | None) -> FollowUp:
    """R-14: the next follow-up date of a communication record plans a follow-up (first thing that day, local)."""
    assert record.next_follow_up_on is not None
    local = datetime.combine(record.next_follow_up_on, time(9), ZoneInfo(engagement_settings().zone))
    followup = FollowUp(
        id=str(uuid.uuid4()),
        number=await next_number(session, NUMBER_PREFIX),
        customer_id=record.customer_id,
        kind="next_follow_up",
        channel=record.channel,
        purpose=f"follow-up of {record.number}",
        owner=owner,
        team=record.team,
        due_at=local.astimezone(UTC),
        status="planned",
        rule="R-14",
        source_event_id=record.id,
        created_at=clock.now(session),
    )
    session.add(followup)
    return followup


async def move_owner(session: AsyncSession, customer_id: str, owner: str | None, team: str | None) -> None:
    await session.execute(
        update(FollowUp)
        .where(FollowUp.customer_id == customer_id, FollowUp.status == "planned")
        .values(owner=owner, team=team)
    )


async def repoint(session: AsyncSession, merged_id: str, survivor_id: str) -> None:
    await session.execute(update(FollowUp).where(FollowUp.customer_id == merged_id).values(customer_id=survivor_id))


async def forget_customer(session: AsyncSession, customer_id: str) -> None:
    """R-09/R-42 erasure: the free-text purpose may name people, so it goes; the rows stay for counts.
    Planned follow-ups are cancelled: there is no one left to contact. Idempotent."""
    followups = update(FollowUp).where(FollowUp.customer_id == customer_id)
    await session.execute(followups.where(FollowUp.status == "planned").values(status="cancelled"))
    await session.execute(followups.values(purpose=ERASED))


async def get_all(
    session: AsyncSession, principal: Principal, *, customer_id: str | None, limit: int
) -> list[FollowUp]:
    query = select(FollowUp).order_by(FollowUp.due_at, FollowUp.id).limit(limit)
    if customer_id:
        query = query.where(FollowUp.customer_id == customer_id)
    visible = account_filter(principal, FollowUp.owner, FollowUp.team)  # only the accounts the caller works
    if visible is not None:
        query = query.where(visible)
    return list((await session.scalars(query)).all())
