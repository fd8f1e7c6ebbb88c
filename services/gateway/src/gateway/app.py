"""The gateway's FastAPI app: `uvicorn gateway.app:app` or `crm serve gateway`. Wiring only."""

from __future__ import annotations

from typing import Any

from gateway.database import kit, whole_metadata
from gateway.keys import api as keys_api
from gateway.keys import service as keys_service
from gateway.openapi import api as openapi_api
from gateway.proxy import api as proxy_api
from gateway.proxy import service as proxy_service
from gateway.service_accounts import api as service_accounts_api
from gateway.sessions import api as sessions_api
from gateway.staff import api as staff_api
from servicekit import tokens
from servicekit.runtime import ServiceRuntime


def create_service(**overrides: Any) -> ServiceRuntime:
    service = ServiceRuntime(
        "gateway",
        metadata=whole_metadata(),
        tables=kit,
        description="The one door: staff directory, logins and tokens, /api/<service>/ to every service",
        **overrides,
    )
    # the gateway verifies tokens with its own key table, not over HTTP to itself
    tokens.verifier().fetch = lambda: keys_service.key_set(service.db)
    for router in (
        sessions_api.router,
        service_accounts_api.router,
        staff_api.router,
        keys_api.router,
        openapi_api.router,
        proxy_api.router,  # last: its /api/{service}/{path} matches what the others do not
    ):
        service.include_router(router)
    service.readiness("upstreams", proxy_service.upstreams_ready, required=False)
    return service


service = create_service()
app = service.app
