"""Consumers against the real RabbitMQ and PostgreSQL: idempotent inbox, bounded redelivery, DLQ, replay."""

from __future__ import annotations

import uuid

import aio_pika
import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Envelope
from contracts.topology import EXCHANGE, Subscription
from crm_cli.dlq import list_dead_letters, replay_dead_letters
from servicekit import metrics
from servicekit.broker import create_broker, declare_topology, register_consumer
from servicekit.testing import BROKER_URL, KitDb, eventually, probe_event_class

pytestmark = pytest.mark.integration

DELIVERY_LIMIT = 3


class Handler:
    """Writes one effect row per event; can be told to fail."""

    def __init__(self, kit: KitDb) -> None:
        self.kit = kit
        self.calls = 0
        self.failing = False

    async def __call__(self, session: AsyncSession, envelope: Envelope) -> None:
        self.calls += 1
        if self.failing:
            raise RuntimeError("downstream is broken")
        await session.execute(insert(self.kit.effects).values(id=str(uuid.uuid4()), event_id=str(envelope.id)))


async def effects(kit: KitDb) -> int:
    async with kit.db.session() as session:
        return (await session.execute(select(func.count()).select_from(kit.effects))).scalar_one()


@pytest.fixture
async def consuming(kit_db: KitDb):
    Probe = probe_event_class()
    sub = Subscription(f"kittest{uuid.uuid4().hex[:8]}", "probes", (Probe.event_type,))
    await declare_topology(BROKER_URL, DELIVERY_LIMIT, (sub,))
    handler = Handler(kit_db)
    broker = create_broker(BROKER_URL, prefetch=8)
    register_consumer(broker, kit_db.db, sub, handler, delivery_limit=DELIVERY_LIMIT, retry_backoff=0.01)
    await broker.start()
    yield Probe, sub, handler
    await broker.stop()


async def publish(envelope_json: bytes, routing_key: str, message_id: str) -> None:
    connection = await aio_pika.connect(BROKER_URL)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.get_exchange(EXCHANGE)
        await exchange.publish(aio_pika.Message(envelope_json, message_id=message_id), routing_key=routing_key)


def consumed(sub: Subscription, outcome: str) -> float:
    return metrics.MESSAGES_CONSUMED.labels(sub.service, sub.queue, outcome)._value.get()


async def test_redelivered_event_has_no_second_effect(kit_db: KitDb, consuming) -> None:
    Probe, sub, handler = consuming
    envelope = Envelope.wrap(Probe(n=1), producer="test", aggregate_id="p1", aggregate_version=1)
    for _ in range(3):  # the same event three times, as a relay retry or a broker redelivery would
        await publish(envelope.model_dump_json().encode(), Probe.event_type, str(envelope.id))
    assert await eventually(lambda: _equals(consumed(sub, "duplicate"), 2))
    assert await effects(kit_db) == 1
    assert consumed(sub, "processed") == 1


async def _equals(value: float, expected: float) -> bool:
    return value == expected


async def test_failing_message_is_dead_lettered_after_the_limit_and_replay_brings_it_back(kit_db: KitDb, consuming) -> None:
    Probe, sub, handler = consuming
    handler.failing = True
    envelope = Envelope.wrap(Probe(n=2), producer="test", aggregate_id="p2", aggregate_version=1)
    await publish(envelope.model_dump_json().encode(), Probe.event_type, str(envelope.id))

    dead = await eventually(lambda: list_dead_letters(BROKER_URL, [sub.dead_letter_queue], 10), timeout=30)
    assert [d["message_id"] for d in dead] == [str(envelope.id)]
    assert dead[0]["origin_queue"] == sub.queue
    assert handler.calls == DELIVERY_LIMIT  # bounded: tried exactly the limit, no tight loop forever
    assert consumed(sub, "retried") == DELIVERY_LIMIT - 1
    assert consumed(sub, "dead_lettered") == 1
    assert await effects(kit_db) == 0

    handler.failing = False  # the operator fixed the cause
    assert await replay_dead_letters(BROKER_URL, [sub.dead_letter_queue], 10) == 1
    assert await eventually(lambda: effects(kit_db))
    assert await effects(kit_db) == 1
    assert await list_dead_letters(BROKER_URL, [sub.dead_letter_queue], 10) == []


async def test_message_that_is_not_an_envelope_goes_straight_to_the_dlq(kit_db: KitDb, consuming) -> None:
    Probe, sub, handler = consuming
    await publish(b"{definitely not an envelope", Probe.event_type, "poison-1")
    dead = await eventually(lambda: list_dead_letters(BROKER_URL, [sub.dead_letter_queue], 10), timeout=30)
    assert [d["message_id"] for d in dead] == ["poison-1"]
    assert handler.calls == 0
