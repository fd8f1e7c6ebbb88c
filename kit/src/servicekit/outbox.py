"""Transactional outbox (docs/architecture.md, reliability rule 2) and the relay that publishes it.

`record_event` writes the envelope in the caller's transaction. The relay, woken
right after that commit (slow poll as fallback), publishes with publisher
confirms, mandatory routing and persistent delivery, message_id = event id, and
marks a row published only once the broker has confirmed it. Rows the broker refuses are
retried with exponential backoff; rows that failed because the connection was lost are not the rows' fault
and stay due: the relay reconnects every `reconnect_seconds` and publishes the whole backlog at once when
the broker is back. Rows are claimed with `servicekit.due.claim_due` (FOR UPDATE SKIP
LOCKED on PostgreSQL) so no row is published by two relays at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import aio_pika
import aiormq
from sqlalchemy import Table, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from contracts import Envelope, Event
from contracts.topology import EXCHANGE
from servicekit import metrics, pii
from servicekit.db import Database, utcnow
from servicekit.due import claim_due
from servicekit.logs import correlation_id

log = logging.getLogger("servicekit.outbox")

_PENDING = "outbox_pending"


@dataclass(frozen=True)
class Outbox:
    producer: str
    table: Table


def seal_envelope(envelope: Envelope, personal_data: bool) -> str:
    """The stored form: JSON, or ciphertext for events carrying contact data (R-09: encrypted at rest,
    also in published rows and backups)."""
    text = envelope.model_dump_json()
    return pii.encrypt(text) if personal_data else text  # type: ignore[return-value]


def open_envelope(stored: str) -> str:
    """The envelope JSON of a stored outbox row, whichever form it was stored in."""
    return stored if stored.startswith("{") else pii.decrypt(stored)  # type: ignore[return-value]


async def record_event(session: AsyncSession, event: Event, *, aggregate_id: str, aggregate_version: int) -> Envelope:
    """Add `event` to the outbox in the session's transaction; it is published after commit."""
    [envelope] = await record_events(session, [(event, aggregate_id, aggregate_version)])
    return envelope


async def record_events(session: AsyncSession, events: list[tuple[Event, str, int]]) -> list[Envelope]:
    """Several (event, aggregate_id, aggregate_version) in one round trip, for batch work like SLA passes."""
    if not events:
        return []
    outbox: Outbox = session.info["outbox"]
    envelopes = [
        Envelope.wrap(
            event,
            producer=outbox.producer,
            aggregate_id=aggregate_id,
            aggregate_version=version,
            correlation_id=correlation_id.get(),
        )
        for event, aggregate_id, version in events
    ]
    await session.execute(
        insert(outbox.table),
        [
            {
                "event_id": str(envelope.id),
                "event_type": envelope.type,
                "aggregate_id": envelope.aggregate_id,
                "envelope": seal_envelope(envelope, event.personal_data),
                "created_at": envelope.occurred_at,
            }
            for envelope, (event, _, _) in zip(envelopes, events, strict=True)
        ],
    )
    session.info[_PENDING] = True
    return envelopes


def _retry_delay(attempts: int) -> float:
    # full jitter, capped: a row the broker keeps refusing does not block the others
    return random.uniform(0, min(60.0, 0.5 * 2**attempts))


