"""Shared customer fixtures: the migrated schema (once per run) and an HTTP client on the running app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from servicekit.testing import migrate, running

# customer.app is imported inside the fixture: conftests load before the test plugin points
# CRM_CUSTOMER_DATABASE_URL at the run's own database, and the app reads its settings on import


@pytest.fixture(scope="session")
def customer_schema() -> None:
    migrate("customer")


@pytest.fixture
async def client(customer_schema: None) -> AsyncIterator[Any]:
    from customer.app import service

    async with running(service.app) as client:
        yield client


@pytest.fixture(scope="module")  # one app start per module: start/stop is the slow, flaky part
async def module_client(customer_schema: None) -> AsyncIterator[Any]:
    from customer.app import service

    async with running(service.app) as client:
        yield client
