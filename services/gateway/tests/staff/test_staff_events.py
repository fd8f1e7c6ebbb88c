"""Staff changes are staff.*.v1 events (contact data sealed in the outbox) that reach the notifier's staff
addresses; the directory's admin API names the field of bad input."""

from __future__ import annotations

import os

import pytest
from gateway_helpers import add_staff, unique

from servicekit.testing import bearer, eventually, outbox_events, service_client

pytestmark = pytest.mark.integration


async def test_a_staff_change_reaches_the_notifier_through_the_event(door) -> None:
    os.environ.setdefault("CRM_NOTIFIER_DISPATCHER_ENABLED", "false")
    from notifier.recipients import service as recipients
    from servicekit.testing import app_service

    login = unique("grace")
    supervisor = unique("sue")
    await add_staff(door, supervisor, "supervisor", email="sue@corp.example")
    async with service_client("notifier", broker=True):
        notifier = app_service("notifier")
        staff = await add_staff(door, login, "agent", email="grace@corp.example", supervisor=supervisor)
        events = await outbox_events(door.service, staff["staff"]["id"])
        assert [event["type"] for event in events] == ["staff.registered.v1"]

        async def contacts(expected: str) -> dict | None:
            async with notifier.db.session() as session:
                found = await recipients.staff_contacts(session, login)
            return found if found and found.get("email") == expected else None

        assert await eventually(lambda: contacts("grace@corp.example"), timeout=30)
        changed = await door.client.patch(
            f"/staff/{login}", json={"email": "grace.new@corp.example"}, headers=bearer("root", "admin")
        )
        assert changed.status_code == 200 and changed.json()["version"] == 2
        assert await eventually(lambda: contacts("grace.new@corp.example"), timeout=30)
        await door.client.post(f"/staff/{login}/disable", headers=bearer("root", "admin"))

        async def gone() -> bool:
            async with notifier.db.session() as session:
                return await recipients.staff_contacts(session, login) is None

        assert await eventually(gone, timeout=30)


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
