"""Plan use cases: by hand, from the cadence's obligations, postpone / done / not done, owner change, merge,
erasure. Never commits."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from engagement.cadences import rules as cadence_rules
from engagement.plans import rules
from engagement.plans.models import MaintenancePlan, PlanPostponement
from engagement.plans.schemas import PlanCreate
from engagement.segments import service as segments
from engagement.settings import engagement_settings
from servicekit import clock
from servicekit.auth import Principal, account_filter, sees_account
from servicekit.errors import ApiError, not_found
from servicekit.numbering import next_number, next_numbers

BULK = {"synchronize_session": False}  # batch updates of rows the session does not hold
NUMBER_PREFIX = "JH"  # 计划 maintenance plan numbers
ERASED = "erased"


def today(session: AsyncSession) -> date:
    return clock.now(session).astimezone(ZoneInfo(engagement_settings().zone)).date()


def _raise(error: rules.PlanRuleError) -> ApiError:
    return ApiError(error.status, error.code, str(error), field=error.field)


async def create(session: AsyncSession, principal: Principal, data: PlanCreate) -> MaintenancePlan:
    customer = await segments.visible(session, principal, data.customer_id)
    now = clock.now(session)
    plan = MaintenancePlan(
        id=str(uuid.uuid4()),
        number=data.number or await next_number(session, NUMBER_PREFIX),
        customer_id=customer.id,
        cycle=data.cycle,
        goal=data.goal,
        content=data.content,
        channel=data.channel,
        owner=data.owner or customer.owner or principal.subject,
        team=customer.team,
        planned_on=data.execute_on,
        execute_on=data.execute_on,
        status=data.status,
        note=data.note,
        source="manual",
        created_by=principal.subject,
        created_at=now,
        updated_at=now,
        postponements=[],
    )
    session.add(plan)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise ApiError(409, "duplicate_number", f"plan number {data.number} exists", field="number") from None
    return plan


async def create_for_obligations(
    session: AsyncSession, items: Sequence[tuple[dict[str, Any], str, str | None]], now: datetime
) -> None:
    """R-10/R-12/R-13: one generated plan per new obligation (its row), with the segment's goal and content and
    the channel its purpose calls for; the execution date is the window's last day."""
    zone = ZoneInfo(engagement_settings().zone)
    numbers = await next_numbers(session, NUMBER_PREFIX, len(items))
    rows = []
    for (ob, channel, team), number in zip(items, numbers, strict=True):
        goal, content = cadence_rules.FOCUS[ob["focus"]]
        last_day = date.fromordinal(ob["window_end"].astimezone(zone).date().toordinal() - 1)
        rows.append(
            {
                "id": str(uuid.uuid4()),
                "number": number,
                "customer_id": ob["customer_id"],
                "cycle": cadence_rules.CYCLE_NAMES.get(ob["period"], ob["period"]),
                "goal": goal,
                "content": f"{content} ({ob['contacts']} contact(s): {', '.join(ob['kinds'])})",
                "channel": channel,
                "owner": ob["owner"],
                "team": team,
                "planned_on": last_day,
                "execute_on": last_day,
                "status": "done" if ob["status"] == "met" else "planned",
                "note": None,
                "source": "cadence",
                "obligation_id": ob["id"],
                "created_by": "cadence",
                "created_at": now,
                "updated_at": now,
            }
        )
    await session.execute(insert(MaintenancePlan.__table__), rows)


async def cancel_for_obligations(session: AsyncSession, obligation_ids: list[str], now: datetime) -> None:
    await session.execute(
        update(MaintenancePlan)
        .where(MaintenancePlan.obligation_id.in_(obligation_ids), MaintenancePlan.status.in_(rules.OPEN))
        .values(status="cancelled", updated_at=now),
        execution_options=BULK,
    )


async def finish_for_obligations(session: AsyncSession, obligation_ids: list[str], status: str, now: datetime) -> None:
    if obligation_ids:
        await session.execute(
            update(MaintenancePlan)
            .where(MaintenancePlan.obligation_id.in_(obligation_ids), MaintenancePlan.status.in_(rules.OPEN))
            .values(status=status, updated_at=now),
            execution_options=BULK,
        )


async def get(
    session: AsyncSession, principal: Principal, plan_id: str, *, for_update: bool = False
) -> MaintenancePlan:
    plan = await session.get(MaintenancePlan, plan_id, with_for_update=for_update or None)
    if plan is None or not sees_account(principal, owner=plan.owner, team=plan.team):
        raise not_found("plan", plan_id)
    return plan


async def get_all(
    session: AsyncSession, principal: Principal, *, customer_id: str | None, status: str | None, limit: int
) -> list[MaintenancePlan]:
    query = select(MaintenancePlan).order_by(MaintenancePlan.execute_on, MaintenancePlan.number).limit(limit)
    if customer_id:
        query = query.where(MaintenancePlan.customer_id == customer_id)
    if status:
        query = query.where(MaintenancePlan.status == status)
    visible = account_filter(principal, MaintenancePlan.owner, MaintenancePlan.team)
    if visible is not None:
        query = query.where(visible)
    return list((await session.scalars(query)).all())


async def postpone(
    session: AsyncSession, principal: Principal, plan_id: str, new_date: date, reason: str
) -> MaintenancePlan:
    plan = await get(session, principal, plan_id, for_update=True)
    try:
        rules.check_postponement(plan.status, plan.execute_on, new_date, reason, today=today(session))
    except rules.PlanRuleError as error:
        raise _raise(error) from None
    now = clock.now(session)
    plan.postponements.append(
        PlanPostponement(
            from_date=plan.execute_on, to_date=new_date, reason=reason, postponed_by=principal.subject, postponed_at=now
        )
    )
    plan.execute_on, plan.status, plan.updated_at = new_date, "postponed", now
    return plan


async def finish(
    session: AsyncSession, principal: Principal, plan_id: str, outcome: str, note: str | None
) -> MaintenancePlan:
    plan = await get(session, principal, plan_id, for_update=True)
    try:
        rules.check_outcome(plan.status, outcome)
    except rules.PlanRuleError as error:
        raise _raise(error) from None
    plan.status, plan.updated_at = outcome, clock.now(session)
    if note:
        plan.note = note
    return plan


async def move_owner(session: AsyncSession, customer_id: str, owner: str | None, team: str | None) -> None:
    await session.execute(
        update(MaintenancePlan)
        .where(MaintenancePlan.customer_id == customer_id, MaintenancePlan.status.in_(rules.OPEN))
        .values(owner=owner, team=team)
    )


async def repoint(session: AsyncSession, merged_id: str, survivor_id: str) -> None:
    await session.execute(
        update(MaintenancePlan).where(MaintenancePlan.customer_id == merged_id).values(customer_id=survivor_id)
    )


async def erase(session: AsyncSession, customer_id: str) -> None:
    """R-09/R-42: goals, contents, notes and postponement reasons may name people; the rows stay for counts."""
    plan_ids = select(MaintenancePlan.id).where(MaintenancePlan.customer_id == customer_id)
    await session.execute(
        update(MaintenancePlan)
        .where(MaintenancePlan.customer_id == customer_id, MaintenancePlan.status.in_(rules.OPEN))
        .values(status="cancelled")
    )
    await session.execute(
        update(MaintenancePlan)
        .where(MaintenancePlan.customer_id == customer_id)
        .values(goal=ERASED, content=ERASED, note=None)
    )
    await session.execute(update(PlanPostponement).where(PlanPostponement.plan_id.in_(plan_ids)).values(reason=ERASED))
