"""Provider outages (R-40): messages wait while the SMTP server is down (due_at pushed back with backoff),
then each is delivered exactly once when it returns; an SMS provider's 5xx is retried with the same
idempotency token."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from delivery_helpers import add_customer, dispatcher, mail_to, messages, request, wait_for_messages

from conftest import NOON, delivery_settings
from notifier.app import service
from servicekit.testing import broker_ready, publish

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("notifier_schema")]

T0 = NOON


async def statuses(keys: list[str]) -> Counter:
    found: Counter = Counter()
    for key in keys:
        found.update(row.status for row in await messages(key))
    return found


async def test_smtp_down_for_a_while_then_every_message_delivered_once(client, smtp_sink, clock) -> None:
    from notifier.delivery import metrics
    from notifier.delivery.scheduled import refresh_gauges

    await broker_ready(service)
    customer_id, _ = await add_customer()
    requests = [request(customer_id) for _ in range(20)]
    await publish(*requests)
    keys = [r.idempotency_key for r in requests]
    for key in keys:
        await wait_for_messages(key)
    smtp_sink.stop()  # the outage
    worker = dispatcher(delivery_settings(smtp_sink), T0)
    await worker.run_once()
    assert await statuses(keys) == Counter(deferred=20)
    first = await messages(keys[0])
    assert first[0].attempts == 1 and first[0].due_at > T0 and first[0].reason
    await worker.run_once()  # not due yet: nothing is tried
    assert (await messages(keys[0]))[0].attempts == 1
    worker.clock = lambda: T0 + timedelta(hours=1)
    await worker.run_once()  # still down
    assert await statuses(keys) == Counter(deferred=20) and (await messages(keys[0]))[0].attempts == 2
    await refresh_gauges(service.db, now=T0 + timedelta(hours=2))  # the backlog shows on the dashboard
    assert metrics.BACKLOG._value.get() >= 20 and metrics.BACKLOG_OLDEST._value.get() > 0
    smtp_sink.start()  # back
    worker.clock = lambda: T0 + timedelta(hours=2)
    while await worker.run_once():
        pass
    assert await statuses(keys) == Counter(sent=20)
    received = Counter(m["message_id"] for m in mail_to(smtp_sink, customer_id))
    rows = [row for key in keys for row in await messages(key)]
    assert set(received) == {row.provider_message_id for row in rows}
    assert set(received.values()) == {1}


async def test_sms_5xx_is_retried_with_the_same_idempotency_token(client, provider, clock) -> None:
    await broker_ready(service)
    customer_id, _ = await add_customer()
    sms = request(customer_id, channels=["sms"])
    await publish(sms)
    await wait_for_messages(sms.idempotency_key)
    provider.replies += [(503, {"message": "busy"}), (500, {})]
    worker = dispatcher(delivery_settings(provider=provider, in_call_retries=2), T0)
    calls = len(provider.requests)
    await worker.run_once()  # two in-call attempts, both 5xx: the row waits
    [row] = await messages(sms.idempotency_key)
    assert (row.status, row.attempts) == ("deferred", 1)
    worker.clock = lambda: T0 + timedelta(hours=1)
    await worker.run_once()
    [row] = await messages(sms.idempotency_key)
    assert row.status == "sent"
    tokens = {call["token"] for call in provider.requests[calls:]}
    assert len(provider.requests) - calls == 3 and len(tokens) == 1
