"""The dispatcher on real PostgreSQL, RabbitMQ, an SMTP server process and an SMS provider server: a key is sent
once with a Message-ID from it (R-43), a provider's refusal fails the message with its reason (R-40)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from delivery_helpers import add_customer, dispatcher, mail_to, messages, request, wait_for_messages

from conftest import delivery_settings
from notifier.app import service
from servicekit.testing import broker_ready, eventually, outbox_events, publish

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("notifier_schema")]

NOON = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # 12:00 in Asia/Shanghai


async def test_service_email_is_sent_once_with_message_id_from_the_key(client, smtp_sink, clock) -> None:
    await broker_ready(service)
    customer_id, _ = await add_customer()
    first = request(customer_id)
    again = request(customer_id, key=first.idempotency_key)  # the same key, published twice
    await publish(first, again)
    [row] = await wait_for_messages(first.idempotency_key)
    assert row.status == "pending" and row.due_at == NOON
    worker = dispatcher(delivery_settings(smtp_sink), NOON)
    assert await worker.run_once() == 1
    await publish(request(customer_id, key=first.idempotency_key))  # after sending, still nothing new
    await eventually(lambda: _nothing_due(worker), timeout=2)
    [row] = await messages(first.idempotency_key)
    [mail] = mail_to(smtp_sink, customer_id)
    assert row.status == "sent" and mail["message_id"] == row.provider_message_id
    events = await outbox_events(service, row.id)
    assert [e["type"] for e in events] == ["notification.sent.v1"]
    assert events[0]["data"]["idempotency_key"] == first.idempotency_key


async def _nothing_due(worker) -> bool:
    return await worker.run_once() == 0 and len(await messages()) > 0


async def test_sms_provider_4xx_fails_with_the_providers_reason(client, provider, clock) -> None:
    await broker_ready(service)
    customer_id, _ = await add_customer()
    ok, refused = request(customer_id, channels=["sms"]), request(customer_id, channels=["sms"])
    await publish(ok)
    await wait_for_messages(ok.idempotency_key)
    worker = dispatcher(delivery_settings(provider=provider), NOON)
    await worker.run_once()
    [sent] = await messages(ok.idempotency_key)
    assert sent.status == "sent" and sent.provider_message_id.startswith("SM")
    call = provider.requests[-1]
    assert call["form"]["To"] == "+8613812345678" and call["form"]["Body"] and call["token"]
    assert call["auth"].startswith("Basic ")

    provider.replies.append(
        (400, {"code": 21211, "message": "The 'To' number is not a valid phone number.", "status": 400})
    )
    await publish(refused)
    await wait_for_messages(refused.idempotency_key)
    await worker.run_once()
    [failed] = await messages(refused.idempotency_key)
    assert failed.status == "failed" and failed.attempts == 1
    assert failed.reason == "sms 21211: The 'To' number is not a valid phone number."
    [event] = await outbox_events(service, failed.id)
    assert event["type"] == "notification.failed.v1" and event["data"]["reason"] == failed.reason
