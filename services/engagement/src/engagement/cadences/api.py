"""Thin HTTP routes: the cadence policy (administrators change it, R-11) and customers' contact obligations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select

from engagement.cadences import service
from engagement.cadences.models import Obligation
from engagement.cadences.schemas import CadencesPut, CadencesRead, ObligationList
from engagement.responses import ERRORS
from servicekit.auth import CurrentPrincipal, Principal, Role, account_filter, require_roles
from servicekit.runtime import DbSession

router = APIRouter(tags=["cadences"], responses=ERRORS)
Admin = Annotated[Principal, require_roles(Role.admin)]


@router.get("/cadences", response_model=CadencesRead)
async def read_cadences(session: DbSession, _: CurrentPrincipal) -> object:
    return await service.load_policy(session)


@router.put("/cadences", response_model=CadencesRead)
async def change_cadences(body: CadencesPut, session: DbSession, principal: Admin) -> object:
    """A new policy version; affected customers are re-planned by the re-plan pass within seconds."""
    return await service.change_policy(
        session,
        by=principal.subject,
        rules_data=[r.model_dump() for r in body.rules],
        crisis_rules_data=[r.model_dump() for r in body.crisis_rules] if body.crisis_rules else None,
    )


@router.get("/obligations", response_model=ObligationList)
async def list_obligations(
    session: DbSession,
    principal: CurrentPrincipal,
    customer_id: Annotated[str | None, Query(max_length=36)] = None,
    status: Annotated[str | None, Query(pattern="^(open|met|missed|cancelled)$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> object:
    query = select(Obligation).order_by(Obligation.window_start, Obligation.rule).limit(limit)
    if customer_id:
        query = query.where(Obligation.customer_id == customer_id)
    if status:
        query = query.where(Obligation.status == status)
    visible = account_filter(principal, Obligation.owner, Obligation.team)
    if visible is not None:
        query = query.where(visible)
    return {"items": list((await session.scalars(query)).all())}
