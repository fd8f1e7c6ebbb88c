"""Failed messages wait in the broker's `<service>.retry` queue, not asleep in the consumer's prefetch slot, and a
handler bug (KeyError) is retried like any error rather than dead-lettered at once (reliability rule 4)."""

from __future__ import annotations

import uuid

import aio_pika
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Envelope
from contracts.topology import Subscription
from crm_cli.dlq import list_dead_letters, replay_dead_letters
from servicekit import metrics
from servicekit.broker import ATTEMPTS_HEADER, create_broker, declare_topology, register_consumer, retry_queue
from servicekit.testing import BROKER_URL, KitDb, eventually, probe_event_class, publish

pytestmark = pytest.mark.integration


class Picky:
    """Fails every event whose n is in `failing` with `error`; records the others."""

    def __init__(self, failing: set[int], error: type[Exception]) -> None:
        self.failing, self.error = failing, error
        self.done: list[int] = []
        self.calls: dict[int, int] = {}

    async def __call__(self, session: AsyncSession, envelope: Envelope) -> None:
        n = envelope.data["n"]
        self.calls[n] = self.calls.get(n, 0) + 1
        if n in self.failing:
            raise self.error("boom")
        self.done.append(n)


async def consumer(kit_db: KitDb, handler: Picky, *, limit: int, backoff: float):
    Probe = probe_event_class()
    sub = Subscription(f"kittest{uuid.uuid4().hex[:8]}", "probes", (Probe.event_type,))
    await declare_topology(BROKER_URL, limit, (sub,))
    broker = create_broker(BROKER_URL, prefetch=1)  # one slot: a sleeping retry would block everything behind it
    register_consumer(broker, kit_db.db, sub, handler, delivery_limit=limit, retry_backoff=backoff)
    await broker.start()
    return Probe, sub, broker


async def parked(queue: str) -> list[aio_pika.abc.AbstractIncomingMessage]:
    """The messages waiting in a queue (browsed, then returned to it)."""
    found = []
    connection = await aio_pika.connect(BROKER_URL)
    async with connection:
        channel = await connection.channel()
        q = await channel.declare_queue(queue, passive=True)
        while (message := await q.get(no_ack=False, fail=False, timeout=5)) is not None:
            found.append(message)
    return found


async def test_a_failing_message_waits_in_the_retry_queue_and_frees_its_prefetch_slot(kit_db: KitDb) -> None:
    handler = Picky({0}, RuntimeError)
    Probe, sub, broker = await consumer(kit_db, handler, limit=3, backoff=600.0)  # the retry waits ten minutes
    try:
        first, *rest = await publish(*[Probe(n=n) for n in range(5)])

        async def all_others_done() -> bool:
            return sorted(handler.done) == [1, 2, 3, 4]

        assert await eventually(all_others_done, timeout=30)
        [waiting] = await eventually(lambda: parked(retry_queue(sub.service)))
        assert waiting.message_id == str(first.id)
        assert waiting.headers[ATTEMPTS_HEADER] == 1
        assert handler.calls[0] == 1
    finally:
        await broker.stop()


async def test_a_handler_bug_is_retried_up_to_the_limit_then_dead_lettered_with_its_origin(kit_db: KitDb) -> None:
    handler = Picky({7}, KeyError)
    Probe, sub, broker = await consumer(kit_db, handler, limit=3, backoff=0.05)
    try:
        [envelope] = await publish(Probe(n=7))
        dead = await eventually(lambda: list_dead_letters(BROKER_URL, [sub.dead_letter_queue], 10), timeout=30)
        assert [d["message_id"] for d in dead] == [str(envelope.id)]
        assert dead[0]["origin_queue"] == sub.queue  # `crm dlq replay` sends it back to its work queue
        assert handler.calls[7] == 3
        assert metrics.MESSAGES_CONSUMED.labels(sub.service, sub.queue, "retried")._value.get() == 2
        assert await parked(retry_queue(sub.service)) == []

        # replayed while the bug is still there: a full set of attempts again, then back in the DLQ
        assert await replay_dead_letters(BROKER_URL, [sub.dead_letter_queue], 10) == 1
        again = await eventually(lambda: list_dead_letters(BROKER_URL, [sub.dead_letter_queue], 10), timeout=30)
        assert [d["message_id"] for d in again] == [str(envelope.id)]
        assert handler.calls[7] == 6
    finally:
        await broker.stop()
