"""Shared complaints fixtures: the migrated schema, a client on the running app, a new case's body."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from servicekit.testing import migrate, service_client


@pytest.fixture(scope="session")
def complaints_schema() -> None:
    """For tests that use the database without the client."""
    migrate("complaints")


@pytest.fixture
async def client() -> AsyncIterator[Any]:
    async with service_client("complaints") as client:
        yield client


@pytest.fixture
def complaint() -> Callable[..., dict[str, object]]:
    """The body of a new hotline complaint from a new customer; keyword arguments replace its fields."""

    def body(**overrides: object) -> dict[str, object]:
        return {
            "kind": "complaint",
            "customer_id": str(uuid.uuid4()),
            "channel": "hotline",
            "content": "包装破损，要求退货",
            **overrides,
        }

    return body
