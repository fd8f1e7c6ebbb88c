"""Maintenance plans (R-10) through the API: the seed's sample rows (客户维护计划表) entered and read back, the
postponement kept with its reason; bad input; another team's plan is a 404."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from servicekit.testing import bearer

pytestmark = pytest.mark.integration

MING = bearer("ming", "sales", team="east")
QIANG = bearer("qiang", "sales", team="east")
WEST = bearer("wang", "sales", team="west")


async def test_the_seed_plans_are_entered_and_read_back(client, service, register) -> None:
    a = await register(number="KH-2024001", owner="ming", team="east", registered_at=datetime(2024, 1, 15, tzinfo=UTC))
    b = await register(number="KH-2024002", owner="qiang", team="east", registered_at=datetime(2024, 3, 20, tzinfo=UTC))
    service.clock.set(datetime(2024, 5, 1, 2, 0, tzinfo=UTC))
    first = await client.post(
        "/plans",
        headers=MING,
        json={
            "customer_id": a,
            "number": "JH-2024001",
            "cycle": "monthly",
            "goal": "知晓系统使用体验",
            "content": "询问运行稳定性，收集改进建议",
            "execute_on": "2024-05-10",
        },
    )
    assert first.status_code == 201, first.text
    second = await client.post(
        "/plans",
        headers=QIANG,
        json={
            "customer_id": b,
            "number": "JH-2024002",
            "cycle": "quarterly",
            "goal": "挖掘二次合作需求",
            "content": "介绍新产品线，询问合作意向",
            "execute_on": "2024-06-30",
            "note": "需提前准备产品资料",
        },
    )
    assert second.status_code == 201, second.text
    service.clock.set(datetime(2024, 5, 10, 2, 0, tzinfo=UTC))  # the customer is travelling on the day
    plan = first.json()["id"]
    moved = await client.post(
        f"/plans/{plan}/postpone", headers=MING, json={"new_date": "2024-05-12", "reason": "客户出差"}
    )
    assert moved.status_code == 200, moved.text

    jh1 = (await client.get(f"/plans/{plan}", headers=MING)).json()
    assert (jh1["number"], jh1["customer_id"], jh1["cycle"], jh1["owner"]) == ("JH-2024001", a, "monthly", "ming")
    assert (jh1["goal"], jh1["content"]) == ("知晓系统使用体验", "询问运行稳定性，收集改进建议")
    assert (jh1["planned_on"], jh1["execute_on"], jh1["status"]) == ("2024-05-10", "2024-05-12", "postponed")
    [history] = jh1["postponements"]
    assert (history["from_date"], history["to_date"], history["reason"], history["postponed_by"]) == (
        "2024-05-10",
        "2024-05-12",
        "客户出差",
        "ming",
    )
    [jh2] = [
        p
        for p in (await client.get(f"/plans?customer_id={b}", headers=QIANG)).json()["items"]
        if p["source"] == "manual"
    ]
    assert (jh2["number"], jh2["cycle"], jh2["execute_on"], jh2["status"], jh2["note"]) == (
        "JH-2024002",
        "quarterly",
        "2024-06-30",
        "planned",
        "需提前准备产品资料",
    )
    done = await client.post(f"/plans/{plan}/done", headers=MING, json={})
    assert done.json()["status"] == "done"
    again = await client.post(f"/plans/{plan}/postpone", headers=MING, json={"new_date": "2024-05-20", "reason": "x"})
    assert again.status_code == 409
    assert (await client.get(f"/plans/{plan}", headers=WEST)).status_code == 404


async def test_a_postponement_needs_a_reason_and_a_future_date(client, service, register) -> None:
    customer = await register(owner="ming", team="east")
    service.clock.set(datetime(2026, 5, 6, 2, 0, tzinfo=UTC))
    plan = (
        await client.post(
            "/plans",
            headers=MING,
            json={
                "customer_id": customer,
                "cycle": "monthly",
                "goal": "回访",
                "content": "电话回访",
                "execute_on": "2026-05-08",
            },
        )
    ).json()
    assert plan["number"].startswith("JH-")
    no_reason = await client.post(f"/plans/{plan['id']}/postpone", headers=MING, json={"new_date": "2026-05-12"})
    assert (no_reason.status_code, no_reason.json()["error"]["field"]) == (422, "reason")
    past = await client.post(
        f"/plans/{plan['id']}/postpone", headers=MING, json={"new_date": "2026-05-01", "reason": "客户出差"}
    )
    assert (past.status_code, past.json()["error"]["field"]) == (422, "new_date")
    other_team = await client.post(
        "/plans",
        headers=WEST,
        json={"customer_id": customer, "cycle": "monthly", "goal": "g", "content": "c", "execute_on": "2026-05-08"},
    )
    assert other_team.status_code == 404  # another team's customer does not exist for the caller
