"""Consumers against the real RabbitMQ and PostgreSQL: idempotent inbox, bounded redelivery, DLQ, replay."""

from __future__ import annotations

import uuid

import aio_pika
import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Envelope
from contracts.topology import Subscription
from crm_cli.dlq import list_dead_letters, replay_dead_letters
from servicekit import metrics
from servicekit.broker import PermanentError, create_broker, declare_topology, register_consumer
from servicekit.settings import common_settings
from servicekit.testing import BROKER_URL, KitDb, eventually, probe_event_class, publish, running

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


def consumed(sub: Subscription, outcome: str) -> float:
    return metrics.MESSAGES_CONSUMED.labels(sub.service, sub.queue, outcome)._value.get()


async def test_redelivered_event_has_no_second_effect(kit_db: KitDb, consuming) -> None:
    Probe, sub, handler = consuming
    envelope = Envelope.wrap(Probe(n=1), producer="test", aggregate_id="p1", aggregate_version=1)
    for _ in range(3):  # the same event three times, as a relay retry or a broker redelivery would
        await publish(envelope)
    assert await eventually(lambda: _equals(consumed(sub, "duplicate"), 2))
    assert await effects(kit_db) == 1
    assert consumed(sub, "processed") == 1


async def _equals(value: float, expected: float) -> bool:
    return value == expected


async def test_failing_message_is_dead_lettered_after_the_limit_and_replay_brings_it_back(
    kit_db: KitDb, consuming
) -> None:
    Probe, sub, handler = consuming
    handler.failing = True
    envelope = Envelope.wrap(Probe(n=2), producer="test", aggregate_id="p2", aggregate_version=1)
    await publish(envelope)

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
    await publish(b"{definitely not an envelope", routing_key=Probe.event_type, message_id="poison-1")
    dead = await eventually(lambda: list_dead_letters(BROKER_URL, [sub.dead_letter_queue], 10), timeout=30)
    assert [d["message_id"] for d in dead] == ["poison-1"]
    assert handler.calls == 0


# -- consumers wired by the runtime: service.consume(purpose, handler[, batch=N]) ------------------------------


class BatchProbeHandler(Handler):
    """A Handler whose `poison` numbers can never succeed, and that records what `prepare` was given."""

    def __init__(self, kit: KitDb, poison: set[int] = frozenset()) -> None:  # type: ignore[assignment]
        super().__init__(kit)
        self.poison = poison
        self.prepared: list[int] = []

    async def __call__(self, session: AsyncSession, envelope: Envelope) -> None:
        if envelope.data["n"] in self.poison:
            raise PermanentError(f"probe {envelope.data['n']} can never succeed")
        await super().__call__(session, envelope)

    async def prepare(self, session: AsyncSession, envelopes: list[Envelope]) -> None:
        self.prepared.append(len(envelopes))


@pytest.fixture
def runtime_for(kit_db: KitDb, monkeypatch: pytest.MonkeyPatch):
    """A ServiceRuntime of its own on the kit test database, consuming a probe subscription of its own."""
    from contracts import topology
    from servicekit.runtime import ServiceRuntime
    from servicekit.settings import ServiceSettings

    def build(Probe: type) -> tuple[ServiceRuntime, Subscription]:
        name = f"kittest{uuid.uuid4().hex[:8]}"
        sub = Subscription(name, "probes", (Probe.event_type,))
        monkeypatch.setattr(topology, "SUBSCRIPTIONS", (*topology.SUBSCRIPTIONS, sub))
        settings = ServiceSettings(name=name, database_url=kit_db.db.url, port=1)
        service = ServiceRuntime(name, metadata=kit_db.tables.outbox.metadata, tables=kit_db.tables, settings=settings)
        return service, sub

    return build


@pytest.mark.parametrize("batch", [None, 10])
async def test_consume_wires_single_and_batch_consumers_alike(kit_db: KitDb, runtime_for, batch: int | None) -> None:
    Probe = probe_event_class()
    service, sub = runtime_for(Probe)
    handler = BatchProbeHandler(kit_db, poison={13})
    options = {"batch": batch, "prepare": handler.prepare} if batch else {}
    service.consume("probes", handler, **options)
    limit = common_settings().delivery_limit
    await declare_topology(BROKER_URL, limit, (sub,))
    # all waiting before the service starts, so a batch consumer gets full batches
    envelopes = [
        Envelope.wrap(Probe(n=n), producer="test", aggregate_id=f"p{n}", aggregate_version=1) for n in range(25)
    ]
    await publish(*envelopes, envelopes[0], envelopes[1])  # two redeliveries
    await publish(b"{not an envelope", routing_key=Probe.event_type, message_id="poison-bytes")

    async with running(service.app):
        assert await eventually(lambda: _equals(consumed(sub, "processed"), 24), timeout=30)
        dead = await eventually(
            lambda: _at_least(list_dead_letters(BROKER_URL, [sub.dead_letter_queue], 10), 2), timeout=30
        )
        assert await eventually(lambda: _equals(consumed(sub, "duplicate"), 2))
        assert service.consumes  # the dead-letter gauge runs for batch consumers too

        async def gauge_shows_both() -> bool:
            await service._count_dead_letters()  # the gauge's periodic job, run now (it counts ready messages only)
            return metrics.DEAD_LETTERS.labels(sub.service, sub.dead_letter_queue)._value.get() == 2

        assert await eventually(gauge_shows_both)
    assert await effects(kit_db) == 24
    assert sorted(d["message_id"] for d in dead) == sorted([str(envelopes[13].id), "poison-bytes"])
    assert consumed(sub, "dead_lettered") == 2
    if batch:
        assert max(handler.prepared) > 1 and all(size <= batch for size in handler.prepared)
    else:
        assert handler.prepared == []


async def test_batch_consumer_retries_a_failing_batch_one_by_one_up_to_the_delivery_limit(
    kit_db: KitDb, runtime_for
) -> None:
    Probe = probe_event_class()
    service, sub = runtime_for(Probe)
    handler = BatchProbeHandler(kit_db)
    handler.failing = True
    service.consume("probes", handler, batch=10, savepoints=False)
    await declare_topology(BROKER_URL, common_settings().delivery_limit, (sub,))
    async with running(service.app):
        assert await eventually(lambda: _queue_consumed(sub.queue), timeout=30)
        [envelope] = await publish(Probe(n=1))
        dead = await eventually(lambda: list_dead_letters(BROKER_URL, [sub.dead_letter_queue], 10), timeout=30)
        assert [d["message_id"] for d in dead] == [str(envelope.id)]
        assert consumed(sub, "retried") == common_settings().delivery_limit - 1
        assert consumed(sub, "dead_lettered") == 1
        handler.failing = False  # the operator fixed the cause
        assert await replay_dead_letters(BROKER_URL, [sub.dead_letter_queue], 10) == 1
        assert await eventually(lambda: effects(kit_db))
    assert await effects(kit_db) == 1
    assert consumed(sub, "processed") == 1


def test_prepare_and_savepoints_belong_to_batch_mode(kit_db: KitDb, runtime_for) -> None:
    service, _ = runtime_for(probe_event_class())
    with pytest.raises(TypeError):
        service.consume("probes", Handler(kit_db), savepoints=False)


async def _at_least(found, count: int) -> list | None:
    items = await found
    return items if len(items) >= count else None


async def _queue_consumed(queue: str) -> bool:
    connection = await aio_pika.connect(BROKER_URL)
    async with connection:
        channel = await connection.channel()
        declared = await channel.declare_queue(queue, passive=True)
        return bool(declared.declaration_result.consumer_count)
