"""Imports a restart interrupted are failed clearly at start-up."""

from __future__ import annotations

import pytest

from customer.app import service
from customer.imports import jobs, scheduled
from servicekit.auth import Principal, Role
from servicekit.testing import bearer

pytestmark = pytest.mark.integration

EAST = bearer("alice", "agent", team="east")


@pytest.fixture
def client(module_client):
    return module_client


async def test_a_job_a_restart_interrupted_is_failed_clearly(client) -> None:
    job = jobs.new_job(
        Principal("alice", frozenset({Role.agent}), "east"),
        "old.csv",
        b"name\nA\n",
        dry_run=False,
        import_valid_rows=False,
        created_at=service.clock(),
    )
    job.status = "running"
    async with service.db.session() as session:
        session.add(job)
    await scheduled.recovery(service.db)()  # what the service runs once at start-up
    body = (await client.get(f"/imports/{job.id}", headers=EAST)).json()
    assert body["status"] == "failed" and body["finished_at"]
    assert "restarted" in body["errors"][0]["message"]
