"""R-09/R-42: customer.erased.v1 removes the personal content of follow-ups and keeps their counts."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import aio_pika
import pytest

from contracts import Envelope
from contracts.events.customer import CustomerErasedV1, CustomerRegisteredV1
from contracts.topology import EXCHANGE
from engagement.app import service
from servicekit.testing import BROKER_URL, bearer, eventually, migrate, running

pytestmark = pytest.mark.integration

MANAGER = bearer("meg", "manager")


@pytest.fixture(scope="module", autouse=True)
def schema() -> None:
    migrate("engagement")


async def publish(*envelopes: Envelope) -> None:
    connection = await aio_pika.connect(BROKER_URL)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(EXCHANGE)
        for envelope in envelopes:
            message = aio_pika.Message(envelope.model_dump_json().encode(), message_id=str(envelope.id))
            await exchange.publish(message, routing_key=envelope.type)


def wrap(event, customer_id: str, version: int) -> Envelope:
    return Envelope.wrap(event, producer="customer", aggregate_id=customer_id, aggregate_version=version)


async def test_erasure_keeps_the_followup_but_drops_its_personal_content() -> None:
    customer_id, bystander = str(uuid.uuid4()), str(uuid.uuid4())
    at = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

    def registered(cid: str) -> Envelope:
        event = CustomerRegisteredV1(customer_id=cid, number="KH-2026-000901", name="张三商行", customer_type="potential",
                                     stage="contact", tier="low", service_level="normal", registered_at=at)
        return wrap(event, cid, 1)

    async with running(service.app) as client:
        await eventually(lambda: _started())

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
            planned["id"], planned["number"], planned["kind"], planned["due_at"])
        [other] = await followups(bystander)
        assert (other["purpose"], other["status"]) == (planned["purpose"], "planned")


async def _started() -> bool:
    return service.broker_started
