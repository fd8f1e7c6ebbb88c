"""The door: `/api/<service>/<path>` to each service. A bearer token is checked here first (a forged one never
reaches a service), and each service still checks it and object-level access itself (R-09)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from gateway.proxy.service import FORWARDER
from servicekit.auth import current_principal

router = APIRouter()
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


@router.api_route("/api/{service}/{path:path}", methods=METHODS, include_in_schema=False)
async def forward(service: str, path: str, request: Request) -> Response:
    if "authorization" in request.headers:
        await current_principal(request)  # 401 here for a forged, expired or unknown-key token
    return await FORWARDER.forward(request, service, path)
