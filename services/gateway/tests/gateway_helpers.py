"""Helpers for the gateway's tests: the in-process upstreams, a test's door, staff and logins."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx

PASSWORD = "correct horse battery staple"


class Upstreams(httpx.AsyncBaseTransport):
    """Routes by host: `http://customer/...` to the customer app; anything else over the network."""

    def __init__(self, apps: dict[str, Any]) -> None:
        self.apps = {name: httpx.ASGITransport(app=app) for name, app in apps.items()}
        self.network = httpx.AsyncHTTPTransport()
        self.calls: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        transport = self.apps.get(request.url.host, self.network)
        return await transport.handle_async_request(request)


@dataclass
class Door:
    client: Any  # httpx client on the gateway app
    service: Any  # the gateway's ServiceRuntime
    upstreams: Upstreams


def unique(login: str) -> str:
    """A login of this test's own: the gateway's database lives for the whole run."""
    return f"{login}-{uuid.uuid4().hex[:8]}"


async def add_staff(door: Door, login: str, *roles: str, **fields: Any) -> dict[str, Any]:
    from servicekit.testing import bearer

    body = {"login": login, "display_name": login.title(), "roles": list(roles) or ["agent"], "password": PASSWORD}
    response = await door.client.post("/staff", json={**body, **fields}, headers=bearer("root", "admin"))
    assert response.status_code == 201, response.text
    return response.json()


async def log_in(door: Door, login: str, password: str = PASSWORD) -> httpx.Response:
    return await door.client.post("/auth/login", json={"login": login, "password": password})
