"""R-08 owners over HTTP: owner rules apply on create and on industry change, unless the owner was set by hand."""

from __future__ import annotations

import uuid

import pytest

from customer.app import service
from servicekit.testing import bearer, outbox_events

pytestmark = pytest.mark.integration

AGENT = bearer("alice", "agent", team="east")
SUPERVISOR = bearer("sue", "supervisor", team="east")
MANAGER = bearer("meg", "manager")


def unique(name: str) -> str:
    return f"{name} {uuid.uuid4().hex[:6]}"


async def events_for(customer_id: str, event_type: str | None = None) -> list[dict]:
    return await outbox_events(service, customer_id, event_type)


async def test_owner_rules_apply_on_create_and_on_industry_change_unless_set_by_hand(client, create_customer) -> None:
    food, tools = unique("食品"), unique("工具")
    rules = {
        "rules": [
            {"priority": 10, "industry": food, "owner": "olga", "team": "east"},
            {"priority": 20, "service_type": tools, "owner": "ivan", "team": "west"},
        ]
    }
    assert (await client.put("/owner-rules", json=rules, headers=AGENT)).status_code == 403
    bad = await client.put("/owner-rules", json={"rules": [{"priority": 1, "owner": "x"}]}, headers=MANAGER)
    assert (bad.status_code, bad.json()["error"]["field"]) == (422, "rules[0]")
    saved = await client.put("/owner-rules", json=rules, headers=MANAGER)
    assert saved.status_code == 200
    rule_id = saved.json()["rules"][0]["id"]

    created = await create_customer(client, industry=food)
    assert (created["owner"], created["team"]) == ("olga", "east")
    [assigned] = await events_for(created["id"], "customer.owner_assigned.v1")
    assert assigned["data"]["reason"] == f"owner rule {rule_id}"

    moved = await client.patch(
        f"/customers/{created['id']}", json={"industry": "other", "service_type": tools}, headers=MANAGER
    )
    assert (moved.json()["owner"], moved.json()["team"]) == ("ivan", "west")

    by_hand = await create_customer(client, headers=MANAGER, industry=food, owner="henry")
    assert by_hand["owner"] == "henry"
    assert (
        await client.put(f"/customers/{by_hand['id']}/owner", json={"owner": "x"}, headers=AGENT)
    ).status_code == 403
    put = await client.put(
        f"/customers/{by_hand['id']}/owner", json={"owner": "olga", "team": "east"}, headers=SUPERVISOR
    )
    assert put.json()["owner"] == "olga"
    kept = await client.patch(f"/customers/{by_hand['id']}", json={"service_type": tools}, headers=MANAGER)
    assert kept.json()["owner"] == "olga"  # chosen by hand: rules no longer move it
    reasons = [e["data"]["reason"] for e in await events_for(by_hand["id"], "customer.owner_assigned.v1")]
    assert reasons == ["assigned by hand by sue"]
