"""A broker outage never fails an API write nor loses its event; a database outage is a 503 and not ready."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from customer.app import create_service
from servicekit.settings import common_settings, service_settings
from servicekit.testing import bearer, client_without_lifespan, migrate, running

pytestmark = pytest.mark.integration

AGENT = bearer("alice", "agent", team="east")


@pytest.fixture(scope="module", autouse=True)
def schema() -> None:
    migrate("customer")


async def test_write_succeeds_and_event_waits_while_the_broker_is_down() -> None:
    # nothing listens on port 1: the broker is unreachable for the whole test
    service = create_service(
        common=common_settings().model_copy(update={"broker_url": "amqp://guest:guest@127.0.0.1:1/"})
    )
    async with running(service.app) as client:
        response = await client.post("/customers", json={"name": "Outage Ltd"}, headers=AGENT)
        assert response.status_code == 201
        ready = await client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["checks"]["database"] == "ok"
        assert ready.json()["checks"]["broker"] != "ok"
        outbox = service.tables.outbox
        async with service.db.session() as session:
            row = (await session.execute(select(outbox).where(outbox.c.aggregate_id == response.json()["id"]))).one()
        assert row.event_type == "customer.registered.v1"
        assert row.published_at is None


async def test_database_outage_gives_503_and_not_ready() -> None:
    settings = service_settings("customer").model_copy(
        update={"database_url": "postgresql+asyncpg://postgres@127.0.0.1:1/none"}
    )
    service = create_service(settings=settings)
    # no lifespan: this is a running service whose database has gone away
    async with client_without_lifespan(service.app) as client:
        write = await client.post("/customers", json={"name": "Nobody Home"}, headers=AGENT)
        assert write.status_code == 503
        assert write.json()["error"]["code"] == "database_unavailable"
        ready = await client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["checks"]["database"].startswith("unreachable")
        assert (await client.get("/healthz")).status_code == 200
