"""Engagement's events on the broker: a need voiced in a contact becomes a need tag (R-04) or, for core needs and a
contact's position, a pending change awaiting a second confirmation (R-05); the last interaction is
`last_contact_at` (R-16), moved only forwards."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from contracts import Envelope, Event
from contracts.events.engagement import LastInteractionChangedV1, NeedChangedV1
from customer.records.models import Customer
from servicekit.testing import app_service, bearer, broker_ready, eventually, publish

MANAGER = bearer("meg", "manager")
LEARNED = datetime(2024, 2, 20, 2, 0, tzinfo=UTC)


def from_engagement(event: Event, aggregate_id: str) -> Envelope:
    return Envelope.wrap(event, producer="engagement", aggregate_id=aggregate_id, aggregate_version=1)


def need(customer_id: str, kind: str, value: str, contact_id: str | None = None) -> Envelope:
    record = str(uuid.uuid4())
    event = NeedChangedV1(
        communication_id=record,
        customer_id=customer_id,
        kind=kind,
        value=value,
        contact_id=contact_id,
        recorded_by="ming",
        learned_at=LEARNED,
    )
    return from_engagement(event, record)


async def test_a_need_change_becomes_a_need_tag_or_a_pending_change(client, new_customer) -> None:
    person = await new_customer()
    service = app_service("customer")
    await broker_ready(service)
    key_needs = need(person.customer_id, "key_needs", "需定制化数据分析系统和数据导出")
    await publish(
        need(person.customer_id, "tag", "数据导出"),
        key_needs,
        key_needs,  # redelivered: still one pending change
        need(person.customer_id, "contact_position", "总经理", person.contact_id),
    )

    async def pending() -> list:
        url = f"/pending-changes?status=pending&customer_id={person.customer_id}"
        items = (await client.get(url, headers=MANAGER)).json()["items"]
        return items if len(items) >= 2 else []

    changes = await eventually(pending)
    by_field = {c["field"]: c for c in changes}
    assert len(changes) == 2
    assert by_field["key_needs"]["new_value"] == "需定制化数据分析系统和数据导出"
    assert (by_field["key_needs"]["requested_by"], by_field["key_needs"]["learned_at"]) == (
        "ming",
        "2024-02-20T02:00:00Z",
    )
    assert (by_field["position"]["contact_id"], by_field["position"]["new_value"]) == (person.contact_id, "总经理")

    async def tagged() -> list:
        return [t for t in (await client.get(f"/customers/{person.customer_id}", headers=MANAGER)).json()["tags"]]

    assert "数据导出" in await eventually(tagged)
    record = (await client.get(f"/customers/{person.customer_id}", headers=MANAGER)).json()
    assert record["key_needs"] == "张三 wants weekly calls"  # unchanged until a second person confirms


async def test_the_last_interaction_moves_last_contact_forwards_only(client, new_customer) -> None:
    person = await new_customer()
    service = app_service("customer")
    await broker_ready(service)
    later, earlier = datetime(2026, 5, 6, 2, 0, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)

    def interaction(at: datetime) -> Envelope:
        event = LastInteractionChangedV1(customer_id=person.customer_id, last_interaction_at=at, kind="communication")
        return from_engagement(event, person.customer_id)

    await publish(interaction(later), interaction(earlier))

    async def last_contact() -> datetime | None:
        async with service.db.session() as session:
            customer = await session.get(Customer, person.customer_id)
            return customer.last_contact_at if customer else None

    assert await eventually(last_contact) == later
    found = await client.get("/customers?last_contact_after=2026-05-01T00:00:00Z", headers=MANAGER)
    assert person.customer_id in {c["id"] for c in found.json()["items"]}
