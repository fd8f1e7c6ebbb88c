"""Thin HTTP routes -> service: corrective actions tracked to done (R-31)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter

from complaints.auth import Handler, Reviewer
from complaints.corrective_actions import service
from complaints.corrective_actions.schemas import CorrectiveActionCreate, CorrectiveActionRead
from servicekit.fields import Identifier
from servicekit.runtime import DbSession

router = APIRouter(tags=["cases", "corrective actions"])


@router.post("/cases/{case_id}/corrective-actions", status_code=201, response_model=CorrectiveActionRead)
async def add_corrective_action(
    case_id: Identifier, body: CorrectiveActionCreate, session: DbSession, principal: Handler
) -> object:
    return await service.add_corrective_action(session, principal, case_id, body)


@router.post("/corrective-actions/{action_id}/complete", response_model=CorrectiveActionRead)
async def complete_corrective_action(action_id: Identifier, session: DbSession, principal: Handler) -> object:
    return await service.complete_corrective_action(session, principal, action_id)


@router.get("/corrective-actions", response_model=list[CorrectiveActionRead])
async def list_corrective_actions(
    session: DbSession, principal: Reviewer, status: Literal["open", "done"] | None = None, overdue: bool = False
) -> object:
    """R-31 tracking: `?overdue=true` lists open actions past their due date."""
    return await service.corrective_actions(session, status=status, overdue_only=overdue)
