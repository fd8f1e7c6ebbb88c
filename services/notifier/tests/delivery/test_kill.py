"""Killed mid-batch (R-40, reliability): the notifier runs as a real process (uvicorn), is SIGKILLed while
sending, and restarted. Rows left `sending` are claimed again once their lease runs out and re-sent with the
same idempotency key: no message is missing, and a message sent twice carries the same Message-ID (the
receiving side can drop it); duplicates are bounded by what was in flight at the kill."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections import Counter

import httpx
import pytest
from delivery_helpers import add_customer, mail_to, messages, request

from servicekit.testing import eventually, free_port, publish

pytestmark = [pytest.mark.integration, pytest.mark.e2e, pytest.mark.usefixtures("notifier_schema")]

COUNT = 300
BATCH = 50


def start_notifier(port: int, smtp_port: int) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "CRM_NOTIFIER_DISPATCHER_ENABLED": "true",
        "CRM_NOTIFIER_SMTP_PORT": str(smtp_port),
        "CRM_NOTIFIER_LEASE_SECONDS": "2",
        "CRM_NOTIFIER_DISPATCHER_BATCH_SIZE": str(BATCH),
        "CRM_NOTIFIER_DISPATCHER_INTERVAL_SECONDS": "0.05",
        "CRM_NOTIFIER_FREQUENCY_CAPS": "{}",
        # the process runs on the real clock: no quiet hours, so the test passes at any hour (R-43 has its own tests)
        "CRM_NOTIFIER_QUIET_START": "00:00",
        "CRM_NOTIFIER_QUIET_END": "00:00",
        "CRM_LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "notifier.app:app", "--port", str(port), "--log-level", "warning"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def ready(port: int) -> bool:
    async def check() -> bool:
        try:
            async with httpx.AsyncClient() as client:
                return (await client.get(f"http://127.0.0.1:{port}/readyz")).status_code == 200
        except httpx.HTTPError:
            return False

    return await eventually(check, timeout=30, interval=0.1)


def message_id(key: str) -> str:
    from notifier.delivery.channels import Outgoing

    outgoing = Outgoing(key, key, "email", "service", "", None, "", None, None, None)
    return f"<{outgoing.provider_key}@crm.notifier>"


async def test_killed_during_a_batch_then_restarted_nothing_missing(smtp_sink, clock) -> None:
    customer_id, _ = await add_customer()
    requests = [request(customer_id) for _ in range(COUNT)]
    expected = {message_id(r.idempotency_key) for r in requests}
    port = free_port()
    process = start_notifier(port, smtp_sink.port)
    try:
        assert await ready(port)
        await publish(*requests)

        async def some_sent() -> bool:
            return len(mail_to(smtp_sink, customer_id)) >= 20

        assert await eventually(some_sent, timeout=30, interval=0.005)
        process.send_signal(signal.SIGKILL)  # mid-batch: rows claimed, some sent, statuses not yet written
        process.wait()
        at_kill = len(mail_to(smtp_sink, customer_id))
        assert at_kill < COUNT, "everything was sent before the kill: the test proves nothing"

        process = start_notifier(port, smtp_sink.port)
        assert await ready(port)

        async def all_sent() -> bool:
            rows = [row for r in requests for row in await messages(r.idempotency_key)]
            return len(rows) == COUNT and all(row.status == "sent" for row in rows)

        assert await eventually(all_sent, timeout=60, interval=0.2)
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.to_thread(process.wait, 15)
    received = Counter(m["message_id"] for m in mail_to(smtp_sink, customer_id))
    assert set(received) == expected  # none missing, no stranger
    duplicates = sum(n - 1 for n in received.values())
    # at-least-once: only rows in flight when the process died may go twice, each with its own Message-ID
    assert duplicates <= BATCH, duplicates
