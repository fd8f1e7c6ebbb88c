"""Batch consumption for high-rate queues (e.g. a campaign's notification requests).

The kit's per-message consumer commits once per message; here up to `batch_size` messages (collected for at
most `max_wait` seconds) share one transaction: inbox rows + the handler's effects, one commit, then every
message of the batch is acked (ack after commit, reliability rules 3 and 4). If the batch fails, each message
runs in a savepoint: a permanent error (PermanentError, bad data) rolls back only that message, which is
dead-lettered after the commit. Any other failure (a handler bug such as KeyError included) aborts the batch and
each message is retried alone through the kit's per-message EventConsumer (parked in the retry queue,
dead-lettered at the delivery limit).

Services do not build one: `service.consume(purpose, handler, batch=N)` does, and the runtime runs it on its
own aio-pika connection for as long as the service runs. The queue is declared (with its DLQ and delivery
limit) by the kit's declare_topology.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aio_pika
from pydantic import ValidationError
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Envelope
from contracts.topology import Subscription
from servicekit import metrics
from servicekit.broker import EventConsumer, EventHandler, PermanentError, declare_topology
from servicekit.db import Database, utcnow

log = logging.getLogger("servicekit.batch_consumer")

# once per batch, before the handlers, with the envelopes not seen before: per-batch lookups
BatchPrepare = Callable[[AsyncSession, list[Envelope]], Awaitable[None]]


class _Message:
    """The slice of FastStream's RabbitMessage that EventConsumer uses, over an aio-pika message."""

    def __init__(self, raw: aio_pika.abc.AbstractIncomingMessage) -> None:
        self.raw_message = raw

    async def ack(self) -> None:
        await self.raw_message.ack()

    async def nack(self, requeue: bool = True) -> None:
        await self.raw_message.nack(requeue=requeue)

    async def reject(self, requeue: bool = False) -> None:
        await self.raw_message.reject(requeue=requeue)


class BatchConsumer:
    def __init__(
        self,
        db: Database,
        sub: Subscription,
        handler: EventHandler,
        *,
        broker_url: str,
        delivery_limit: int,
        retry_backoff: float,
        batch_size: int = 200,
        max_wait: float = 0.02,
        prepare: BatchPrepare | None = None,
        savepoints: bool = True,
    ) -> None:
        self.db = db
        self.sub = sub
        self.handler = handler
        self.broker_url = broker_url
        self.delivery_limit = delivery_limit
        self.batch_size = batch_size
        self.max_wait = max_wait
        self.prepare = prepare
        self.savepoints = savepoints
        self.single = EventConsumer(db, sub, handler, delivery_limit=delivery_limit, retry_backoff=retry_backoff)

    async def run(self) -> None:
        """Consume until cancelled; the robust connection reconnects and consumes again after a broker outage
        (unacked messages are redelivered; the inbox makes that harmless)."""
        await declare_topology(self.broker_url, self.delivery_limit, (self.sub,))
        connection = await aio_pika.connect_robust(self.broker_url, timeout=10)
        async with connection:
            channel = await connection.channel()
            await channel.set_qos(prefetch_count=self.batch_size * 2)
            queue = await channel.get_queue(self.sub.queue, ensure=False)
            buffer: asyncio.Queue[aio_pika.abc.AbstractIncomingMessage] = asyncio.Queue()
            await queue.consume(buffer.put)
            while True:
                await self.process(await self._collect(buffer))

    async def _collect(self, buffer: asyncio.Queue[Any]) -> list[Any]:
        batch = [await buffer.get()]
        deadline = time.monotonic() + self.max_wait
        while len(batch) < self.batch_size:
            try:
                batch.append(buffer.get_nowait())
                continue
            except asyncio.QueueEmpty:
                pass
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                batch.append(await asyncio.wait_for(buffer.get(), remaining))
            except TimeoutError:
                break
        return batch

    async def process(self, batch: list[aio_pika.abc.AbstractIncomingMessage]) -> None:
        parsed: list[tuple[aio_pika.abc.AbstractIncomingMessage, Envelope]] = []
        for raw in batch:
            try:
                parsed.append((raw, Envelope.model_validate_json(raw.body)))
            except ValidationError:
                await self.single(_Message(raw))  # dead-letters it, counted, logged
        if not parsed:
            return
        started = time.perf_counter()
        try:
            outcomes, rejected = await self._together(parsed)
        except Exception as exc:
            log.warning(
                "batch failed, retrying its messages one by one",
                extra={"queue": self.sub.queue, "size": len(parsed), "error": repr(exc)[:300]},
            )
            for raw, _ in parsed:
                await self.single(_Message(raw))
            return
        for index, (raw, _) in enumerate(parsed):
            if index in rejected:
                await raw.reject(requeue=False)  # to the DLQ
            else:
                await raw.ack()
        for outcome, count in outcomes.items():
            metrics.MESSAGES_CONSUMED.labels(self.sub.service, self.sub.queue, outcome).inc(count)
        metrics.MESSAGE_HANDLING.labels(self.sub.service, self.sub.queue).observe(
            (time.perf_counter() - started) / len(parsed)
        )

    async def _together(self, parsed: list[tuple[Any, Envelope]]) -> tuple[dict[str, int], set[int]]:
        """One transaction for the batch: which events were seen before (one query), the optional `prepare`
        hook (per-batch lookups), each handler, then every new inbox row in one insert. A permanent error
        drops only its own message: in a savepoint, or, with savepoints=False, because the handler promises
        to raise before writing anything. Returns the outcome counts and the indexes to dead-letter."""
        outcomes = {"processed": 0, "duplicate": 0, "dead_lettered": 0}
        rejected: set[int] = set()
        table = self.db.session_info["kit_tables"].inbox
        async with self.db.session() as session:
            ids = [str(envelope.id) for _, envelope in parsed]
            seen = set(
                await session.scalars(
                    select(table.c.event_id).where(table.c.queue == self.sub.queue, table.c.event_id.in_(ids))
                )
            )
            fresh: list[tuple[int, Envelope]] = []
            for index, (_, envelope) in enumerate(parsed):
                if str(envelope.id) in seen:
                    outcomes["duplicate"] += 1
                    continue
                seen.add(str(envelope.id))  # the same event twice in one batch
                fresh.append((index, envelope))
            if self.prepare is not None and fresh:
                await self.prepare(session, [envelope for _, envelope in fresh])
            done: list[Envelope] = []
            for index, envelope in fresh:
                try:
                    if self.savepoints:
                        async with session.begin_nested():
                            await self.handler(session, envelope)
                    else:
                        await self.handler(session, envelope)
                except (PermanentError, ValidationError) as exc:
                    log.error(
                        "event cannot be processed, dead-lettering",
                        extra={
                            "queue": self.sub.queue,
                            "event_id": str(envelope.id),
                            "event_type": envelope.type,
                            "error": repr(exc)[:300],
                        },
                    )
                    rejected.add(index)
                    outcomes["dead_lettered"] += 1
                    continue
                done.append(envelope)
            if done:
                now = utcnow()
                await session.execute(
                    insert(table),
                    [
                        {"queue": self.sub.queue, "event_id": str(e.id), "event_type": e.type, "processed_at": now}
                        for e in done
                    ],
                )
            outcomes["processed"] = len(done)
        return outcomes, rejected
