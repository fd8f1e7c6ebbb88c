"""Staff changes are staff.*.v1 events (contact data sealed in the outbox) that reach the notifier's staff
addresses; the directory's admin API names the field of bad input."""

from __future__ import annotations

import asyncio
import os

import pytest
from gateway_helpers import add_staff, unique

from contracts import Envelope
from servicekit.testing import Observer, app_service, bearer, eventually, migrate, outbox_events

pytestmark = pytest.mark.integration


async def test_a_staff_change_reaches_the_notifier_through_the_event(door) -> None:
    """What the broker routes to the notifier's staff-events queue, handled by the notifier's consumer (its own
    tests run the whole consumer over the broker: tests/delivery/test_staff_directory.py)."""
    os.environ.setdefault("CRM_NOTIFIER_DISPATCHER_ENABLED", "false")
    from notifier.recipients import consumers
    from notifier.recipients import service as recipients

    await asyncio.to_thread(migrate, "notifier")
    notifier = app_service("notifier")  # its database only: no consumer of this test takes other tests' events
    login, supervisor = unique("grace"), unique("sue")
    async with Observer("staff.#") as observer:
        await add_staff(door, supervisor, "supervisor", email="sue@corp.example")
        staff = await add_staff(door, login, "agent", email="grace@corp.example", supervisor=supervisor)
        staff_id = staff["staff"]["id"]
        assert [event["type"] for event in await outbox_events(door.service, staff_id)] == ["staff.registered.v1"]
        changed = await door.client.patch(
            f"/staff/{login}", json={"email": "grace.new@corp.example"}, headers=bearer("root", "admin")
        )
        assert changed.status_code == 200 and changed.json()["version"] == 2

        async def both() -> list:
            found = [m for m in await observer.drain() if Envelope.model_validate_json(m.body).aggregate_id == staff_id]
            return found if len(found) >= 2 else []

        received = await eventually(both, timeout=30)
    assert [message.routing_key for message in received] == ["staff.registered.v1", "staff.updated.v1"]
    for message in reversed(received):  # out of order on purpose: the older version must not win
        async with notifier.db.session() as session:
            await consumers.on_staff_event(session, Envelope.model_validate_json(message.body))
    async with notifier.db.session() as session:
        assert await recipients.staff_contacts(session, login) == {"email": "grace.new@corp.example"}
        assert await recipients.supervisor_of(session, login) == supervisor


async def test_bad_directory_input_names_the_field(door) -> None:
    admin = bearer("root", "admin")
    body = {"login": unique("henry"), "display_name": "Henry", "roles": ["agent"]}
    for field, value in (("roles", ["emperor"]), ("time_zone", "Mars/Base"), ("email", "not-an-email")):
        response = await door.client.post("/staff", json={**body, field: value}, headers=admin)
        assert response.status_code == 422, field
        assert response.json()["error"]["field"].startswith(field)
    unknown_boss = await door.client.post("/staff", json={**body, "supervisor": "nobody-here"}, headers=admin)
    assert unknown_boss.status_code == 422 and unknown_boss.json()["error"]["field"] == "supervisor"
    created = await door.client.post("/staff", json=body, headers=admin)
    assert created.status_code == 201 and len(created.json()["password"]) >= 20  # generated, shown once
    assert (await door.client.post("/staff", json=body, headers=admin)).status_code == 409
    assert (await door.client.get("/staff/nobody-at-all", headers=admin)).status_code == 404
    assert (await door.client.post("/staff", json=body, headers=bearer("x", "agent"))).status_code == 403
