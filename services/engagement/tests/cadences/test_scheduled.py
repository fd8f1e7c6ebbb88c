"""Cadences on PostgreSQL and RabbitMQ (R-10 .. R-13, R-19): a registered customer gets its obligations and
generated plans; a logged contact meets them; the obligations pass closes missed windows and opens the next ones;
crisis mode and a cadence change re-plan every customer, an override one; what was logged is kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from engagement.cadences import scheduled
from servicekit.testing import bearer, outbox_events

pytestmark = pytest.mark.integration

MING = bearer("ming", "sales", team="east")
ADMIN = bearer("root", "admin")
MAY_6 = datetime(2026, 5, 6, 2, 0, tzinfo=UTC)  # a Wednesday, 10:00 in Shanghai


async def obligations(client, customer: str, status: str = "open") -> dict[str, dict]:
    items = (await client.get(f"/obligations?customer_id={customer}&status={status}", headers=MING)).json()["items"]
    return {o["rule"]: o for o in items}


async def contact(client, customer: str, channel: str, at: str) -> None:
    body = {"customer_id": customer, "happened_at": at, "channel": channel, "subject": "回访", "summary": "沟通"}
    assert (await client.post("/communications", headers=MING, json=body)).status_code == 201


async def test_high_value_customer_obligations_are_met_by_a_call_and_an_online_contact(
    client, service, register
) -> None:
    service.clock.set(MAY_6)
    registered = MAY_6 - timedelta(hours=2)
    customer = await register(owner="ming", team="east", tier="high", stage="cooperation", registered_at=registered)
    planned = await obligations(client, customer)
    assert set(planned) == {"high_value", "new", "onboarding"}
    assert (planned["high_value"]["contacts"], planned["high_value"]["kinds"]) == (2, ["phone", "online"])
    plans = (await client.get(f"/plans?customer_id={customer}", headers=MING)).json()["items"]
    assert {p["cycle"] for p in plans} >= {"monthly"} and all(p["number"].startswith("JH-") for p in plans)
    new_plan = next(p for p in plans if p["obligation_id"] == planned["new"]["id"])
    assert new_plan["goal"].startswith("build trust")  # R-12 new customer focus
    assert new_plan["execute_on"] == "2026-05-31"

    await contact(client, customer, "phone", "2026-05-06T09:00:00+08:00")
    after_call = await obligations(client, customer, "met")
    assert set(after_call) == {"new", "onboarding"}  # one call: the monthly contact and the onboarding call
    await contact(client, customer, "im", "2026-05-06T09:30:00+08:00")
    assert "high_value" in await obligations(client, customer, "met")
    plans = (await client.get(f"/plans?customer_id={customer}&status=done", headers=MING)).json()["items"]
    assert len(plans) == 3


async def test_a_missed_window_is_announced_and_the_next_one_opens(client, service, register) -> None:
    service.clock.set(MAY_6)
    customer = await register(
        owner="ming", team="east", stage="cooperation", registered_at=datetime(2026, 1, 5, tzinfo=UTC)
    )
    [may] = (await obligations(client, customer)).values()
    june_2 = datetime(2026, 6, 2, tzinfo=UTC)
    assert await scheduled.close_due_obligations(service.db, now=june_2) >= 1
    [missed] = (await obligations(client, customer, "missed")).values()
    assert missed["id"] == may["id"]
    [june] = (await obligations(client, customer)).values()
    assert june["window_start"] == "2026-05-31T16:00:00Z"  # 1 June in Shanghai
    [event] = await outbox_events(service, may["id"], "obligation.missed.v1")
    assert event["data"]["owner"] == "ming"
    not_done = (await client.get(f"/plans?customer_id={customer}&status=not_done", headers=MING)).json()["items"]
    assert [p["obligation_id"] for p in not_done] == [may["id"]]


async def test_crisis_mode_tightens_every_cadence_and_off_restores_it(client, service, register) -> None:
    service.clock.set(MAY_6)
    customer = await register(
        owner="ming", team="east", stage="stable", registered_at=datetime(2024, 1, 15, tzinfo=UTC)
    )
    await contact(client, customer, "visit", "2026-05-05T15:00:00+08:00")
    assert set(await obligations(client, customer, "met")) == {"stable"}
    refused = await client.put("/crisis-mode", headers=MING, json={"on": True, "reason": "疫情"})
    assert refused.status_code == 403
    on = await client.put("/crisis-mode", headers=ADMIN, json={"on": True, "reason": "疫情防控"})
    assert on.status_code == 200 and on.json()["on"] is True
    assert on.json()["history"][0]["changed_by"] == "root"
    while await scheduled.replan_pass(service.db, now=MAY_6):
        pass
    crisis = await obligations(client, customer, "met")
    assert "crisis" in crisis  # the visit this week already counts for the weekly crisis contact
    assert crisis["crisis"]["window_start"] == "2026-05-03T16:00:00Z"
    assert (await client.put("/crisis-mode", headers=ADMIN, json={"on": True, "reason": "again"})).status_code == 409
    await client.put("/crisis-mode", headers=ADMIN, json={"on": False, "reason": "疫情结束"})
    while await scheduled.replan_pass(service.db, now=MAY_6):
        pass
    met = await obligations(client, customer, "met")
    assert {"stable", "crisis"} <= set(met)  # nothing logged is lost
    restored = await client.get(f"/obligations?customer_id={customer}", headers=MING)
    assert {o["rule"] for o in restored.json()["items"] if o["status"] in ("open", "met")} >= {"stable"}
    changed = await outbox_events(service, "crisis-mode", "crisis_mode.changed.v1")
    assert [e["data"]["on"] for e in changed][-2:] == [True, False]


async def test_an_override_lowers_one_customers_cadence(client, service, register) -> None:
    service.clock.set(MAY_6)
    customer = await register(
        owner="ming", team="east", tier="high", stage="stable", registered_at=datetime(2024, 1, 15, tzinfo=UTC)
    )
    assert (await obligations(client, customer))["high_value"]["contacts"] == 2
    colleague = bearer("li", "sales", team="east")
    body = {"period": "quarter", "contacts": 1, "reason": "客户反映联系过于频繁", "until": "2026-12-31"}
    assert (
        await client.put(f"/customers/{customer}/cadence-override", headers=colleague, json=body)
    ).status_code == 403
    set_ = await client.put(f"/customers/{customer}/cadence-override", headers=MING, json=body)
    assert set_.status_code == 200, set_.text
    lowered = (await obligations(client, customer))["high_value"]
    assert (lowered["period"], lowered["contacts"]) == ("quarter", 1)
    history = (await client.get(f"/customers/{customer}/cadence-override", headers=MING)).json()["items"]
    assert history[0]["reason"] == "客户反映联系过于频繁"
    past = await client.put(
        f"/customers/{customer}/cadence-override", headers=MING, json={**body, "until": "2026-01-01"}
    )
    assert (past.status_code, past.json()["error"]["field"]) == (422, "until")
    await client.delete(f"/customers/{customer}/cadence-override", headers=MING)
    assert (await obligations(client, customer))["high_value"]["contacts"] == 2


async def test_an_administrator_changes_the_cadence_and_customers_are_replanned(client, service, register) -> None:
    service.clock.set(MAY_6)
    customer = await register(
        owner="ming", team="east", service_level="vip", registered_at=datetime(2026, 1, 5, tzinfo=UTC)
    )
    current = (await client.get("/cadences", headers=MING)).json()
    vip = {"name": "vip", "when": {"service_level": ["vip"]}, "period": "week", "contacts": 1, "kinds": ["phone"]}
    assert (await client.put("/cadences", headers=MING, json={"rules": [vip]})).status_code == 403
    bad = await client.put("/cadences", headers=ADMIN, json={"rules": [{**vip, "period": "fortnight"}]})
    assert (bad.status_code, bad.json()["error"]["field"]) == (422, "rules[0].period")
    changed = await client.put("/cadences", headers=ADMIN, json={"rules": [*current["rules"], vip]})
    assert changed.json()["version"] == current["version"] + 1
    while await scheduled.replan_pass(service.db, now=MAY_6):
        pass
    assert "vip" in await obligations(client, customer)
    await client.put("/cadences", headers=ADMIN, json={"rules": current["rules"]})
    while await scheduled.replan_pass(service.db, now=MAY_6):
        pass
    assert "vip" not in await obligations(client, customer)
