"""Customer exports: the filtered list (the filters of `GET /customers`) as CSV or XLSX."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse

from customer.exports import service
from customer.search.service import filters_from_query
from servicekit.auth import CurrentPrincipal

router = APIRouter(tags=["exports"])


@router.get(
    "/exports/customers",
    response_class=Response,
    responses={200: {"content": {media: {} for media in service.MEDIA_TYPES.values()}, "description": "the file"}},
)
async def export_customers(
    request: Request, principal: CurrentPrincipal, format: Literal["csv", "xlsx"] = "csv"
) -> Response:
    filters = filters_from_query(request.query_params)
    db = request.app.state.service.db
    name = f'attachment; filename="customers.{format}"'
    if format == "xlsx":
        body = await service.xlsx_bytes(db, principal, filters)
        return Response(body, media_type=service.MEDIA_TYPES["xlsx"], headers={"Content-Disposition": name})
    return StreamingResponse(
        service.csv_chunks(db, principal, filters),
        media_type=service.MEDIA_TYPES["csv"],
        headers={"Content-Disposition": name},
    )
