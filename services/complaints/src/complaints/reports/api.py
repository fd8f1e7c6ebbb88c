"""Thin HTTP route -> service: the monthly review (R-32) as JSON or CSV."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse

from complaints.auth import Reviewer
from complaints.reports import service
from servicekit.errors import ApiError
from servicekit.runtime import DbSession

router = APIRouter(tags=["cases", "reports"])


@router.get(
    "/reports/monthly",
    responses={
        200: {"content": {"application/json": {}, "text/csv": {}}, "description": "JSON, or CSV with format=csv"}
    },
)
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
    rows = await service.monthly_review(session, date(year, number, 1))
    if format == "csv":
        return PlainTextResponse(
            service.to_csv(rows),
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="cases-{month}.csv"'},
        )
    return {"month": month, "rows": rows}
