"""Saved segments (validated filters) and their members, through the caller's R-09 visibility."""

from __future__ import annotations

import uuid

import pytest

from servicekit.testing import bearer

pytestmark = pytest.mark.integration

MARKETING = bearer("mia", "marketing", team="east")
WEST = bearer("bob", "agent", team="west")
MANAGER = bearer("meg", "manager")


@pytest.fixture
def client(module_client):
    return module_client


async def test_segment_lifecycle_and_members_in_pages(client) -> None:
    tag = uuid.uuid4().hex[:6]
    ids = set()
    for i in range(3):
        body = {"name": f"Seg {tag} {i}", "team": "east", "tier": "high", "tags": [f"s{tag}"]}
        ids.add((await client.post("/customers", json=body, headers=MANAGER)).json()["id"])
    await client.post(
        "/customers", json={"name": f"Seg {tag} low", "team": "east", "tags": [f"s{tag}"]}, headers=MANAGER
    )
    created = await client.post(
        "/segments", headers=MARKETING, json={"name": "VIP east", "filters": {"tier": "high", "tags_any": [f"S{tag}"]}}
    )
    assert created.status_code == 201, created.text
    segment = created.json()
    assert segment["filters"] == {"tier": "high", "tags_any": [f"s{tag}"]}
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await client.get(f"/segments/{segment['id']}/members", params=params, headers=MARKETING)).json()
        seen += page["items"]
        if not (cursor := page["next_cursor"]):
            break
    assert {item["id"] for item in seen} == ids and all(item["number"] and item["name"] for item in seen)
    # another team sees none of these east customers through the same segment
    assert (await client.get(f"/segments/{segment['id']}/members", headers=WEST)).json()["items"] == []
    assert any(s["id"] == segment["id"] for s in (await client.get("/segments", headers=WEST)).json()["items"])
    changed = await client.put(
        f"/segments/{segment['id']}",
        headers=MARKETING,
        json={"name": "Low east", "filters": {"tier": "low", "tags_all": [f"s{tag}"]}},
    )
    assert changed.status_code == 200
    members = (await client.get(f"/segments/{segment['id']}/members", headers=MARKETING)).json()["items"]
    assert [m["name"] for m in members] == [f"Seg {tag} low"]
    assert (await client.delete(f"/segments/{segment['id']}", headers=WEST)).status_code == 403  # not the author
    assert (await client.delete(f"/segments/{segment['id']}", headers=MARKETING)).status_code == 204
    assert (await client.get(f"/segments/{segment['id']}", headers=MARKETING)).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "filters": {"tier": "gold"}}, "filters.tier"),
        ({"name": "x", "filters": {"colour": "red"}}, "filters.colour"),
        ({"name": "", "filters": {}}, "name"),
    ],
)
async def test_bad_segments_are_422_naming_the_field(client, body, field) -> None:
    response = await client.post("/segments", json=body, headers=MARKETING)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field
