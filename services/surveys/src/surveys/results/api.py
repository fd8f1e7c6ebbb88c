"""Results (R-34, R-51): a month's figures and the staff scorecard, as JSON or CSV. Figures only (R-09)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse

from servicekit.runtime import DbSession
from surveys.auth import Reviewer, Staff
from surveys.results import service
from surveys.results.schemas import Scorecard, Summary

router = APIRouter(prefix="/results", tags=["results"])
Month = Annotated[str, Query(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM (UTC)")]
_CSV = {200: {"content": {"text/csv": {}}}}


@router.get("/summary", response_model=Summary)
async def month_summary(
    session: DbSession,
    _: Reviewer,
    month: Month,
    kind: str | None = None,
    campaign_id: str | None = None,
    tier: str | None = None,
    customer_type: str | None = None,
) -> Summary:
    return await service.summary(
        session, month=month, kind=kind, campaign_id=campaign_id, tier=tier, customer_type=customer_type
    )


@router.get("/summary.csv", response_class=PlainTextResponse, responses=_CSV)
async def month_summary_csv(
    session: DbSession, _: Reviewer, month: Month, kind: str | None = None
) -> PlainTextResponse:
    result = await service.summary(session, month=month, kind=kind)
    return PlainTextResponse(service.summary_csv(result), media_type="text/csv; charset=utf-8")


@router.get("/staff", response_model=Scorecard)
async def staff_scorecard(session: DbSession, principal: Staff, month: Month) -> Scorecard:
    """Staff see their own evaluations, managers and supervisors their team's (R-51)."""
    return await service.scorecard(session, principal, month=month)


@router.get("/staff.csv", response_class=PlainTextResponse, responses=_CSV)
async def staff_scorecard_csv(session: DbSession, principal: Staff, month: Month) -> PlainTextResponse:
    card = await service.scorecard(session, principal, month=month)
    return PlainTextResponse(service.scorecard_csv(card), media_type="text/csv; charset=utf-8")
