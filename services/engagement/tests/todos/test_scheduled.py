"""The overdue pass on PostgreSQL (R-15): two replicas claim due to-dos with SKIP LOCKED; each overdue to-do reminds
its owner once and escalates to the supervisor exactly once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from engagement.todos import scheduled
from servicekit.testing import bearer, outbox_events

pytestmark = pytest.mark.integration

MING = bearer("ming", "sales", team="east")


async def test_an_overdue_to_do_reminds_once_and_escalates_exactly_once_with_two_replicas(
    client, service, register, two_replicas
) -> None:
    customer = await register(owner="ming", team="east")
    service.clock.set(datetime(2026, 6, 1, 2, 0, tzinfo=UTC))  # a Monday, 10:00 in Shanghai
    ids = []
    for n in range(30):
        body = {"customer_id": customer, "title": f"方案 {n}", "working_days": 1}
        ids.append((await client.post("/todos", headers=MING, json=body)).json()["id"])
    closed_in_time = ids.pop()
    for action in ("resolve", "inform"):
        await client.post(f"/todos/{closed_in_time}/{action}", headers=MING, json={})
    holder = client._transport.app.state.calendar
    due = datetime(2026, 6, 2, 2, 0, tzinfo=UTC)
    reminded = await two_replicas(lambda db: scheduled.chase_overdue(db, holder, now=due, batch_size=4))
    assert sum(reminded) == len(ids)
    service.clock.set(due)
    overdue = (await client.get("/todos?overdue=true", headers=MING)).json()["items"]
    assert {t["id"] for t in overdue} >= set(ids)
    later = due + timedelta(days=2)  # past a working day after the due time
    escalated = await two_replicas(lambda db: scheduled.chase_overdue(db, holder, now=later, batch_size=4))
    assert sum(escalated) == len(ids)
    much_later = later + timedelta(days=9)
    assert await two_replicas(lambda db: scheduled.chase_overdue(db, holder, now=much_later)) == [0, 0]
    for todo in ids:
        assert len(await outbox_events(service, todo, "todo.overdue.v1")) == 1
        [escalation] = await outbox_events(service, todo, "todo.escalated.v1")
        assert escalation["data"]["to_roles"] == ["supervisor"]
    assert await outbox_events(service, closed_in_time, "todo.overdue.v1") == []
