"""The local customer read model from customer.* events: cases opened for an unknown customer are linked when
it arrives, and customer.erased.v1 removes identities and free text but keeps the statistics (R-09/R-42)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from complaints.app import service
from complaints.cases import consumers
from complaints.cases.models import Case, CustomerView, TimelineEntry
from contracts import Envelope
from contracts.events.customer import CustomerErasedV1, CustomerOwnerAssignedV1
from servicekit.testing import bearer, broker_ready, customer_registered, eventually, publish, running

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("complaints_schema")]

HANDLER = bearer("alice", "complaint_handler", team="east")


async def deliver(event, customer_id: str, version: int) -> None:
    envelope = Envelope.wrap(event, producer="customer", aggregate_id=customer_id, aggregate_version=version)
    async with service.db.session() as session:
        await consumers.on_customer_event(session, envelope)


async def test_erasure_clears_names_and_case_texts_but_keeps_the_cases() -> None:
    customer_id, bystander = str(uuid.uuid4()), str(uuid.uuid4())
    at = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    await deliver(
        customer_registered(customer_id, number="KH-2026-000902", name="张三商行", registered_at=at),
        customer_id,
        1,
    )
    async with running(service.app) as client:
        ids = []
        for cid in (customer_id, bystander):
            body = {
                "kind": "complaint",
                "customer_id": cid,
                "channel": "hotline",
                "content": "张三 13812345678 包装破损",
                "requested_outcome": "call 张三 back",
            }
            created = await client.post("/cases", json=body, headers=HANDLER)
            assert created.status_code == 201, created.text
            ids.append(created.json()["id"])
            acknowledged = await client.post(
                f"/cases/{ids[-1]}/acknowledge", json={"note": "spoke to 张三"}, headers=HANDLER
            )
            assert acknowledged.status_code == 200, acknowledged.text

    for _ in range(2):  # a repeated erasure changes nothing more
        await deliver(CustomerErasedV1(customer_id=customer_id, erased_at=at), customer_id, 9)

    async with service.db.session() as session:
        view = await session.get(CustomerView, customer_id)
        assert (view.name, view.erased, view.tier) == (None, True, "low")
        erased, kept = [await session.get(Case, cid) for cid in ids]
        assert (erased.content, erased.requested_outcome) == ("erased", None)
        assert (erased.kind, erased.state, erased.severity) == (kept.kind, kept.state, kept.severity)  # statistics stay
        assert (kept.content, kept.requested_outcome) == ("张三 13812345678 包装破损", "call 张三 back")
        notes = {
            row.case_id: row.note
            for row in await session.scalars(select(TimelineEntry).where(TimelineEntry.case_id.in_(ids)))
            if row.action == "acknowledge"
        }
        assert notes == {ids[0]: None, ids[1]: "spoke to 张三"}


async def test_case_for_an_unknown_customer_is_linked_when_the_customer_event_arrives(client, complaint) -> None:
    customer_id = str(uuid.uuid4())
    case = (await client.post("/cases", json=complaint(customer_id=customer_id), headers=HANDLER)).json()
    assert case["tier"] == "unknown"
    registered = Envelope.wrap(
        customer_registered(
            customer_id,
            number="KH-2026-000999",
            name="迟到的客户",
            customer_type="strategic",
            stage="stable",
            tier="high",
            service_level="vip",
            owner="olga",
            team="east",
            registered_at=datetime.now(UTC),
        ),
        producer="customer",
        aggregate_id=customer_id,
        aggregate_version=1,
    )
    await broker_ready(service)
    await publish(registered)

    async def linked() -> dict | None:
        found = (await client.get(f"/cases/{case['id']}", headers=HANDLER)).json()
        return found if found["tier"] == "high" else None

    found = await eventually(linked, timeout=30)
    assert (found["owner"], found["team"]) == ("olga", "east")
    assert found["customer_name"] == "迟到的客户"
    assert "tier_changed" in [e["action"] for e in found["timeline"]]


def assigned(customer_id: str, owner: str, team: str, *, previous: str | None) -> CustomerOwnerAssignedV1:
    return CustomerOwnerAssignedV1(
        customer_id=customer_id, owner=owner, team=team, previous_owner=previous, reason="assigned by hand"
    )


async def test_cases_follow_the_customers_new_owner_and_team_r09(client, complaint) -> None:
    """customer.owner_assigned.v1 moves the customer's cases to the new team: the old team no longer reads them."""
    customer_id = str(uuid.uuid4())
    await deliver(customer_registered(customer_id, owner="amy", team="east"), customer_id, 1)
    case = (await client.post("/cases", json=complaint(customer_id=customer_id), headers=HANDLER)).json()
    assert (case["owner"], case["team"]) == ("amy", "east")
    east, west = bearer("andy", "agent", team="east"), bearer("wes", "agent", team="west")
    assert (await client.get(f"/cases/{case['id']}", headers=east)).status_code == 200
    assert (await client.get(f"/cases/{case['id']}", headers=west)).status_code == 404
    await deliver(assigned(customer_id, "will", "west", previous="amy"), customer_id, 2)
    assert (await client.get(f"/cases/{case['id']}", headers=east)).status_code == 404
    now = (await client.get(f"/cases/{case['id']}", headers=west)).json()
    assert (now["owner"], now["team"]) == ("will", "west")
    listed = (await client.get("/cases", params={"customer_id": customer_id}, headers=east)).json()["items"]
    assert listed == []
    # a stale repeat of the first assignment changes nothing (rule 5)
    await deliver(assigned(customer_id, "amy", "east", previous=None), customer_id, 2)
    assert (await client.get(f"/cases/{case['id']}", headers=west)).status_code == 200


async def test_a_case_opened_before_its_customer_takes_the_customers_team_when_it_arrives_r09(
    client, complaint
) -> None:
    customer_id = str(uuid.uuid4())
    opener = bearer("nora", "complaint_handler", team="north")
    case = (await client.post("/cases", json=complaint(customer_id=customer_id), headers=opener)).json()
    assert case["team"] == "north"  # unknown customer: the opener's team meanwhile
    await deliver(customer_registered(customer_id, owner="sam", team="south"), customer_id, 1)
    async with service.db.session() as session:
        linked = await session.get(Case, case["id"])
        assert (linked.owner, linked.team) == ("sam", "south")
    assert (await client.get(f"/cases/{case['id']}", headers=opener)).status_code == 404
    assert (await client.get(f"/cases/{case['id']}", headers=bearer("sid", "agent", team="south"))).status_code == 200
