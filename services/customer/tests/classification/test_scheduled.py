"""R-03 the scheduled re-classification pass."""

from __future__ import annotations

from sqlalchemy import select

from customer.app import service
from customer.classification import scheduled
from customer.classification.models import TierRule
from servicekit.testing import bearer

AGENT = bearer("alice", "agent", team="east")
MANAGER = bearer("meg", "manager")
ORDERS = bearer("otto", "order_handler", team="east")  # R-09: the customers' team


async def test_scheduled_pass_reclassifies_after_a_rule_change(client, narrow_tier_rules, create_customer) -> None:
    await client.put("/tier-rules", json={"rules": narrow_tier_rules}, headers=MANAGER)
    cid = (await create_customer(client))["id"]
    await client.put(f"/customers/{cid}/figures", json={"revenue_12m": "7777777"}, headers=ORDERS)
    assert (await client.get(f"/customers/{cid}", headers=AGENT)).json()["tier"] == "low"
    # a manager lowers the bar; nothing changes until the scheduled pass runs
    lowered = [
        {**narrow_tier_rules[0], "conditions": {"revenue_12m_gte": 7_000_000, "revenue_12m_lte": 7_777_777}},
        narrow_tier_rules[1],
    ]
    await client.put("/tier-rules", json=({"rules": lowered}), headers=MANAGER)
    changed = await scheduled.reclassify_all(service.db, batch_size=7)
    assert changed >= 1
    found = (await client.get(f"/customers/{cid}", headers=AGENT)).json()
    assert (found["tier"], found["service_level"]) == ("high", "vip")
    assert await scheduled.reclassify_all(service.db, batch_size=7) == 0  # a second pass finds nothing to do
    async with service.db.session() as session:
        assert (await session.scalars(select(TierRule))).all()


async def test_scheduled_job_skips_the_run_at_start() -> None:
    calls: list[int] = []

    async def job() -> None:
        calls.append(1)

    run = scheduled.after_first_interval(job)
    await run()
    assert calls == []  # the runtime calls every job at once on start
    await run()
    await run()
    assert calls == [1, 1]
