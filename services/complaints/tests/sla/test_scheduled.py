"""The SLA evaluator on PostgreSQL: replicas claim due rows with SKIP LOCKED and act on each breach once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from complaints.app import service
from complaints.sla import scheduled
from servicekit.db import Database
from servicekit.testing import bearer, outbox_events, service_client

pytestmark = pytest.mark.integration

HANDLER = bearer("alice", "complaint_handler", team="east")


async def test_two_evaluators_escalate_each_breach_exactly_once(complaint) -> None:
    async with service_client("complaints") as client:
        ids = [(await client.post("/cases", json=complaint(), headers=HANDLER)).json()["id"] for _ in range(40)]
    later = datetime.now(UTC) + timedelta(hours=2)  # every first response is now overdue
    first, second = Database(service.db.url, service="complaints"), Database(service.db.url, service="complaints")
    for db in (first, second):
        db.session_info.update(service.db.session_info)
    try:
        handled = await asyncio.gather(
            scheduled.evaluate_due(first, now=later, batch_size=7),
            scheduled.evaluate_due(second, now=later, batch_size=7),
        )
    finally:
        await first.dispose()
        await second.dispose()
    assert sum(handled) >= len(ids)
    for cid in ids:
        breaches = [
            e
            for e in await outbox_events(service, cid, "case.sla_breached.v1")
            if e["data"]["target"] == "first_response"
        ]
        escalations = [
            e for e in await outbox_events(service, cid, "case.escalated.v1") if e["data"]["target"] == "first_response"
        ]
        assert len(breaches) == 1, cid
        assert len(escalations) == 1
        assert breaches[0]["data"]["deadline"] < later.isoformat()  # dated at the deadline, not when noticed
