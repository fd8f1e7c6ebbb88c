"""Likely duplicates over HTTP (only those the caller may see), and merging one into the record that stays."""

from __future__ import annotations

import json
import uuid

import pytest

pytestmark = pytest.mark.integration


@pytest.fixture
def client(module_client):
    return module_client


def headers(subject: str, *roles: str, team: str | None = None) -> dict[str, str]:
    from servicekit.testing import bearer

    return bearer(subject, *roles, team=team)


async def test_duplicates_route_lists_the_other_record(client, seed) -> None:
    tag = uuid.uuid4().hex[:6]
    first = await seed(f"Twin {tag}", phone="+8613911110000")
    second = await seed(f"Other name {tag}", phone="+8613911110000")
    response = await client.get(f"/customers/{first}/duplicates", headers=headers("meg", "manager"))
    assert response.status_code == 200
    assert [(d["customer_id"], d["reason"]) for d in response.json()["items"]] == [(second, "same_phone")]


async def test_merge_moves_contacts_hides_the_merged_record_and_emits_events_on_the_broker(client, seed) -> None:
    from sqlalchemy import select

    from customer.app import service
    from customer.audit.models import AuditEntry
    from customer.contacts.models import Contact
    from customer.records.models import Customer
    from servicekit.testing import Observer, eventually

    tag = uuid.uuid4().hex[:6]
    survivor = await seed(f"Survivor {tag}", phone="+8613922220000")
    merged = await seed(f"Survivor {tag} Ltd", email=f"{tag}@example.com")
    boss = headers("sue", "supervisor")
    async with (
        Observer("customer.merged.v1") as merged_events,
        Observer("customer.contacts_changed.v1") as contact_events,
    ):
        response = await client.post(f"/customers/{survivor}/merge", json={"merged_id": merged}, headers=boss)
        assert response.status_code == 200, response.text
        body = response.json()
        assert len(body["contacts"]) == 2 and sum(c["primary"] for c in body["contacts"]) == 1

        async def merged_seen():
            return [m for m in await merged_events.drain() if json.loads(m.body)["data"]["merged_id"] == merged]

        async def contacts_seen():
            return [m for m in await contact_events.drain() if json.loads(m.body)["aggregate_id"] == survivor]

        [message] = await eventually(merged_seen)
        assert json.loads(message.body)["data"]["survivor_id"] == survivor
        [changed] = await eventually(contacts_seen)
        assert len(json.loads(changed.body)["data"]["contacts"]) == 2
    async with service.db.session() as session:
        assert (await session.get(Customer, merged)).merged_into == survivor
        owners = set(
            (
                await session.scalars(select(Contact.customer_id).where(Contact.customer_id.in_([survivor, merged])))
            ).all()
        )
        assert owners == {survivor}
        actions = set(
            (
                await session.scalars(select(AuditEntry.action).where(AuditEntry.customer_id.in_([survivor, merged])))
            ).all()
        )
        assert {"merge", "merged_into"} <= actions
    listed = (await client.get("/customers", params={"q": f"survivor {tag}"}, headers=boss)).json()["items"]
    assert [item["id"] for item in listed] == [survivor]
    gone = await client.get(f"/customers/{merged}", headers=boss)
    assert gone.status_code == 404 and survivor in gone.json()["error"]["message"]
    # merging again, into itself, or by an agent is refused
    again = await client.post(f"/customers/{survivor}/merge", json={"merged_id": merged}, headers=boss)
    assert again.status_code == 409
    itself = await client.post(f"/customers/{survivor}/merge", json={"merged_id": survivor}, headers=boss)
    assert itself.status_code == 409
    other = await seed(f"Third {tag}")
    agent = await client.post(
        f"/customers/{survivor}/merge", json={"merged_id": other}, headers=headers("al", "agent", team="east")
    )
    assert agent.status_code == 403


async def test_duplicates_of_another_team_are_not_shown(client, seed) -> None:
    tag = uuid.uuid4().hex[:6]
    mine = await seed(f"Mine {tag}", phone="+8613933330000", team="east")
    theirs = await seed(f"Theirs {tag}", phone="+8613933330000", team="west")
    east = await client.get(f"/customers/{mine}/duplicates", headers=headers("al", "agent", team="east"))
    assert east.json()["items"] == []
    manager = await client.get(f"/customers/{mine}/duplicates", headers=headers("meg", "manager"))
    assert [d["customer_id"] for d in manager.json()["items"]] == [theirs]
