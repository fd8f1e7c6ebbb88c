"""The outbox relay against the real PostgreSQL and RabbitMQ (reliability rule 2)."""

from __future__ import annotations

import asyncio

import aio_pika
import pytest
from sqlalchemy import select

from contracts.topology import EXCHANGE
from servicekit import metrics
from servicekit.outbox import OutboxRelay, record_event
from servicekit.testing import BROKER_URL, KitDb, Observer, TcpProxy, eventually, probe_event_class

pytestmark = pytest.mark.integration


async def write_events(kit: KitDb, event_class: type, count: int = 1) -> list[str]:
    ids = []
    async with kit.db.session() as session:
        for n in range(count):
            envelope = await record_event(session, event_class(n=n), aggregate_id=f"probe-{n}", aggregate_version=1)
            ids.append(str(envelope.id))
    return ids


async def outbox_rows(kit: KitDb) -> list:
    async with kit.db.session() as session:
        return list((await session.execute(select(kit.tables.outbox).order_by(kit.tables.outbox.c.seq))).all())


def relay_for(kit: KitDb, url: str = BROKER_URL, **options: float) -> OutboxRelay:
    return OutboxRelay(kit.db, kit.outbox, broker_url=url, **{"poll_seconds": 0.2, "publish_timeout": 2.0, **options})


async def test_event_written_while_broker_is_down_is_published_once_it_is_back(
    kit_db: KitDb, rabbit_proxy: TcpProxy
) -> None:
    Probe = probe_event_class()
    relay = relay_for(kit_db, rabbit_proxy.url())
    async with Observer(Probe.event_type) as observer:
        await rabbit_proxy.stop()  # the broker is unreachable from here on
        relay.start()
        [event_id] = await write_events(kit_db, Probe)
        # the relay keeps failing; the row waits, nothing is marked published
        await asyncio.sleep(1.5)
        assert [row.published_at for row in await outbox_rows(kit_db)] == [None]
        assert await observer.drain() == []
        # operators see the waiting event in /metrics
        assert metrics.OUTBOX_BACKLOG.labels("kittest")._value.get() == 1
        assert metrics.OUTBOX_OLDEST_AGE.labels("kittest")._value.get() > 0

        await rabbit_proxy.start()  # the broker is back on the same address
        published = await eventually(lambda: _all_published(kit_db), timeout=30)
        await relay.stop()
        assert published
        messages = await eventually(observer.drain)
        assert [m.message_id for m in messages] == [event_id]
        assert messages[0].delivery_mode == aio_pika.DeliveryMode.PERSISTENT
        assert messages[0].type == Probe.event_type


async def _all_published(kit: KitDb) -> bool:
    rows = await outbox_rows(kit)
    return bool(rows) and all(row.published_at is not None for row in rows)


async def test_row_is_not_marked_published_when_the_confirm_never_arrives(
    kit_db: KitDb, rabbit_proxy: TcpProxy
) -> None:
    Probe = probe_event_class()
    relay = relay_for(kit_db, rabbit_proxy.url(), publish_timeout=1.0)
    async with Observer(Probe.event_type) as observer:
        await write_events(kit_db, Probe)
        await relay.publish_pending()  # connects and publishes the first event normally
        rabbit_proxy.swallow_replies = True  # the broker still receives, but its confirms are lost
        [late_id] = await write_events(kit_db, Probe)
        await relay.publish_pending()
        late = [row for row in await outbox_rows(kit_db) if row.event_id == late_id][0]
        assert late.published_at is None
        assert late.attempts == 1
        assert "Timeout" in late.last_error

        rabbit_proxy.swallow_replies = False
        await rabbit_proxy.stop()
        await rabbit_proxy.start()
        relay.start()
        assert await eventually(lambda: _all_published(kit_db), timeout=30)
        await relay.stop()
        # at-least-once: the broker may hold the unconfirmed copy too; both carry the same id for the inbox
        ids = {m.message_id for m in await eventually(observer.drain)}
        assert late_id in ids


async def test_broker_nack_keeps_the_row_and_retries_it(kit_db: KitDb) -> None:
    Probe = probe_event_class()
    connection = await aio_pika.connect(BROKER_URL)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True)
        # a full queue that refuses new messages: the broker answers basic.nack
        full = await channel.declare_queue(
            exclusive=True, arguments={"x-max-length": 0, "x-overflow": "reject-publish"}
        )
        await full.bind(exchange, routing_key=Probe.event_type)
        relay = relay_for(kit_db)
        [event_id] = await write_events(kit_db, Probe)
        await relay.publish_pending()
        [row] = await outbox_rows(kit_db)
        assert row.published_at is None
        assert row.attempts == 1
        assert row.next_attempt_at is not None
        assert "Nack" in row.last_error or "DeliveryError" in row.last_error

        await full.delete(if_unused=False, if_empty=False)
        async with Observer(Probe.event_type) as observer:
            relay.start()
            assert await eventually(lambda: _all_published(kit_db), timeout=90)
            await relay.stop()
            assert [m.message_id for m in await eventually(observer.drain)] == [event_id]
        await relay.stop()


async def test_unroutable_event_is_confirmed_and_flagged(kit_db: KitDb) -> None:
    Probe = probe_event_class()  # nothing is bound to its routing key
    relay = relay_for(kit_db)
    await write_events(kit_db, Probe)
    await relay.publish_pending()
    await relay.stop()
    [row] = await outbox_rows(kit_db)
    assert row.published_at is not None
    assert row.unroutable is True


async def test_commit_wakes_the_relay_before_its_slow_poll(kit_db: KitDb) -> None:
    Probe = probe_event_class()
    relay = relay_for(kit_db, poll_seconds=300.0)  # without the wake-up nothing would move for 5 minutes
    async with Observer(Probe.event_type) as observer:
        relay.start()
        await asyncio.sleep(0.5)  # let the relay finish its first, empty round and go to sleep
        [event_id] = await write_events(kit_db, Probe)
        messages = await eventually(observer.drain, timeout=30)
        await relay.stop()
        assert [m.message_id for m in messages] == [event_id]


async def test_two_relays_on_one_postgres_publish_each_event_once(kit_db: KitDb) -> None:
    Probe = probe_event_class()
    first, second = relay_for(kit_db, batch_size=20), relay_for(kit_db, batch_size=20)
    async with Observer(Probe.event_type) as observer:
        ids = await write_events(kit_db, Probe, count=300)
        first.start()
        second.start()
        assert await eventually(lambda: _all_published(kit_db), timeout=60)
        await asyncio.gather(first.stop(), second.stop())

        async def all_received() -> list:
            messages = await observer.drain()
            return messages if len(messages) >= len(ids) else []

        received = [m.message_id for m in await eventually(all_received, timeout=30)]
        await asyncio.sleep(0.5)
        received += [m.message_id for m in (await observer.drain())[len(received) :]]
        assert sorted(received) == sorted(ids)
