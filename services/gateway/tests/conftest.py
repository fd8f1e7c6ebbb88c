"""Gateway fixtures: the gateway app running with its lifespan, and services behind its door in-process.

Upstreams are ASGI apps reached through one httpx transport that picks the app by host name; a host it does
not know is a real connection (so "a service that is down" is a closed local port). Service modules are
imported inside the fixtures: this file loads before the test plugin points the settings at the run's
databases."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from servicekit.testing import app_service, migrate, running, service_client

sys.path.append(str(Path(__file__).resolve().parent))  # gateway_helpers, for the tests (importlib import mode)

from gateway_helpers import Door, Upstreams  # noqa: E402


@pytest.fixture(scope="session")
def gateway_schema() -> None:
    migrate("gateway")


async def _door(apps: dict[str, Any], **settings: Any) -> AsyncIterator[Door]:
    from gateway.proxy.service import FORWARDER
    from gateway.settings import gateway_settings

    await asyncio.to_thread(migrate, "gateway")
    upstreams = Upstreams(apps)
    saved = gateway_settings().model_dump()
    # each test's attempts come from an address of its own (X-Forwarded-For from the trusted test client)
    defaults = {"upstreams": {name: f"http://{name}" for name in apps}, "trusted_proxies": ["127.0.0.1"]}
    for name, value in {**defaults, **settings}.items():
        setattr(gateway_settings(), name, value)
    await FORWARDER.close()
    FORWARDER.transport = upstreams
    try:
        async with service_client("gateway") as client:
            yield Door(client, app_service("gateway"), upstreams)
    finally:
        await FORWARDER.close()
        FORWARDER.transport = None
        for name, value in saved.items():
            setattr(gateway_settings(), name, value)
        app_service("gateway").clock.reset()


@pytest.fixture
async def door() -> AsyncIterator[Door]:
    """The gateway with the customer service (running, its own database) behind `/api/customer/`."""
    await asyncio.to_thread(migrate, "customer")
    customer = app_service("customer")
    async with running(customer.app):
        async for opened in _door({"customer": customer.app}):
            yield opened


@pytest.fixture
async def bare_door() -> AsyncIterator[Door]:
    """The gateway with nothing behind it (tests add echo apps or point upstreams at closed ports)."""
    async for opened in _door({}):
        yield opened
