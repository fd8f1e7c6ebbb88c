"""One API description for every service behind the door, and its docs page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from gateway.openapi.service import JOINED
from gateway.proxy.service import FORWARDER

router = APIRouter()


@router.get("/api/openapi.json", include_in_schema=False)
async def joined_openapi(request: Request) -> dict[str, Any]:
    return await JOINED.get(request.app.openapi(), FORWARDER)


@router.get("/api/docs", include_in_schema=False)
async def docs() -> HTMLResponse:
    return get_swagger_ui_html(openapi_url="/api/openapi.json", title="CRM API")