class OutboxRelay:
    def __init__(
        self,
        db: Database,
        outbox: Outbox,
        *,
        broker_url: str,
        batch_size: int = 200,
        poll_seconds: float = 2.0,
        publish_timeout: float = 10.0,
        reconnect_seconds: float = 0.5,
    ) -> None:
        self.db = db
        self.outbox = outbox
        self.table = outbox.table
        self.broker_url = broker_url
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        self.publish_timeout = publish_timeout
        self.reconnect_seconds = reconnect_seconds
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._connection: aio_pika.abc.AbstractConnection | None = None
        self._exchange: aio_pika.abc.AbstractExchange | None = None
        self._last_gauges = float("-inf")
        db.on_commit(self._after_commit)

    # -- waking ---------------------------------------------------------------

    def _after_commit(self, session: Session) -> None:
        if session.info.pop(_PENDING, False):
            self._wake.set()

    def wake(self) -> None:
        self._wake.set()

    # -- lifecycle ------------------------------------------------------------

    def start(self) -> None:
        self._stopping = False  # a stopped relay can be started again (a restarted app lifespan)
        self._task = asyncio.create_task(self.run(), name=f"{self.outbox.producer}-outbox-relay")

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._task:
            await self._task
        await self._disconnect()

    async def run(self) -> None:
        failures = 0
        while not self._stopping:
            try:
                await self.refresh_gauges()
                published = await self.publish_pending()
                failures = 0
            except Exception as exc:  # broker or database down: keep every row
                failures += 1
                await self._disconnect()
                with contextlib.suppress(Exception):  # the database may be what is down
                    await self.refresh_gauges(force=True)
                if _is_connection_error(exc):
                    log.warning("outbox relay lost the broker, reconnecting", extra={"error": repr(exc)})
                    await self._reconnect()
                    continue
                delay = min(30.0, 0.5 * 2 ** min(failures, 6))
                log.warning("outbox relay cannot publish, retrying", extra={"error": repr(exc), "retry_in_s": delay})
                await self._sleep(delay)
                continue
            if published and self._exchange is None:
                continue  # the connection broke mid-batch: reconnect now, its rows are still due
            if published < self.batch_size:
                await self._sleep(self.poll_seconds)

    async def _reconnect(self) -> None:
        """Try the broker every `reconnect_seconds` (a refused connect costs nothing) and return as soon as it
        answers, so the backlog drains the moment the broker is back rather than after a long backoff."""
        while not self._stopping:
            try:
                await self._ensure_exchange()
                log.info("outbox relay reconnected to the broker")
                return
            except Exception:  # still down
                await self._disconnect()
            await asyncio.sleep(random.uniform(0.5, 1.0) * self.reconnect_seconds * 2)

    async def _sleep(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)
        except TimeoutError:
            pass
        self._wake.clear()

    # -- publishing -----------------------------------------------------------

    async def publish_pending(self) -> int:
        """Publish one batch of due rows; return how many rows were claimed."""
        t = self.table
        now = utcnow()
        async with self.db.session() as session:
            due = (
                select(t.c.seq, t.c.event_id, t.c.event_type, t.c.envelope, t.c.attempts)
                .where(t.c.published_at.is_(None), or_(t.c.next_attempt_at.is_(None), t.c.next_attempt_at <= now))
                .order_by(t.c.seq)
            )
            rows = list((await claim_due(session, due, limit=self.batch_size)).all())
            if rows:
                exchange = await self._ensure_exchange()
                outcomes = await asyncio.gather(*(self._publish(exchange, row) for row in rows), return_exceptions=True)
                await self._record_outcomes(session, rows, outcomes)
        return len(rows)

    async def _publish(self, exchange: aio_pika.abc.AbstractExchange, row: Any) -> bool:
        """True when routed to at least one queue, False when the broker returned it unroutable."""
        body = open_envelope(row.envelope)
        envelope = Envelope.model_validate_json(body)
        message = aio_pika.Message(
            body=body.encode(),
            message_id=row.event_id,
            type=row.event_type,
            content_type="application/json",
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            correlation_id=envelope.correlation_id,
            app_id=envelope.producer,
            timestamp=envelope.occurred_at,
        )
        result = await exchange.publish(
            message, routing_key=row.event_type, mandatory=True, timeout=self.publish_timeout
        )
        # a mandatory message nobody is bound to comes back as the returned message, not a Basic.Ack
        return isinstance(result, aiormq.spec.Basic.Ack)

    async def _record_outcomes(self, session: AsyncSession, rows: list[Any], outcomes: list[Any]) -> None:
        t = self.table
        now = utcnow()
        routed = [row.seq for row, ok in zip(rows, outcomes, strict=True) if ok is True]
        unroutable = [row.seq for row, ok in zip(rows, outcomes, strict=True) if ok is False]
        if routed:
            await session.execute(update(t).where(t.c.seq.in_(routed)).values(published_at=now))
        if unroutable:
            # confirmed by the broker, but no queue is bound: counted and kept visible, not retried
            await session.execute(update(t).where(t.c.seq.in_(unroutable)).values(published_at=now, unroutable=True))
            log.warning("outbox events had no queue bound", extra={"count": len(unroutable)})
        failed = [(row, exc) for row, exc in zip(rows, outcomes, strict=True) if isinstance(exc, BaseException)]
        lost = any(_is_connection_error(exc) for _, exc in failed)
        for row, exc in failed:
            if _is_connection_error(exc):
                # not this row's fault: it stays due and goes out as soon as the relay has reconnected
                await session.execute(
                    update(t).where(t.c.seq == row.seq).values(attempts=row.attempts + 1, last_error=repr(exc)[:500])
                )
                continue
            await session.execute(
                update(t)
                .where(t.c.seq == row.seq)
                .values(
                    attempts=row.attempts + 1,
                    next_attempt_at=now + timedelta(seconds=_retry_delay(row.attempts + 1)),
                    last_error=repr(exc)[:500],
                )
            )
        producer = self.outbox.producer
        metrics.OUTBOX_PUBLISHED.labels(producer, "routed").inc(len(routed))
        metrics.OUTBOX_PUBLISHED.labels(producer, "unroutable").inc(len(unroutable))
        if failed:
            metrics.OUTBOX_PUBLISH_FAILURES.labels(producer).inc(len(failed))
            log.warning(
                "outbox events not confirmed, will retry", extra={"count": len(failed), "error": repr(failed[0][1])}
            )
            if lost:
                await self._disconnect()

    async def refresh_gauges(self, *, force: bool = False) -> None:
        """Backlog size and oldest age, also while the broker is down (when they matter most)."""
        # at most once a second: a cheap count over the partial index of unpublished rows
        loop_now = asyncio.get_running_loop().time()
        if not force and loop_now - self._last_gauges < 1.0:
            return
        self._last_gauges = loop_now
        t = self.table
        async with self.db.session() as session:
            count, oldest = (
                await session.execute(select(func.count(), func.min(t.c.created_at)).where(t.c.published_at.is_(None)))
            ).one()
        metrics.OUTBOX_BACKLOG.labels(self.outbox.producer).set(count)
        age = (utcnow() - oldest).total_seconds() if oldest else 0.0
        metrics.OUTBOX_OLDEST_AGE.labels(self.outbox.producer).set(max(age, 0.0))

    # -- connection -----------------------------------------------------------

    async def _ensure_exchange(self) -> aio_pika.abc.AbstractExchange:
        if self._exchange is None or self._connection is None or self._connection.is_closed:
            await self._disconnect()
            self._connection = await aio_pika.connect(self.broker_url, timeout=self.publish_timeout)
            channel = await self._connection.channel(publisher_confirms=True, on_return_raises=False)
            self._exchange = await channel.declare_exchange(EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True)
        return self._exchange

    async def _disconnect(self) -> None:
        connection, self._connection, self._exchange = self._connection, None, None
        if connection is not None and not connection.is_closed:
            try:
                await asyncio.wait_for(connection.close(), timeout=5)
            except Exception:  # already broken; nothing to release
                pass


def _is_connection_error(exc: BaseException) -> bool:
    return isinstance(
        exc,
        (
            aiormq.exceptions.AMQPConnectionError,
            aiormq.exceptions.ChannelInvalidStateError,
            ConnectionError,
            TimeoutError,
        ),
    )
