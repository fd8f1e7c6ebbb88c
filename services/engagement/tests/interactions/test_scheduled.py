"""Silent customers (R-16) on PostgreSQL and RabbitMQ: 90 days without an interaction opens one reactivation task,
even with two replicas; an interaction (a case, a communication) restarts the clock; the owner records why."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from engagement.interactions import scheduled
from servicekit.testing import bearer, eventually, outbox_events, publish

pytestmark = pytest.mark.integration

MING = bearer("ming", "sales", team="east")
REGISTERED = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)


async def test_a_customer_silent_for_90_days_gets_one_reactivation_task(
    client, service, register, two_replicas, case_received
) -> None:
    silent = await register(owner="ming", team="east", registered_at=REGISTERED)
    active = await register(owner="ming", team="east", registered_at=REGISTERED)
    await publish(case_received(active, REGISTERED + timedelta(days=40)))

    async def moved() -> bool:
        last = (await client.get(f"/customers/{active}/last-interaction", headers=MING)).json()
        return last["kind"] == "case_received"

    assert await eventually(moved)
    day_91 = REGISTERED + timedelta(days=91)
    await two_replicas(lambda db: scheduled.find_silent(db, now=day_91))
    await scheduled.find_silent(service.db, now=day_91 + timedelta(days=30))  # still silent: no second task
    tasks = (await client.get(f"/reactivation-tasks?customer_id={silent}", headers=MING)).json()["items"]
    assert len(tasks) == 1
    assert (tasks[0]["owner"], tasks[0]["status"]) == ("ming", "open")
    assert (await client.get(f"/reactivation-tasks?customer_id={active}", headers=MING)).json()["items"] == []
    [opened] = await outbox_events(service, silent, "reactivation_task.opened.v1")
    assert opened["data"]["silent_days"] == 91

    bad = await client.post(f"/reactivation-tasks/{tasks[0]['id']}/done", headers=MING, json={"reason_code": "busy"})
    assert (bad.status_code, bad.json()["error"]["field"]) == (422, "reason_code")
    done = await client.post(
        f"/reactivation-tasks/{tasks[0]['id']}/done",
        headers=MING,
        json={"reason_code": "customer_unreachable", "note": "电话无人接听"},
    )
    assert (done.json()["status"], done.json()["reason_code"]) == ("done", "customer_unreachable")
    other_team = bearer("wang", "sales", team="west")
    assert (await client.get(f"/reactivation-tasks?customer_id={silent}", headers=other_team)).json()["items"] == []
