"""The door: identity headers stripped, correlation id passed, unknown service 404, a service down 503 (never a
hang), a body over the limit 413, bodies streamed, and a call that may have landed never tried twice."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from servicekit.testing import free_port

pytestmark = pytest.mark.integration


async def _echo(request: Request) -> JSONResponse:
    body = await request.body()
    return JSONResponse(
        {"headers": dict(request.headers), "path": request.url.path, "query": request.url.query, "size": len(body)}
    )


ECHO = Starlette(routes=[Route("/{path:path}", _echo, methods=["GET", "POST", "PUT", "DELETE"])])


async def test_identity_headers_are_stripped_and_the_correlation_id_passed(bare_door) -> None:
    bare_door.upstreams.apps["customer"] = httpx.ASGITransport(app=ECHO)
    bare_door.service  # noqa: B018
    from gateway.settings import gateway_settings

    gateway_settings().upstreams["customer"] = "http://customer"
    response = await bare_door.client.get(
        "/api/customer/customers/42?x=1",
        headers={
            "X-Forwarded-For": "6.6.6.6",
            "X-User-Id": "admin",
            "X-Roles": "admin",
            "Forwarded": "for=6.6.6.6",
            "Cookie": "crm_refresh=secret",
            "Connection": "close, X-Hop",
            "X-Hop": "1",
            "X-Correlation-Id": "abc123",
        },
    )
    assert response.status_code == 200
    seen = response.json()["headers"]
    assert response.json()["path"] == "/customers/42" and response.json()["query"] == "x=1"
    for header in ("x-user-id", "x-roles", "forwarded", "cookie", "x-hop"):
        assert header not in seen, header
    assert seen["x-correlation-id"] == "abc123" == response.headers["x-correlation-id"]
    assert seen["x-forwarded-for"] == "6.6.6.6"  # the trusted test proxy's hop, not appended to
    big = await bare_door.client.post("/api/customer/upload", content=b"x" * 100_000)
    assert big.status_code == 200 and big.json()["size"] == 100_000


async def test_unknown_service_404_down_503_too_large_413(bare_door) -> None:
    from gateway.settings import gateway_settings

    assert (await bare_door.client.get("/api/nothing/here")).status_code == 404
    gateway_settings().upstreams["customer"] = f"http://127.0.0.1:{free_port()}"
    down = await bare_door.client.get("/api/customer/customers")
    assert down.status_code == 503
    assert down.json()["error"]["code"] == "upstream_unavailable"
    gateway_settings().max_body_bytes = 1000
    too_large = await bare_door.client.post("/api/customer/customers", content=b"x" * 5000)
    assert too_large.status_code == 413
    assert too_large.json()["error"]["code"] == "body_too_large"


class Refusing(httpx.AsyncBaseTransport):
    """Refuses the first connection, then answers: a service restarting."""

    def __init__(self) -> None:
        self.attempts = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.attempts += 1
        if self.attempts == 1:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, headers={"content-type": "application/json"}, stream=httpx.ByteStream(b"{}"))


async def test_only_idempotent_calls_are_tried_again(bare_door) -> None:
    from gateway.settings import gateway_settings

    gateway_settings().upstreams["customer"] = "http://customer"
    refusing = Refusing()
    bare_door.upstreams.apps["customer"] = refusing
    assert (await bare_door.client.get("/api/customer/customers")).status_code == 200
    assert refusing.attempts == 2
    refusing.attempts = 0
    posted = await bare_door.client.post("/api/customer/customers", json={"name": "x"})
    assert posted.status_code == 503
    assert refusing.attempts == 1
