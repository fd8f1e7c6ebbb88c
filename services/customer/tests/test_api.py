"""Customer HTTP API on PostgreSQL and RabbitMQ: validation, auth, R-09 visibility, events via the outbox."""

from __future__ import annotations


import pytest

from customer.app import service
from servicekit.testing import bearer, outbox_events

pytestmark = pytest.mark.integration

AGENT = bearer("alice", "agent", team="east")
OTHER_TEAM = bearer("bob", "agent", team="west")
MANAGER = bearer("meg", "manager")
AUDITOR = bearer("audrey", "auditor")


async def events_for(customer_id: str) -> list[dict]:
    return await outbox_events(service, customer_id)


async def test_create_needs_only_the_company_name_and_emits_registered(client) -> None:
    response = await client.post("/customers", json={"name": "  杭州西湖科技有限公司 "}, headers=AGENT)
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "杭州西湖科技有限公司"
    assert body["number"].startswith("KH-")
    assert (body["customer_type"], body["stage"], body["tier"], body["version"]) == ("potential", "contact", "low", 1)
    [registered] = await events_for(body["id"])
    assert registered["type"] == "customer.registered.v1"
    assert registered["producer"] == "customer"
    assert registered["aggregate_version"] == 1
    assert registered["data"]["number"] == body["number"]
    assert registered["correlation_id"] == response.headers["x-correlation-id"]


async def test_numbers_are_unique_and_sequential(client) -> None:
    numbers = [
        (await client.post("/customers", json={"name": f"Numbering {i}"}, headers=AGENT)).json()["number"]
        for i in range(3)
    ]
    tails = [int(n.rsplit("-", 1)[1]) for n in numbers]
    assert tails == [tails[0], tails[0] + 1, tails[0] + 2]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x", "colour": "red"}, "colour"),
        ({"name": "x", "tier": "platinum"}, "tier"),
        ({"name": "x", "time_zone": "Mars/Olympus"}, "time_zone"),
        ({"name": "x", "language": "Chinese!"}, "language"),
        ({"name": 42}, "name"),
    ],
)
async def test_bad_input_is_422_naming_the_field(client, payload: dict, field: str) -> None:
    response = await client.post("/customers", json=payload, headers=AGENT)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field


async def test_auth_401_without_or_with_bad_token_and_403_for_wrong_role(client) -> None:
    assert (await client.get("/customers")).status_code == 401
    assert (await client.get("/customers", headers={"Authorization": "Bearer forged.token.here"})).status_code == 401
    assert (await client.post("/customers", json={"name": "x"}, headers=AUDITOR)).status_code == 403


async def test_unknown_id_is_404(client) -> None:
    response = await client.get("/customers/00000000-0000-0000-0000-000000000000", headers=AGENT)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


async def test_another_teams_customer_is_hidden_r09(client) -> None:
    created = (await client.post("/customers", json={"name": "East only", "team": "east"}, headers=AGENT)).json()
    assert (await client.get(f"/customers/{created['id']}", headers=OTHER_TEAM)).status_code == 404
    assert (await client.patch(f"/customers/{created['id']}", json={"name": "x"}, headers=OTHER_TEAM)).status_code == 404
    assert (await client.get(f"/customers/{created['id']}", headers=MANAGER)).status_code == 200
    listed = (await client.get("/customers?limit=200", headers=OTHER_TEAM)).json()["items"]
    assert created["id"] not in {c["id"] for c in listed}


async def test_patch_changes_only_what_is_sent_and_emits_one_event_per_kind(client) -> None:
    created = (await client.post("/customers", json={"name": "Patch Co", "industry": "retail"}, headers=AGENT)).json()
    response = await client.patch(
        f"/customers/{created['id']}",
        json={"industry": "manufacturing", "tier": "high", "owner": "alice", "team": "east"},
        headers=MANAGER,
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["industry"], body["tier"], body["version"]) == ("Patch Co", "manufacturing", "high", 2)
    types = [e["type"] for e in await events_for(created["id"])]
    assert types == ["customer.registered.v1", "customer.updated.v1", "customer.classified.v1", "customer.owner_assigned.v1"]
    classified = (await events_for(created["id"]))[2]
    assert classified["data"]["previous"] == {"tier": "low"}
    assert classified["aggregate_version"] == 2

    # owners are set by hand only by a supervisor, manager or admin
    refused = await client.patch(f"/customers/{created['id']}", json={"owner": "bob"}, headers=AGENT)
    assert refused.status_code == 403
    unchanged = await client.patch(f"/customers/{created['id']}", json={"industry": "manufacturing"}, headers=AGENT)
    assert unchanged.json()["version"] == 2
    assert len(await events_for(created["id"])) == 4


async def test_patch_cannot_clear_required_fields(client) -> None:
    created = (await client.post("/customers", json={"name": "Keep Name"}, headers=AGENT)).json()
    for field in ("name", "tier"):
        response = await client.patch(f"/customers/{created['id']}", json={field: None}, headers=AGENT)
        assert response.status_code == 422
        assert response.json()["error"]["field"] == field


async def test_list_pages_with_a_cursor_without_gaps_or_repeats(client) -> None:
    created = {
        (await client.post("/customers", json={"name": f"Page {i}", "team": "paging"}, headers=AGENT)).json()["id"]
        for i in range(7)
    }
    pager = bearer("pat", "agent", team="paging")
    seen: list[str] = []
    cursor = None
    while True:
        url = "/customers?limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = (await client.get(url, headers=pager)).json()
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert created <= set(seen)
    assert len(seen) == len(set(seen))
    assert (await client.get("/customers?cursor=garbage", headers=pager)).json()["error"]["field"] == "cursor"


async def test_callers_correlation_id_travels_into_the_event(client) -> None:
    response = await client.post(
        "/customers", json={"name": "Traced Ltd"}, headers={**AGENT, "X-Correlation-ID": "req-4242-abc"}
    )
    assert response.headers["x-correlation-id"] == "req-4242-abc"
    [registered] = await events_for(response.json()["id"])
    assert registered["correlation_id"] == "req-4242-abc"
