"""Crisis mode use cases: switch it (who, when, why kept; an event announces it) and read it. Never commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.events.engagement import CrisisModeChangedV1
from engagement.cadences import service as cadences
from engagement.crisis.models import CrisisSwitch
from servicekit import clock
from servicekit.auth import Principal
from servicekit.errors import ApiError
from servicekit.outbox import record_event

AGGREGATE_ID = "crisis-mode"


async def switch(session: AsyncSession, principal: Principal, on: bool, reason: str) -> dict[str, Any]:
    """R-11: tightens (or restores) every cadence: a new policy version the re-plan pass applies to every customer;
    obligations met or missed so far and every communication stay as they were."""
    current = await cadences.load_policy(session, for_update=True)
    if current.crisis_on == on:
        raise ApiError(409, "unchanged", f"crisis mode is already {'on' if on else 'off'}", field="on")
    now = clock.now(session)
    session.add(CrisisSwitch(on=on, changed_by=principal.subject, reason=reason, changed_at=now))
    policy = await cadences.change_policy(session, by=principal.subject, crisis_on=on)
    await record_event(
        session,
        CrisisModeChangedV1(on=on, changed_by=principal.subject, reason=reason, changed_at=now),
        aggregate_id=AGGREGATE_ID,
        aggregate_version=policy.version,
    )
    return await read(session)


async def read(session: AsyncSession) -> dict[str, Any]:
    policy = await cadences.load_policy(session)
    history = (await session.scalars(select(CrisisSwitch).order_by(CrisisSwitch.id.desc()).limit(100))).all()
    return {"on": policy.crisis_on, "policy_version": policy.version, "history": list(history)}
