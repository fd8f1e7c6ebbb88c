"""R-03 figures reported by other systems (order figures, complaints received) arrive on the broker."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from contracts import Envelope, Event
from contracts.events.cases import CaseReceivedV1
from contracts.events.orders import OrderFiguresReportedV1
from customer.app import service
from customer.records.models import Customer
from servicekit.testing import Observer, bearer, broker_ready, eventually, outbox_events, publish

AGENT = bearer("alice", "agent", team="east")
MANAGER = bearer("meg", "manager")


async def events_of(customer_id: str, event_type: str) -> list[dict]:
    return await outbox_events(service, customer_id, event_type)


def envelope(event: Event, aggregate_id: str, version: int) -> Envelope:
    return Envelope.wrap(event, producer="test", aggregate_id=aggregate_id, aggregate_version=version)


async def test_figures_event_reclassifies_on_the_broker_and_stale_figures_are_ignored(
    client, narrow_tier_rules, create_customer
) -> None:
    await client.put("/tier-rules", json={"rules": narrow_tier_rules}, headers=MANAGER)
    cid = (await create_customer(client))["id"]
    await broker_ready(service)

    def figures(revenue: int, orders: int, day: int) -> OrderFiguresReportedV1:
        return OrderFiguresReportedV1(
            customer_id=cid,
            revenue_12m=Decimal(revenue),
            orders_12m=orders,
            as_of=date(2026, 11, day),
            source_system="erp",
        )

    async with Observer("customer.classified.v1") as observer:
        await publish(envelope(figures(1000, 9500, 20), cid, 2))

        async def classified() -> list[dict]:
            return [json.loads(m.body) for m in await observer.drain() if json.loads(m.body)["aggregate_id"] == cid]

        [published] = await eventually(classified)
    assert published["data"]["tier"] == "mid"
    # an older report (lower aggregate_version) arriving late changes nothing (rule 5): it would make the tier high
    await publish(envelope(figures(95_000_000, 1, 19), cid, 1))
    await publish(envelope(figures(2000, 9600, 21), cid, 3))

    async def newest() -> dict | None:
        found = (await client.get(f"/customers/{cid}", headers=AGENT)).json()
        return found if found["figures"]["orders_12m"] == 9600 else None

    found = await eventually(newest)
    assert (found["tier"], found["figures"]["revenue_12m"]) == ("mid", "2000.00")
    async with service.db.session() as session:
        assert (await session.get(Customer, cid)).figures_version == 3
    assert [e["data"]["tier"] for e in await events_of(cid, "customer.classified.v1")] == ["mid"]


async def test_complaint_received_counts_towards_figures(client, create_customer) -> None:
    cid = (await create_customer(client))["id"]
    await broker_ready(service)
    case = CaseReceivedV1(
        case_id=str(uuid.uuid4()),
        number="TS-2026-000001",
        customer_id=cid,
        kind="complaint",
        channel="hotline",
        severity="normal",
        cause_category=None,
        department="customer_service",
        owner=None,
        team=None,
        received_at=datetime.now(UTC),
    )
    await publish(envelope(case, case.case_id, 1))

    async def counted() -> dict | None:
        found = (await client.get(f"/customers/{cid}", headers=AGENT)).json()
        return found if found["figures"]["complaints_12m"] == 1 else None

    assert await eventually(counted)
