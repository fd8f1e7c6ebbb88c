"""Shared engagement fixtures: the running service with its broker, and customers it knows from events."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from contracts import Envelope
from servicekit.db import Database
from servicekit.testing import app_service, bearer, customer_registered, eventually, publish, service_client


@pytest.fixture
async def client() -> AsyncIterator[Any]:
    async with service_client("engagement", broker=True) as client:
        yield client
    app_service("engagement").clock.reset()


@pytest.fixture
def service() -> Any:
    return app_service("engagement")


Registrar = Callable[..., Awaitable[str]]


@pytest.fixture
def register(client: Any) -> Registrar:
    """Publish customer.registered.v1 as the customer service would; wait until engagement knows the customer."""

    async def registered(customer_id: str | None = None, **fields: Any) -> str:
        customer_id = customer_id or str(uuid.uuid4())
        fields.setdefault("registered_at", datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
        event = customer_registered(customer_id, **fields)
        await publish(Envelope.wrap(event, producer="customer", aggregate_id=customer_id, aggregate_version=1))

        async def known() -> bool:
            # a token built here, not at import: conftests load before the test plugin points settings at the run
            response = await client.get(f"/customers/{customer_id}/last-interaction", headers=bearer("meg", "manager"))
            return response.status_code == 200

        assert await eventually(known), f"engagement never learned of customer {customer_id}"
        return customer_id

    return registered


@pytest.fixture
def two_replicas(service: Any) -> Callable[[Callable[[Database], Awaitable[int]]], Awaitable[list[int]]]:
    """Run a scheduled pass as two replicas at once: two connection pools on the run's database."""

    async def run(job: Callable[[Database], Awaitable[int]]) -> list[int]:
        first, second = Database(service.db.url, service="engagement"), Database(service.db.url, service="engagement")
        for db in (first, second):
            db.session_info.update(service.db.session_info)
        try:
            return list(await asyncio.gather(job(first), job(second)))
        finally:
            await first.dispose()
            await second.dispose()

    return run


@pytest.fixture
def case_received() -> Callable[..., Envelope]:
    """A case.received.v1 as the complaints service publishes it, for a customer at a time."""
    from contracts.events.cases import CaseReceivedV1

    def received(customer_id: str, at: datetime, kind: str = "inquiry") -> Envelope:
        case_id = str(uuid.uuid4())
        event = CaseReceivedV1(
            case_id=case_id,
            number="TS-2026-000001",
            customer_id=customer_id,
            kind=kind,
            channel="hotline",
            severity="normal",
            cause_category=None,
            department="customer_service",
            owner=None,
            team=None,
            received_at=at,
        )
        return Envelope.wrap(event, producer="complaints", aggregate_id=case_id, aggregate_version=1)

    return received
