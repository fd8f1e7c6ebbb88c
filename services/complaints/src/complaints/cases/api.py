"""Thin HTTP routes -> service: cases, one endpoint per lifecycle action, pausing, reassignment, severity."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from complaints.auth import Handler
from complaints.cases import service
from complaints.cases.schemas import (
    ActionRequest,
    CaseCreate,
    CaseDetail,
    CaseList,
    DispatchRequest,
    ReassignRequest,
    ReportRequest,
    SeverityChange,
)
from contracts.events.cases import Department
from servicekit.auth import CurrentPrincipal
from servicekit.fields import Identifier
from servicekit.runtime import DbSession

router = APIRouter(tags=["cases"])


async def _detail(session: DbSession, case: object) -> dict[str, object]:
    return await service.detail(session, case)  # type: ignore[arg-type]


@router.post("/cases", status_code=201, response_model=CaseDetail)
async def open_case(body: CaseCreate, session: DbSession, principal: Handler) -> object:
    return await _detail(session, await service.open_case(session, principal, body))


@router.get("/cases", response_model=CaseList)
async def list_cases(
    session: DbSession,
    principal: CurrentPrincipal,
    department: Department | None = None,
    state: Annotated[str | None, Query(max_length=30)] = None,
    customer_id: Annotated[str | None, Query(max_length=36)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> object:
    """A department's queue with `?department=rnd`, a customer's cases with `?customer_id=`."""
    cases = await service.get_all(
        session, principal, department=department, state=state, customer_id=customer_id, limit=limit
    )
    return {"items": [service.read(case) for case in cases]}


@router.get("/cases/{case_id}", response_model=CaseDetail)
async def get_case(case_id: Identifier, session: DbSession, principal: CurrentPrincipal) -> object:
    return await _detail(session, await service.get(session, principal, case_id))


def _action_route(action: str, summary: str) -> None:
    path = "/cases/{case_id}/" + action.replace("_", "-")

    async def endpoint(case_id: Identifier, body: ActionRequest, session: DbSession, principal: Handler) -> object:
        return await _detail(session, await service.act(session, principal, case_id, action, note=body.note))

    router.add_api_route(path, endpoint, methods=["POST"], response_model=CaseDetail, summary=summary, name=action)


for _action, _summary in (
    ("acknowledge", "First response to the customer (R-23)"),
    ("investigate", "Start the investigation"),
    ("propose_resolution", "Propose the resolution to the customer"),
    ("accept", "The customer accepted the resolution (R-25)"),
    ("reject", "The customer refused: close and open a linked case (R-29)"),
    ("close", "Close an accepted case"),
    ("mark_unfounded", "Close as unfounded (R-30)"),
    ("approve_service", "Manager approves remote or out-of-town service (R-21)"),
    ("start_service", "The technician starts the service"),
    ("sign_off", "The customer signed off the service"),
    ("archive", "Archive a signed-off service request"),
):
    _action_route(_action, _summary)


@router.post(
    "/cases/{case_id}/report", response_model=CaseDetail, summary="Investigation report to the vice-president (R-24)"
)
async def report(case_id: Identifier, body: ReportRequest, session: DbSession, principal: Handler) -> object:
    return await _detail(
        session, await service.act(session, principal, case_id, "report", note=body.note, root_cause=body.root_cause)
    )


@router.post("/cases/{case_id}/dispatch", response_model=CaseDetail, summary="Dispatch a service request (R-21)")
async def dispatch(case_id: Identifier, body: DispatchRequest, session: DbSession, principal: Handler) -> object:
    case = await service.act(
        session, principal, case_id, "dispatch", note=body.note, technician=body.technician, mode=body.mode
    )
    return await _detail(session, case)


@router.post("/cases/{case_id}/wait-on-customer", response_model=CaseDetail, summary="Pause the SLA clock")
async def wait_on_customer(case_id: Identifier, body: ActionRequest, session: DbSession, principal: Handler) -> object:
    return await _detail(session, await service.set_waiting(session, principal, case_id, True, body.note))


@router.post("/cases/{case_id}/resume", response_model=CaseDetail, summary="Resume the SLA clock")
async def resume(case_id: Identifier, body: ActionRequest, session: DbSession, principal: Handler) -> object:
    return await _detail(session, await service.set_waiting(session, principal, case_id, False, body.note))


@router.post("/cases/{case_id}/reassign", response_model=CaseDetail, summary="Reassign department and owner (R-27)")
async def reassign(case_id: Identifier, body: ReassignRequest, session: DbSession, principal: Handler) -> object:
    return await _detail(
        session, await service.reassign(session, principal, case_id, body.department, body.owner, body.note)
    )


@router.post(
    "/cases/{case_id}/severity", response_model=CaseDetail, summary="Change severity; deadlines are recomputed"
)
async def change_severity(case_id: Identifier, body: SeverityChange, session: DbSession, principal: Handler) -> object:
    return await _detail(session, await service.change_severity(session, principal, case_id, body.severity, body.note))
