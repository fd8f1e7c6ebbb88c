"""Thin HTTP routes -> service: cases, one endpoint per lifecycle action, compensation, corrective actions,
monthly review."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse

from complaints import reports, service
from complaints.schemas import (
    ActionRequest,
    CaseCreate,
    CaseDetail,
    CaseList,
    CompensationCreate,
    CompensationRead,
    CorrectiveActionCreate,
    CorrectiveActionRead,
    DispatchRequest,
    ReassignRequest,
    ReportRequest,
    SeverityChange,
)
from contracts.events.cases import Department
from servicekit.auth import CurrentPrincipal, Principal, Role, require_roles
from servicekit.errors import ApiError
from servicekit.runtime import DbSession

router = APIRouter(tags=["cases"])

Handler = Annotated[
    Principal,
    require_roles(Role.agent, Role.complaint_handler, Role.order_handler, Role.sales, Role.supervisor, Role.manager,
                  Role.marketing, Role.rnd, Role.vice_president),
]
Reviewer = Annotated[Principal, require_roles(Role.supervisor, Role.manager, Role.vice_president, Role.auditor)]


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
    cases = await service.get_all(session, principal, department=department, state=state, customer_id=customer_id, limit=limit)
    return {"items": [service.read(case) for case in cases]}


@router.get("/cases/{case_id}", response_model=CaseDetail)
async def get_case(case_id: str, session: DbSession, principal: CurrentPrincipal) -> object:
    return await _detail(session, await service.get(session, principal, case_id))


def _action_route(action: str, summary: str) -> None:
    path = "/cases/{case_id}/" + action.replace("_", "-")

    async def endpoint(case_id: str, body: ActionRequest, session: DbSession, principal: Handler) -> object:
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


@router.post("/cases/{case_id}/report", response_model=CaseDetail, summary="Investigation report to the vice-president (R-24)")
async def report(case_id: str, body: ReportRequest, session: DbSession, principal: Handler) -> object:
    return await _detail(session, await service.act(session, principal, case_id, "report", note=body.note, root_cause=body.root_cause))


@router.post("/cases/{case_id}/dispatch", response_model=CaseDetail, summary="Dispatch a service request (R-21)")
async def dispatch(case_id: str, body: DispatchRequest, session: DbSession, principal: Handler) -> object:
    case = await service.act(session, principal, case_id, "dispatch", note=body.note, technician=body.technician, mode=body.mode)
    return await _detail(session, case)


@router.post("/cases/{case_id}/wait-on-customer", response_model=CaseDetail, summary="Pause the SLA clock")
async def wait_on_customer(case_id: str, body: ActionRequest, session: DbSession, principal: Handler) -> object:
    return await _detail(session, await service.set_waiting(session, principal, case_id, True, body.note))


@router.post("/cases/{case_id}/resume", response_model=CaseDetail, summary="Resume the SLA clock")
async def resume(case_id: str, body: ActionRequest, session: DbSession, principal: Handler) -> object:
    return await _detail(session, await service.set_waiting(session, principal, case_id, False, body.note))


@router.post("/cases/{case_id}/reassign", response_model=CaseDetail, summary="Reassign department and owner (R-27)")
async def reassign(case_id: str, body: ReassignRequest, session: DbSession, principal: Handler) -> object:
    return await _detail(session, await service.reassign(session, principal, case_id, body.department, body.owner, body.note))


@router.post("/cases/{case_id}/severity", response_model=CaseDetail, summary="Change severity; deadlines are recomputed")
async def change_severity(case_id: str, body: SeverityChange, session: DbSession, principal: Handler) -> object:
    return await _detail(session, await service.change_severity(session, principal, case_id, body.severity, body.note))


@router.post("/cases/{case_id}/compensations", status_code=201, response_model=CompensationRead, tags=["compensation"])
async def propose_compensation(case_id: str, body: CompensationCreate, session: DbSession, principal: Handler) -> object:
    """Within the proposer's approval limit it is approved at once; above it waits for the next level (R-28)."""
    return await service.propose_compensation(session, principal, case_id, body)


@router.get("/cases/{case_id}/compensations", response_model=list[CompensationRead], tags=["compensation"])
async def list_compensations(case_id: str, session: DbSession, principal: CurrentPrincipal) -> object:
    return await service.compensations_of(session, principal, case_id)


@router.post("/compensations/{compensation_id}/approve", response_model=CompensationRead, tags=["compensation"])
async def approve_compensation(compensation_id: str, session: DbSession, principal: Handler) -> object:
    return await service.decide_compensation(session, principal, compensation_id, True)


@router.post("/compensations/{compensation_id}/reject", response_model=CompensationRead, tags=["compensation"])
async def reject_compensation(compensation_id: str, session: DbSession, principal: Handler) -> object:
    return await service.decide_compensation(session, principal, compensation_id, False)


@router.post("/cases/{case_id}/corrective-actions", status_code=201, response_model=CorrectiveActionRead, tags=["corrective actions"])
async def add_corrective_action(case_id: str, body: CorrectiveActionCreate, session: DbSession, principal: Handler) -> object:
    return await service.add_corrective_action(session, principal, case_id, body)


@router.post("/corrective-actions/{action_id}/complete", response_model=CorrectiveActionRead, tags=["corrective actions"])
async def complete_corrective_action(action_id: str, session: DbSession, principal: Handler) -> object:
    return await service.complete_corrective_action(session, principal, action_id)


@router.get("/corrective-actions", response_model=list[CorrectiveActionRead], tags=["corrective actions"])
async def list_corrective_actions(
    session: DbSession, principal: Reviewer, status: Literal["open", "done"] | None = None, overdue: bool = False
) -> object:
    """R-31 tracking: `?overdue=true` lists open actions past their due date."""
    return await service.corrective_actions(session, status=status, overdue_only=overdue)


@router.get("/reports/monthly", tags=["reports"])
async def monthly_review(
    session: DbSession,
    principal: Reviewer,
    month: Annotated[str, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")],
    format: Literal["json", "csv"] = "json",
) -> object:
    """R-32: closed cases of the month by department and person: timeliness, reopens, compensation."""
    year, number = (int(part) for part in month.split("-"))
    if year < 2000:
        raise ApiError(422, "validation_error", "month: too early", field="month")
    rows = await reports.monthly_review(session, date(year, number, 1))
    if format == "csv":
        return PlainTextResponse(reports.to_csv(rows), media_type="text/csv",
                                 headers={"Content-Disposition": f'attachment; filename="cases-{month}.csv"'})
    return {"month": month, "rows": rows}
