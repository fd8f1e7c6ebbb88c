"""Thin HTTP routes: crisis mode (R-11); administrators switch it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from engagement.crisis import service
from engagement.crisis.schemas import CrisisModeRead, CrisisSwitchIn
from engagement.responses import ERRORS
from servicekit.auth import CurrentPrincipal, Principal, Role, require_roles
from servicekit.runtime import DbSession

router = APIRouter(prefix="/crisis-mode", tags=["crisis mode"], responses=ERRORS)


@router.get("", response_model=CrisisModeRead)
async def read_crisis_mode(session: DbSession, _: CurrentPrincipal) -> object:
    return await service.read(session)


@router.put("", response_model=CrisisModeRead)
async def switch_crisis_mode(
    body: CrisisSwitchIn, session: DbSession, principal: Annotated[Principal, require_roles(Role.admin)]
) -> object:
    return await service.switch(session, principal, body.on, body.reason)
