"""Keeping up with customers on the broker (R-08, R-09, R-42): an owner change moves open plans, obligations and
to-dos to the new owner; a merge re-points them to the survivor; erasure clears free text and keeps the counts;
a stale event is ignored; an open complaint changes the conversation (R-12)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from contracts import Envelope
from contracts.events.cases import CaseClosedV1
from contracts.events.customer import CustomerErasedV1, CustomerMergedV1, CustomerOwnerAssignedV1
from servicekit.testing import bearer, eventually, publish

pytestmark = pytest.mark.integration

MING = bearer("ming", "sales", team="east")
MANAGER = bearer("meg", "manager")
MAY_6 = datetime(2026, 5, 6, 2, 0, tzinfo=UTC)


def customer_event(event, customer_id: str, version: int) -> Envelope:
    return Envelope.wrap(event, producer="customer", aggregate_id=customer_id, aggregate_version=version)


async def seed_work(client, customer: str) -> tuple[str, str]:
    body = {
        "customer_id": customer,
        "happened_at": "2026-05-06T09:00:00+08:00",
        "channel": "phone",
        "subject": "张三来电",
        "summary": "张三希望下周回电",
        "feedback": "满意",
        "todos": [{"title": "给张三回电", "working_days": 2}],
    }
    record = (await client.post("/communications", headers=MING, json=body)).json()
    return record["id"], record["todos"][0]["id"]


async def test_an_owner_change_moves_the_open_work(client, service, register) -> None:
    service.clock.set(MAY_6)
    customer = await register(owner="ming", team="east", tier="high", registered_at=datetime(2026, 1, 5, tzinfo=UTC))
    _, todo = await seed_work(client, customer)  # one call: the high-value cadence still owes an online contact
    stale = CustomerOwnerAssignedV1(customer_id=customer, owner="old", team="east", previous_owner=None, reason="x")
    moved = CustomerOwnerAssignedV1(customer_id=customer, owner="wang", team="west", previous_owner="ming", reason="r")
    await publish(customer_event(moved, customer, 3), customer_event(stale, customer, 2))

    async def owner_of_todo() -> str | None:
        found = (await client.get(f"/todos/{todo}", headers=MANAGER)).json()
        return found["owner"] if found["owner"] == "wang" else None

    assert await eventually(owner_of_todo) == "wang"
    wang = bearer("wang", "sales", team="west")
    open_obligations = (await client.get(f"/obligations?customer_id={customer}&status=open", headers=wang)).json()
    assert open_obligations["items"] and {o["owner"] for o in open_obligations["items"]} == {"wang"}
    plans = (await client.get(f"/plans?customer_id={customer}&status=planned", headers=wang)).json()["items"]
    assert plans and {p["owner"] for p in plans} == {"wang"}
    # the old team no longer sees the customer; the communication's history went with it
    assert (await client.get(f"/customers/{customer}/last-interaction", headers=MING)).status_code == 404
    assert (await client.get(f"/communications?customer_id={customer}", headers=wang)).json()["items"]


async def test_a_merge_repoints_the_work_to_the_survivor(client, service, register) -> None:
    service.clock.set(MAY_6)
    survivor = await register(owner="ming", team="east", registered_at=datetime(2026, 1, 5, tzinfo=UTC))
    merged = await register(owner="ming", team="east", registered_at=datetime(2026, 1, 5, tzinfo=UTC))
    record, todo = await seed_work(client, merged)
    await publish(customer_event(CustomerMergedV1(survivor_id=survivor, merged_id=merged), survivor, 2))

    async def repointed() -> bool:
        found = (await client.get(f"/todos/{todo}", headers=MING)).json()
        return found["customer_id"] == survivor

    assert await eventually(repointed)
    assert (await client.get(f"/communications/{record}", headers=MING)).json()["customer_id"] == survivor
    met = (await client.get(f"/obligations?customer_id={survivor}&status=met", headers=MING)).json()["items"]
    assert "new" in {o["rule"] for o in met}  # the contact logged with the merged record counts for the survivor
    assert (await client.get(f"/customers/{merged}/last-interaction", headers=MING)).status_code == 404


async def test_erasure_clears_free_text_and_keeps_counts(client, service, register) -> None:
    service.clock.set(MAY_6)
    customer = await register(owner="ming", team="east", registered_at=datetime(2026, 1, 5, tzinfo=UTC))
    record, todo = await seed_work(client, customer)
    await publish(customer_event(CustomerErasedV1(customer_id=customer, erased_at=MAY_6), customer, 9))

    async def erased() -> dict:
        found = (await client.get(f"/communications/{record}", headers=MANAGER)).json()
        return found if found["summary"] == "erased" else {}

    after = await eventually(erased)
    assert (after["subject"], after["feedback"], after["channel"]) == ("erased", None, "phone")
    erased_todo = (await client.get(f"/todos/{todo}", headers=MANAGER)).json()
    assert (erased_todo["title"], erased_todo["status"]) == ("erased", "cancelled")
    assert (await client.get(f"/obligations?customer_id={customer}&status=open", headers=MANAGER)).json()["items"] == []


async def test_an_open_complaint_turns_the_conversation_to_it(client, service, register, case_received) -> None:
    service.clock.set(MAY_6)
    customer = await register(owner="ming", team="east", registered_at=datetime(2026, 1, 5, tzinfo=UTC))
    received = case_received(customer, MAY_6, kind="complaint")
    case_id = received.payload().case_id
    await publish(received)

    async def complaining() -> list:
        items = (await client.get(f"/obligations?customer_id={customer}&status=open", headers=MING)).json()["items"]
        return [o for o in items if o["focus"] == "complaining"]

    assert await eventually(complaining)
    plans = (await client.get(f"/plans?customer_id={customer}&status=planned", headers=MING)).json()["items"]
    assert any(p["channel"] == "video" and "complaint progress" in p["content"] for p in plans)
    closed = CaseClosedV1(
        case_id=case_id, number="TS-2026-000002", customer_id=customer, outcome="resolved", closed_at=MAY_6
    )
    await publish(Envelope.wrap(closed, producer="complaints", aggregate_id=case_id, aggregate_version=5))

    async def calm() -> bool:
        items = (await client.get(f"/obligations?customer_id={customer}&status=open", headers=MING)).json()["items"]
        return bool(items) and all(o["focus"] == "new" for o in items)

    assert await eventually(calm)
