"""R-02/R-03 tier rules as data over HTTP, and the classification history of hand changes."""

from __future__ import annotations

from customer.classification import rules as classification
from servicekit.testing import bearer

AGENT = bearer("alice", "agent", team="east")
MANAGER = bearer("meg", "manager")


async def test_default_rules_are_seeded_and_rule_writes_are_checked(client, narrow_tier_rules) -> None:
    seeded = (await client.get("/tier-rules", headers=AGENT)).json()["rules"]
    assert [r["name"] for r in seeded] == [r["name"] for r in classification.DEFAULT_TIER_RULES]
    assert {r["updated_by"] for r in seeded} == {"system"}
    assert (await client.put("/tier-rules", json={"rules": narrow_tier_rules}, headers=AGENT)).status_code == 403
    bad = await client.put(
        "/tier-rules", json={"rules": [{**narrow_tier_rules[0], "conditions": {"revenue_gte": 1}}]}, headers=MANAGER
    )
    assert (bad.status_code, bad.json()["error"]["field"]) == (422, "rules[0].conditions.revenue_gte")
    assert "revenue_gte" in bad.json()["error"]["message"]
    empty = await client.put("/tier-rules", json={"rules": []}, headers=MANAGER)
    assert (empty.status_code, empty.json()["error"]["field"]) == (422, "rules")
    saved = await client.put("/tier-rules", json={"rules": narrow_tier_rules}, headers=MANAGER)
    assert saved.status_code == 200
    assert [r["name"] for r in saved.json()["rules"]] == ["huge", "busy"]


async def test_hand_change_is_recorded_with_who(client, create_customer) -> None:
    cid = (await create_customer(client))["id"]
    await client.patch(f"/customers/{cid}", json={"stage": "cooperation"}, headers=AGENT)
    [entry] = (await client.get(f"/customers/{cid}/classification-history", headers=AGENT)).json()["items"]
    assert entry["changes"] == {"stage": ["contact", "cooperation"]}
    assert entry["reason"] == "changed by hand by alice" and entry["rule_id"] is None
