"""Follow-up use cases: plan the onboarding call, forget an erased customer, list. Never commits (the request or
message boundary does)."""

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.events.customer import CustomerRegisteredV1
from engagement.followups import rules
from engagement.followups.models import FollowUp
from engagement.settings import engagement_settings
from servicekit import clock
from servicekit.auth import Principal, account_filter
from servicekit.numbering import next_number

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
