"""The staff in-app inbox API (R-40): own items only, pages, read state."""

from __future__ import annotations

import uuid

import pytest

from notifier.app import service
from notifier.staff_inbox import service as staff_inbox
from servicekit.testing import bearer

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("notifier_schema")]


async def deliver(staff: str, n: int) -> list[str]:
    async with service.db.session() as session:
        return [
            await staff_inbox.deliver(
                session,
                staff=staff,
                subject=f"投诉升级 {i}",
                text=f"escalation {i}",
                notification_id=str(uuid.uuid4()),
                purpose="service",
            )
            for i in range(n)
        ]


async def test_pages_unread_count_and_marking_read(client) -> None:
    staff = f"s-{uuid.uuid4().hex[:8]}"
    me = bearer(staff, "complaint_handler")
    ids = await deliver(staff, 5)
    await deliver("someone-else", 2)

    first = (await client.get("/inbox", params={"limit": 3}, headers=me)).json()
    assert [str(i["id"]) for i in first["items"]] == ids[::-1][:3]  # newest first
    second = (await client.get("/inbox", params={"limit": 3, "cursor": first["next_cursor"]}, headers=me)).json()
    assert [str(i["id"]) for i in second["items"]] == ids[::-1][3:] and second["next_cursor"] is None

    assert (await client.get("/inbox/unread-count", headers=me)).json() == {"unread": 5}
    read = await client.post(f"/inbox/{ids[0]}/read", headers=me)
    assert read.status_code == 200 and read.json()["read_at"] is not None
    assert (await client.post(f"/inbox/{ids[0]}/read", headers=me)).json()["read_at"] == read.json()["read_at"]
    unread = (await client.get("/inbox", params={"unread_only": True}, headers=me)).json()["items"]
    assert [str(i["id"]) for i in unread] == ids[:0:-1]
    assert (await client.post("/inbox/read-all", headers=me)).json() == {"marked": 4}
    assert (await client.get("/inbox/unread-count", headers=me)).json() == {"unread": 0}


async def test_another_staff_members_item_is_not_found(client) -> None:
    [theirs] = await deliver("owner-of-item", 1)
    response = await client.post(f"/inbox/{theirs}/read", headers=bearer("intruder", "supervisor"))
    assert response.status_code == 404
    assert (await client.get("/inbox", headers=bearer("intruder", "supervisor"))).json()["items"] == []
    assert (await client.post("/inbox/abc/read", headers=bearer("intruder"))).status_code == 422
    assert (await client.get("/inbox")).status_code == 401
