"""Shared complaints fixtures: the migrated schema (once per run), a client on the running app, a new case's body."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from servicekit.testing import migrate, running

# complaints.app is imported inside the fixture: conftests load before the test plugin points
# CRM_COMPLAINTS_DATABASE_URL at the run's own database, and the app reads its settings on import


@pytest.fixture(scope="session")
def complaints_schema() -> None:
    migrate("complaints")


@pytest.fixture
async def client(complaints_schema: None) -> AsyncIterator[Any]:
    from complaints.app import service

    async with running(service.app) as client:
        yield client


@pytest.fixture
def complaint() -> Callable[..., dict[str, object]]:
    """The body of a new hotline complaint from a new customer; keyword arguments replace its fields."""

    def body(**overrides: object) -> dict[str, object]:
        return {"kind": "complaint", "customer_id": str(uuid.uuid4()), "channel": "hotline", "content": "包装破损，要求退货", **overrides}

    return body
