"""Thin HTTP routes -> service: propose, list and decide compensation (R-28)."""

from __future__ import annotations

from fastapi import APIRouter

from complaints.auth import Handler
from complaints.compensations import service
from complaints.compensations.schemas import CompensationCreate, CompensationRead
from servicekit.auth import CurrentPrincipal
from servicekit.fields import Identifier
from servicekit.runtime import DbSession

router = APIRouter(tags=["cases", "compensation"])


@router.post("/cases/{case_id}/compensations", status_code=201, response_model=CompensationRead)
async def propose_compensation(
    case_id: Identifier, body: CompensationCreate, session: DbSession, principal: Handler
) -> object:
    """Within the proposer's approval limit it is approved at once; above it waits for the next level (R-28)."""
    return await service.propose_compensation(session, principal, case_id, body)


@router.get("/cases/{case_id}/compensations", response_model=list[CompensationRead])
async def list_compensations(case_id: Identifier, session: DbSession, principal: CurrentPrincipal) -> object:
    return await service.compensations_of(session, principal, case_id)


@router.post("/compensations/{compensation_id}/approve", response_model=CompensationRead)
async def approve_compensation(compensation_id: Identifier, session: DbSession, principal: Handler) -> object:
    return await service.decide_compensation(session, principal, compensation_id, True)


@router.post("/compensations/{compensation_id}/reject", response_model=CompensationRead)
async def reject_compensation(compensation_id: Identifier, session: DbSession, principal: Handler) -> object:
    return await service.decide_compensation(session, principal, compensation_id, False)
