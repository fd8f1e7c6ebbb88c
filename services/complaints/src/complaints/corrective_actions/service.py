"""Corrective action use cases (R-31): add to a case, complete, track what is overdue. Never commits."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from complaints.cases import service as cases
from complaints.corrective_actions.models import CorrectiveAction
from complaints.corrective_actions.schemas import CorrectiveActionCreate
from servicekit import clock
from servicekit.auth import Principal
from servicekit.errors import ApiError, not_found


async def add_corrective_action(
    session: AsyncSession, principal: Principal, case_id: str, data: CorrectiveActionCreate
) -> CorrectiveAction:
    case = await cases.get(session, principal, case_id)
    action = CorrectiveAction(
        id=str(uuid.uuid4()),
        case_id=case.id,
        description=data.description,
        owner=data.owner,
        due_date=data.due_date,
        status="open",
        created_at=clock.now(session),
    )
    session.add(action)
    cases.add_timeline_entry(
        session, case, principal.subject, "add_corrective_action", case.state, case.state, data.description[:200]
    )
    return action


async def complete_corrective_action(session: AsyncSession, principal: Principal, action_id: str) -> CorrectiveAction:
    action = await session.get(CorrectiveAction, action_id, with_for_update=True)
    if action is None:
        raise not_found("corrective action", action_id)
    case = await cases.get(session, principal, action.case_id)
    if action.status == "done":
        raise ApiError(409, "illegal_transition", "the corrective action is already done", field="status")
    action.status, action.done_at = "done", clock.now(session)
    cases.add_timeline_entry(
        session, case, principal.subject, "complete_corrective_action", case.state, case.state, action.description[:200]
    )
    return action


async def corrective_actions(
    session: AsyncSession, *, status: str | None, overdue_only: bool
) -> list[CorrectiveAction]:
    query = select(CorrectiveAction).order_by(CorrectiveAction.due_date)
    if status:
        query = query.where(CorrectiveAction.status == status)
    if overdue_only:
        query = query.where(CorrectiveAction.status == "open", CorrectiveAction.due_date < clock.now(session).date())
    return list((await session.scalars(query)).all())
