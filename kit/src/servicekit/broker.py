"""RabbitMQ: the topology every service declares, the FastStream broker factory, and consumers.

Quorum queues with an explicit delivery limit, dead-lettered at-least-once to
`<service>.dlq`; bounded prefetch; manual acks after commit (reliability rules 3, 4).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import aio_pika
from faststream import NoCast
from faststream.middlewares import AckPolicy
from faststream.rabbit import Channel, QueueType, RabbitBroker, RabbitMessage, RabbitQueue
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Envelope
from contracts.topology import EXCHANGE, SUBSCRIPTIONS, Subscription, dead_letter_queue
from servicekit import inbox, metrics
from servicekit.db import Database
from servicekit.logs import correlation_id, new_correlation_id

log = logging.getLogger("servicekit.broker")

EventHandler = Callable[[AsyncSession, Envelope], Awaitable[None]]


class DeliveredMessage(Protocol):
    """What a consumer needs of a delivered message: FastStream's RabbitMessage, or an aio-pika one wrapped."""

    @property
    def raw_message(self) -> aio_pika.abc.AbstractIncomingMessage: ...

    async def ack(self) -> None: ...

    async def nack(self, requeue: bool = True) -> None: ...

    async def reject(self, requeue: bool = False) -> None: ...


class PermanentError(Exception):
    """The message can never succeed (bad data, unknown reference): dead-letter it without retrying."""


def queue_arguments(service: str, delivery_limit: int) -> dict[str, Any]:
    return {
        "x-queue-type": "quorum",
        "x-delivery-limit": delivery_limit,
        "x-dead-letter-exchange": "",
        "x-dead-letter-routing-key": dead_letter_queue(service),
        # at-least-once dead-lettering needs reject-publish overflow (RabbitMQ >= 3.10)
        "x-dead-letter-strategy": "at-least-once",
        "x-overflow": "reject-publish",
    }


async def declare_topology(
    broker_url: str, delivery_limit: int, subscriptions: tuple[Subscription, ...] = SUBSCRIPTIONS
) -> None:
    """Declare the exchange and every consumer's queue, DLQ and bindings; idempotent."""
    connection = await aio_pika.connect(broker_url, timeout=10)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True)
        for sub in subscriptions:
            await channel.declare_queue(sub.dead_letter_queue, durable=True, arguments={"x-queue-type": "quorum"})
            queue = await channel.declare_queue(
                sub.queue, durable=True, arguments=queue_arguments(sub.service, delivery_limit)
            )
            for event_type in sub.event_types:
                await queue.bind(exchange, routing_key=event_type)


async def count_dead_letters(broker_url: str, service: str) -> int:
    """Depth of `<service>.dlq`, for the dead-letter gauge and its alert."""
    connection = await aio_pika.connect(broker_url, timeout=10)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(dead_letter_queue(service), passive=True)
        count = queue.declaration_result.message_count or 0
    metrics.DEAD_LETTERS.labels(service, dead_letter_queue(service)).set(count)
    return count


def create_broker(broker_url: str, *, prefetch: int, graceful_timeout: float = 15.0) -> RabbitBroker:
    return RabbitBroker(
        broker_url,
        default_channel=Channel(prefetch_count=prefetch),
        graceful_timeout=graceful_timeout,
        logger=logging.getLogger("faststream"),
        log_level=logging.DEBUG,  # one line per message would drown the service logs at INFO
    )


class EventConsumer:
    """Wraps a service's handler: envelope parsing, inbox, one session, ack after commit, retry, DLQ."""

    def __init__(
        self,
        db: Database,
        sub: Subscription,
        handler: EventHandler,
        *,
        delivery_limit: int,
        retry_backoff: float,
    ) -> None:
        self.db = db
        self.sub = sub
        self.handler = handler
        self.delivery_limit = delivery_limit
        self.retry_backoff = retry_backoff

    def _count(self, outcome: str) -> None:
        metrics.MESSAGES_CONSUMED.labels(self.sub.service, self.sub.queue, outcome).inc()

    async def __call__(self, message: DeliveredMessage) -> None:
        raw = message.raw_message
        delivered = (raw.headers or {}).get("x-delivery-count")
        attempt = (int(delivered) if isinstance(delivered, (int, str)) else 0) + 1
        try:
            envelope = Envelope.model_validate_json(raw.body)
        except ValidationError as exc:
            log.error(
                "not a CRM event envelope, dead-lettering", extra={"queue": self.sub.queue, "error": str(exc)[:300]}
            )
            await self._dead_letter(message)
            return
        token = correlation_id.set(envelope.correlation_id or new_correlation_id())
        started = time.perf_counter()
        try:
            outcome = await self._process(envelope)
        except (PermanentError, ValidationError, KeyError) as exc:
            log.error(
                "event cannot be processed, dead-lettering",
                extra={
                    "queue": self.sub.queue,
                    "event_id": str(envelope.id),
                    "event_type": envelope.type,
                    "error": repr(exc)[:300],
                },
            )
            await self._dead_letter(message)
            return
        except Exception as exc:
            await self._retry_or_dead_letter(message, envelope, attempt, exc)
            return
        finally:
            metrics.MESSAGE_HANDLING.labels(self.sub.service, self.sub.queue).observe(time.perf_counter() - started)
            correlation_id.reset(token)
        await message.ack()
        self._count(outcome)

    async def _process(self, envelope: Envelope) -> str:
        queue = self.sub.queue
        try:
            async with self.db.session() as session:
                if not await inbox.mark_processed(session, queue, envelope):
                    return "duplicate"
                await self.handler(session, envelope)
        except IntegrityError:
            # a concurrent delivery of the same event committed first
            async with self.db.session() as session:
                if await inbox.already_processed(session, queue, envelope):
                    return "duplicate"
            raise
        return "processed"

    async def _retry_or_dead_letter(
        self, message: DeliveredMessage, envelope: Envelope, attempt: int, exc: Exception
    ) -> None:
        details = {"queue": self.sub.queue, "event_id": str(envelope.id), "attempt": attempt, "error": repr(exc)[:300]}
        if attempt >= self.delivery_limit:
            log.error("event failed on its last delivery, dead-lettering", extra=details)
            await self._dead_letter(message)
            return
        # back off before handing it back, so a failing message never spins in a tight loop
        delay = min(30.0, self.retry_backoff * 2 ** (attempt - 1))
        log.warning("event failed, will be redelivered", extra={**details, "retry_in_s": delay})
        await asyncio.sleep(delay)
        await message.nack(requeue=True)
        self._count("retried")

    async def _dead_letter(self, message: DeliveredMessage) -> None:
        await message.reject(requeue=False)
        self._count("dead_lettered")


def register_consumer(
    broker: RabbitBroker,
    db: Database,
    sub: Subscription,
    handler: EventHandler,
    *,
    delivery_limit: int,
    retry_backoff: float,
) -> EventConsumer:
    consumer = EventConsumer(db, sub, handler, delivery_limit=delivery_limit, retry_backoff=retry_backoff)
    # the queue is declared with its arguments by declare_topology; here we only attach to it
    queue = RabbitQueue(sub.queue, queue_type=QueueType.QUORUM, declare=False)

    # the "body" handed to the handler is the message itself: resolving it as a Context parameter would
    # cost a worker-thread hop and a task group per message (fast_depends custom fields)
    async def whole_message(message: RabbitMessage) -> RabbitMessage:
        return message

    @broker.subscriber(queue, ack_policy=AckPolicy.MANUAL, no_reply=True, title=sub.queue, decoder=whole_message)
    async def on_event(message: NoCast[Any]) -> None:
        await consumer(message)

    return consumer
