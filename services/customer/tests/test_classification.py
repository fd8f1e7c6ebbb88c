"""R-02/R-03 classification: the pure evaluator, and rules as data applied on figures, events and a schedule."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import aio_pika
import pytest
from sqlalchemy import select

from contracts import Envelope
from contracts.events.cases import CaseReceivedV1
from contracts.events.orders import OrderFiguresReportedV1
from customer import classification, scheduled
from customer.app import service
from customer.classification import Rule, RuleError, changes, check_rule, first_match
from customer.models import Customer, TierRule
from servicekit.testing import BROKER_URL, Observer, bearer, eventually, outbox_events

AGENT = bearer("alice", "agent", team="east")
MANAGER = bearer("meg", "manager")
ORDERS = bearer("otto", "order_handler")

RULES = [
    Rule("vip", 10, {"revenue_12m_gte": 1_000_000, "complaints_12m_lte": 2}, {"tier": "high", "service_level": "vip"}),
    Rule("mid", 20, {"orders_12m_gte": 6}, {"tier": "mid"}),
    Rule("survey", 15, {"survey_score_gte": 4.5}, {"service_level": "vip"}),
    Rule("off", 1, {}, {"tier": "low"}, active=False),
]


# --- pure ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("figures", "rule_id"),
    [
        ({"revenue_12m": Decimal("1000000"), "orders_12m": 1, "complaints_12m": 2, "survey_score": None}, "vip"),
        ({"revenue_12m": Decimal("1000000"), "orders_12m": 8, "complaints_12m": 3, "survey_score": None}, "mid"),
        ({"revenue_12m": Decimal("5"), "orders_12m": 1, "complaints_12m": 0, "survey_score": 4.6}, "survey"),
        ({"revenue_12m": Decimal("5"), "orders_12m": 1, "complaints_12m": 0, "survey_score": None}, None),
    ],
)
def test_first_active_rule_by_priority_whose_conditions_all_hold(figures: dict, rule_id: str | None) -> None:
    match = first_match(RULES, figures)
    assert (match.id if match else None) == rule_id


def test_changes_name_only_what_the_rule_changes() -> None:
    assert changes({"tier": "low", "service_level": "vip"}, RULES[0]) == {"tier": ("low", "high")}
    assert changes({"tier": "high", "service_level": "vip"}, RULES[0]) == {}
    assert changes({"tier": "low", "service_level": "normal"}, None) == {}


@pytest.mark.parametrize(
    ("conditions", "sets", "field"),
    [
        ({"revenue_gte": 1}, {"tier": "high"}, "conditions.revenue_gte"),
        ({"orders_12m_gte": "many"}, {"tier": "high"}, "conditions.orders_12m_gte"),
        ({}, {"tier": "platinum"}, "sets.tier"),
        ({}, {"colour": "red"}, "sets.colour"),
        ({}, {}, "sets"),
    ],
)
def test_bad_rules_name_the_field(conditions: dict, sets: dict, field: str) -> None:
    with pytest.raises(RuleError) as raised:
        check_rule(conditions, sets)
    assert raised.value.field == field


def test_default_rules_are_valid() -> None:
    for rule in classification.DEFAULT_TIER_RULES:
        check_rule(rule["conditions"], rule["sets"])


# --- on PostgreSQL and RabbitMQ ------------------------------------------------------------------------

# thresholds no other test's customers reach, so replacing the rule set does not disturb them
TEST_RULES = [
    {"name": "huge", "priority": 10, "conditions": {"revenue_12m_gte": 90_000_000}, "sets": {"tier": "high", "service_level": "vip"}},
    {"name": "busy", "priority": 20, "conditions": {"orders_12m_gte": 9000, "complaints_12m_lte": 0}, "sets": {"tier": "mid"}},
]


async def new_customer(client, **extra: object) -> dict:
    response = await client.post("/customers", json={"name": f"分类测试 {uuid.uuid4().hex[:6]}", **extra}, headers=AGENT)
    assert response.status_code == 201, response.json()
    return response.json()


async def events_of(customer_id: str, event_type: str) -> list[dict]:
    return await outbox_events(service, customer_id, event_type)


async def publish(event: object, aggregate_id: str, version: int) -> None:
    envelope = Envelope.wrap(event, producer="test", aggregate_id=aggregate_id, aggregate_version=version)
    connection = await aio_pika.connect(BROKER_URL)
    async with connection:
        exchange = await (await connection.channel()).get_exchange("crm.events")
        await exchange.publish(aio_pika.Message(envelope.model_dump_json().encode(), message_id=str(envelope.id)), routing_key=envelope.type)


async def test_default_rules_are_seeded_and_rule_writes_are_checked(client) -> None:
    seeded = (await client.get("/tier-rules", headers=AGENT)).json()["rules"]
    assert [r["name"] for r in seeded] == [r["name"] for r in classification.DEFAULT_TIER_RULES]
    assert {r["updated_by"] for r in seeded} == {"system"}
    assert (await client.put("/tier-rules", json={"rules": TEST_RULES}, headers=AGENT)).status_code == 403
    bad = await client.put("/tier-rules", json={"rules": [{**TEST_RULES[0], "conditions": {"revenue_gte": 1}}]}, headers=MANAGER)
    assert (bad.status_code, bad.json()["error"]["field"]) == (422, "rules[0].conditions.revenue_gte")
    assert "revenue_gte" in bad.json()["error"]["message"]
    empty = await client.put("/tier-rules", json={"rules": []}, headers=MANAGER)
    assert (empty.status_code, empty.json()["error"]["field"]) == (422, "rules")
    saved = await client.put("/tier-rules", json={"rules": TEST_RULES}, headers=MANAGER)
    assert saved.status_code == 200
    assert [r["name"] for r in saved.json()["rules"]] == ["huge", "busy"]


async def test_figures_put_reclassifies_with_history_and_event_r03(client) -> None:
    await client.put("/tier-rules", json={"rules": TEST_RULES}, headers=MANAGER)
    customer = await new_customer(client)
    cid = customer["id"]
    assert (await client.put(f"/customers/{cid}/figures", json={"revenue_12m": "1"}, headers=AGENT)).status_code == 403
    bad = await client.put(f"/customers/{cid}/figures", json={"orders_12m": -1}, headers=ORDERS)
    assert (bad.status_code, bad.json()["error"]["field"]) == (422, "orders_12m")
    response = await client.put(f"/customers/{cid}/figures", json={"revenue_12m": "95000000.00", "orders_12m": 3}, headers=ORDERS)
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


async def test_hand_change_is_recorded_with_who(client) -> None:
    cid = (await new_customer(client))["id"]
    await client.patch(f"/customers/{cid}", json={"stage": "cooperation"}, headers=AGENT)
    [entry] = (await client.get(f"/customers/{cid}/classification-history", headers=AGENT)).json()["items"]
    assert entry["changes"] == {"stage": ["contact", "cooperation"]}
    assert entry["reason"] == "changed by hand by alice" and entry["rule_id"] is None


async def test_figures_event_reclassifies_on_the_broker_and_stale_figures_are_ignored(client) -> None:
    await client.put("/tier-rules", json={"rules": TEST_RULES}, headers=MANAGER)
    cid = (await new_customer(client))["id"]

    def figures(revenue: int, orders: int, day: int) -> OrderFiguresReportedV1:
        return OrderFiguresReportedV1(customer_id=cid, revenue_12m=Decimal(revenue), orders_12m=orders,
                                      as_of=date(2026, 11, day), source_system="erp")

    async with Observer("customer.classified.v1") as observer:
        await publish(figures(1000, 9500, 20), cid, 2)

        async def classified() -> list[dict]:
            return [json.loads(m.body) for m in await observer.drain() if json.loads(m.body)["aggregate_id"] == cid]

        [published] = await eventually(classified)
    assert published["data"]["tier"] == "mid"
    # an older report (lower aggregate_version) arriving late changes nothing (rule 5): it would make the tier high
    await publish(figures(95_000_000, 1, 19), cid, 1)
    await publish(figures(2000, 9600, 21), cid, 3)

    async def newest() -> dict | None:
        found = (await client.get(f"/customers/{cid}", headers=AGENT)).json()
        return found if found["figures"]["orders_12m"] == 9600 else None

    found = await eventually(newest)
    assert (found["tier"], found["figures"]["revenue_12m"]) == ("mid", "2000.00")
    async with service.db.session() as session:
        assert (await session.get(Customer, cid)).figures_version == 3
    assert [e["data"]["tier"] for e in await events_of(cid, "customer.classified.v1")] == ["mid"]


async def test_complaint_received_counts_towards_figures(client) -> None:
    cid = (await new_customer(client))["id"]
    case = CaseReceivedV1(case_id=str(uuid.uuid4()), number="TS-2026-000001", customer_id=cid, kind="complaint",
                          channel="hotline", severity="normal", cause_category=None, department="customer_service",
                          owner=None, team=None, received_at=datetime.now(UTC))
    await publish(case, case.case_id, 1)

    async def counted() -> dict | None:
        found = (await client.get(f"/customers/{cid}", headers=AGENT)).json()
        return found if found["figures"]["complaints_12m"] == 1 else None

    assert await eventually(counted)


async def test_scheduled_pass_reclassifies_after_a_rule_change(client) -> None:
    await client.put("/tier-rules", json={"rules": TEST_RULES}, headers=MANAGER)
    cid = (await new_customer(client))["id"]
    await client.put(f"/customers/{cid}/figures", json={"revenue_12m": "7777777"}, headers=ORDERS)
    assert (await client.get(f"/customers/{cid}", headers=AGENT)).json()["tier"] == "low"
    # a manager lowers the bar; nothing changes until the scheduled pass runs
    lowered = [{**TEST_RULES[0], "conditions": {"revenue_12m_gte": 7_000_000, "revenue_12m_lte": 7_777_777}}, TEST_RULES[1]]
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
