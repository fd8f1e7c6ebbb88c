"""`crm dlq list|replay`: inspect dead letters and send them back to the queue they died in."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aio_pika

from contracts.topology import SUBSCRIPTIONS, dead_letter_queue
from servicekit.broker import ATTEMPTS_HEADER, DEATH_HEADERS

# the broker's bookkeeping and the attempt count: a replayed message gets its full number of attempts again
_TRANSIENT_HEADERS = DEATH_HEADERS | {ATTEMPTS_HEADER}


def dead_letter_queues(service: str | None) -> list[str]:
    services = sorted({sub.service for sub in SUBSCRIPTIONS})
    if service:
        if service not in services:
            raise SystemExit(f"crm: {service} consumes no events, so it has no dead-letter queue")
        services = [service]
    return [dead_letter_queue(s) for s in services]


def origin_queue(message: aio_pika.abc.AbstractIncomingMessage) -> str | None:
    """The queue it died in last (x-death is most recent first): a retried message died first in its retry queue."""
    headers = message.headers or {}
    deaths = headers.get("x-death") or []
    if deaths:
        return str(deaths[0].get("queue"))
    return str(headers["x-first-death-queue"]) if headers.get("x-first-death-queue") else None


def describe(queue: str, message: aio_pika.abc.AbstractIncomingMessage) -> dict[str, Any]:
    headers = message.headers or {}
    deaths = headers.get("x-death") or []
    return {
        "dlq": queue,
        "message_id": message.message_id,
        "type": message.type,
        "origin_queue": origin_queue(message),
        "reason": deaths[0].get("reason") if deaths else headers.get("x-first-death-reason"),
        "deaths": sum(int(d.get("count", 1)) for d in deaths) if deaths else None,
        "bytes": len(message.body),
    }


async def list_dead_letters(broker_url: str, queues: list[str], limit: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    connection = await aio_pika.connect(broker_url, timeout=10)
    async with connection:
        for queue_name in queues:
            # browse: take without ack, then close the channel so every message returns to the DLQ
            channel = await connection.channel()
            await channel.set_qos(prefetch_count=0)
            queue = await channel.declare_queue(queue_name, passive=True)
            while len(found) < limit:
                message = await queue.get(no_ack=False, fail=False, timeout=5)
                if message is None:
                    break
                found.append(describe(queue_name, message))
            await channel.close()
    return found


async def replay_dead_letters(broker_url: str, queues: list[str], limit: int, message_id: str | None = None) -> int:
    """Republish (with confirm) to the origin queue, then ack the dead letter: nothing lost in between."""
    replayed = 0
    connection = await aio_pika.connect(broker_url, timeout=10)
    async with connection:
        for queue_name in queues:
            channel = await connection.channel(publisher_confirms=True)
            queue = await channel.declare_queue(queue_name, passive=True)
            skipped: list[aio_pika.abc.AbstractIncomingMessage] = []
            while replayed < limit:
                message = await queue.get(no_ack=False, fail=False, timeout=5)
                if message is None:
                    break
                target = origin_queue(message)
                if (message_id and message.message_id != message_id) or not target:
                    skipped.append(message)
                    continue
                headers = {k: v for k, v in (message.headers or {}).items() if k not in _TRANSIENT_HEADERS}
                fresh = aio_pika.Message(
                    body=message.body,
                    headers=headers,
                    message_id=message.message_id,
                    type=message.type,
                    content_type=message.content_type,
                    correlation_id=message.correlation_id,
                    app_id=message.app_id,
                    timestamp=message.timestamp,
                    delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                )
                await channel.default_exchange.publish(fresh, routing_key=target, mandatory=True, timeout=10)
                await message.ack()
                replayed += 1
            for message in skipped:
                await message.nack(requeue=True)
            await channel.close()
    return replayed


def print_dead_letters(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        print(json.dumps(row, ensure_ascii=False, default=str))
    print(f"{len(rows)} dead letter(s)")


def run_list(broker_url: str, service: str | None, limit: int) -> None:
    print_dead_letters(asyncio.run(list_dead_letters(broker_url, dead_letter_queues(service), limit)))


def run_replay(broker_url: str, service: str | None, limit: int, message_id: str | None) -> None:
    count = asyncio.run(replay_dead_letters(broker_url, dead_letter_queues(service), limit, message_id))
    print(f"replayed {count} dead letter(s)")
