"""The shared test helpers (servicekit.testing) that service tests use: a running service and its client."""

from __future__ import annotations

import pytest

from servicekit.testing import app_service, service_client

pytestmark = pytest.mark.integration


async def test_service_client_runs_the_migrated_app_until_it_consumes() -> None:
    async with service_client("engagement", broker=True) as client:
        assert app_service("engagement").broker_started
        assert (await client.get("/readyz")).json()["ready"] is True
