"""R-03 figures entered by hand re-classify at once, with history and event."""

from __future__ import annotations

from customer.app import service
from servicekit.testing import bearer, outbox_events

AGENT = bearer("alice", "agent", team="east")
MANAGER = bearer("meg", "manager")
ORDERS = bearer("otto", "order_handler", team="east")  # R-09: the customers' team


async def events_of(customer_id: str, event_type: str) -> list[dict]:
    return await outbox_events(service, customer_id, event_type)


async def test_figures_put_reclassifies_with_history_and_event_r03(client, narrow_tier_rules, create_customer) -> None:
    await client.put("/tier-rules", json={"rules": narrow_tier_rules}, headers=MANAGER)
    customer = await create_customer(client)
    cid = customer["id"]
    assert (await client.put(f"/customers/{cid}/figures", json={"revenue_12m": "1"}, headers=AGENT)).status_code == 403
    bad = await client.put(f"/customers/{cid}/figures", json={"orders_12m": -1}, headers=ORDERS)
    assert (bad.status_code, bad.json()["error"]["field"]) == (422, "orders_12m")
    response = await client.put(
        f"/customers/{cid}/figures", json={"revenue_12m": "95000000.00", "orders_12m": 3}, headers=ORDERS
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["tier"], body["service_level"]) == ("high", "vip")
    assert body["figures"]["orders_12m"] == 3
    [classified] = await events_of(cid, "customer.classified.v1")
    assert classified["data"]["previous"] == {"tier": "low", "service_level": "normal"}
    assert classified["data"]["reason"].startswith("tier rule ")
    history = (await client.get(f"/customers/{cid}/classification-history", headers=AGENT)).json()["items"]
    assert history[-1]["changes"] == {"tier": ["low", "high"], "service_level": ["normal", "vip"]}
    assert history[-1]["rule_id"] and history[-1]["changed_by"] == "system"
