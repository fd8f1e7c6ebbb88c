"""Follow-ups from customer events on the real broker: customer.registered.v1 plans the R-11 onboarding call once,
the list respects teams, and customer.erased.v1 removes the personal content of follow-ups and keeps their counts
(R-09/R-42)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from contracts import Envelope
from contracts.events.customer import CustomerErasedV1
from servicekit.testing import bearer, customer_registered, eventually, publish, service_client

pytestmark = pytest.mark.integration

MANAGER = bearer("meg", "manager")


def registered(customer_id: str, team: str | None = None) -> Envelope:
    return wrap(customer_registered(customer_id, number="KH-2026-000777", team=team), customer_id, 1)


def wrap(event, customer_id: str, version: int) -> Envelope:
    return Envelope.wrap(event, producer="customer", aggregate_id=customer_id, aggregate_version=version)


async def test_registered_customer_gets_one_onboarding_call_even_when_redelivered() -> None:
    customer_id = str(uuid.uuid4())
    envelope = registered(customer_id)
    async with service_client("engagement", broker=True) as client:
        await publish(envelope)
        await publish(envelope)  # the same event again: no second follow-up

        async def followups() -> list:
            return (await client.get(f"/followups?customer_id={customer_id}", headers=MANAGER)).json()["items"]

        items = await eventually(followups)
        # give the duplicate time to arrive and be recognised
        await eventually(lambda: _duplicate_seen(), timeout=10)
        items = await followups()
    assert len(items) == 1
    assert items[0]["kind"] == "onboarding_call"
    assert items[0]["channel"] == "phone"
    assert items[0]["due_at"] == "2026-03-09T08:00:00Z"
    assert items[0]["number"].startswith("GJ-")


async def _duplicate_seen() -> bool:
    from servicekit import metrics

    return metrics.MESSAGES_CONSUMED.labels("engagement", "engagement.customer-events", "duplicate")._value.get() >= 1


async def test_followups_need_a_token_and_respect_teams() -> None:
    customer_id = str(uuid.uuid4())
    async with service_client("engagement", broker=True) as client:
        await publish(registered(customer_id, team="east"))
        url = f"/followups?customer_id={customer_id}"
        assert await eventually(lambda: _count(client, url, MANAGER))
        assert (await client.get(url)).status_code == 401
        assert await _count(client, url, bearer("bob", "agent", team="west")) == 0
        assert await _count(client, url, bearer("eve", "agent", team="east")) == 1


async def _count(client, url: str, headers: dict) -> int:
    return len((await client.get(url, headers=headers)).json()["items"])


async def test_erasure_keeps_the_followup_but_drops_its_personal_content() -> None:
    customer_id, bystander = str(uuid.uuid4()), str(uuid.uuid4())
    at = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

    def registered(cid: str) -> Envelope:
        return wrap(customer_registered(cid, number="KH-2026-000901", name="张三商行", registered_at=at), cid, 1)

    async with service_client("engagement", broker=True) as client:

        async def followups(cid: str) -> list:
            return (await client.get(f"/followups?customer_id={cid}", headers=MANAGER)).json()["items"]

        await publish(registered(customer_id), registered(bystander))
        [planned] = await eventually(lambda: followups(customer_id))
        assert await eventually(lambda: followups(bystander))
        erased = wrap(CustomerErasedV1(customer_id=customer_id, erased_at=at), customer_id, 5)
        await publish(erased, erased)  # redelivered: same outcome

        async def anonymised() -> list:
            return [f for f in await followups(customer_id) if f["purpose"] == "erased"]

        [after] = await eventually(anonymised)
        assert after["status"] == "cancelled"
        assert (after["id"], after["number"], after["kind"], after["due_at"]) == (
            planned["id"],
            planned["number"],
            planned["kind"],
            planned["due_at"],
        )
        [other] = await followups(bystander)
        assert (other["purpose"], other["status"]) == (planned["purpose"], "planned")
