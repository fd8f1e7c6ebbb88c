"""RabbitMQ: the topology every service declares, the FastStream broker factory, and consumers.

Quorum queues with an explicit delivery limit, dead-lettered at-least-once to
`<service>.dlq`; bounded prefetch; manual acks after commit (reliability rules 3, 4).

A failed message is retried through the broker, not by sleeping on it: the consumer republishes it (with
confirm) to the `crm.retry` exchange with a per-message expiration, then acks it. `<service>.retry` holds it
until it expires and dead-letters it back, by its routing key, to the `<service>.<purpose>` queue it came
from; its prefetch slot is free at once. The attempt count travels in the `x-crm-attempts` header.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import aio_pika
import aiormq
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


RETRY_EXCHANGE = "crm.retry"
ATTEMPTS_HEADER = "x-crm-attempts"
RETRY_DELAY_CAP_SECONDS = 30.0
# set by the broker on each dead-lettering; a retried copy starts without them so `crm dlq` sees its last death
DEATH_HEADERS = frozenset(
    {
        "x-death",
        "x-delivery-count",
        "x-first-death-exchange",
        "x-first-death-queue",
        "x-first-death-reason",
        "x-last-death-exchange",
        "x-last-death-queue",
        "x-last-death-reason",
    }
)


def retry_queue(service: str) -> str:
    return f"{service}.retry"


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


def retry_queue_arguments() -> dict[str, Any]:
    # no dead-letter routing key: an expired message goes back under its own, the name of its work queue
    return {
        "x-queue-type": "quorum",
        "x-dead-letter-exchange": "",
        "x-dead-letter-strategy": "at-least-once",
        "x-overflow": "reject-publish",
    }


async def declare_topology(
    broker_url: str, delivery_limit: int, subscriptions: tuple[Subscription, ...] = SUBSCRIPTIONS
) -> None:
    """Declare the exchange and every consumer's queue, DLQ, retry queue and bindings; idempotent."""
    connection = await aio_pika.connect(broker_url, timeout=10)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True)
        retry_exchange = await channel.declare_exchange(RETRY_EXCHANGE, aio_pika.ExchangeType.DIRECT, durable=True)
        for sub in subscriptions:
            await channel.declare_queue(sub.dead_letter_queue, durable=True, arguments={"x-queue-type": "quorum"})
            queue = await channel.declare_queue(
                sub.queue, durable=True, arguments=queue_arguments(sub.service, delivery_limit)
            )
            for event_type in sub.event_types:
                await queue.bind(exchange, routing_key=event_type)
            retry = await channel.declare_queue(
                retry_queue(sub.service), durable=True, arguments=retry_queue_arguments()
            )
            await retry.bind(retry_exchange, routing_key=sub.queue)


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
        attempt = attempt_of(raw)
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
        except (PermanentError, ValidationError) as exc:  # a handler bug (KeyError...) is retried like any error
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
        # backed off in the broker's retry queue, so a failing message never spins nor holds a prefetch slot asleep
        delay = min(RETRY_DELAY_CAP_SECONDS, self.retry_backoff * 2 ** (attempt - 1))
        log.warning("event failed, will be redelivered", extra={**details, "retry_in_s": delay})
        try:
            await publish_retry(message.raw_message, self.sub.queue, attempt, delay)
        except Exception as publish_error:  # broker going away: hand it back; it is redelivered when it returns
            log.warning("cannot park the event for retry", extra={**details, "error": repr(publish_error)[:300]})
            with contextlib.suppress(Exception):
                await message.nack(requeue=True)
            self._count("retried")
            return
        await message.ack()
        self._count("retried")

    async def _dead_letter(self, message: DeliveredMessage) -> None:
        await message.reject(requeue=False)
        self._count("dead_lettered")


def attempt_of(raw: aio_pika.abc.AbstractIncomingMessage) -> int:
    """This delivery's number: earlier retries through the retry queue plus redeliveries of this copy, plus one."""
    headers = raw.headers or {}
    counts = [headers.get(ATTEMPTS_HEADER), headers.get("x-delivery-count")]
    return sum(int(c) for c in counts if isinstance(c, (int, str)) and str(c).isdigit()) + 1


async def publish_retry(raw: aio_pika.abc.AbstractIncomingMessage, queue: str, attempt: int, delay: float) -> None:
    """A copy of `raw` to `<service>.retry`, back in `queue` after `delay` seconds; returns once confirmed."""
    headers = {k: v for k, v in (raw.headers or {}).items() if k not in DEATH_HEADERS}
    headers[ATTEMPTS_HEADER] = attempt
    properties = aiormq.spec.Basic.Properties(
        content_type=raw.content_type,
        content_encoding=raw.content_encoding,
        headers=headers,
        delivery_mode=2,
        correlation_id=raw.correlation_id,
        message_id=raw.message_id,
        timestamp=raw.timestamp,
        message_type=raw.type,
        app_id=raw.app_id,
        expiration=str(max(1, int(delay * 1000))),
    )
    confirmation = await raw.channel.basic_publish(
        raw.body, exchange=RETRY_EXCHANGE, routing_key=queue, properties=properties, mandatory=True, timeout=10
    )
    if confirmation is not None and not isinstance(confirmation, aiormq.spec.Basic.Ack):
        raise RuntimeError(f"the broker did not confirm the retry copy: {confirmation!r}")


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
