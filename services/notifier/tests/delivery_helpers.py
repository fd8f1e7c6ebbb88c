"""Building blocks for the delivery tests: customers in the read model, requests on the broker, a dispatcher
with a fixed clock, and reading rows, outbox events and the dead-letter queue."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import aio_pika
from sqlalchemy import select

from contracts import Envelope, Event
from contracts.events.customer import ContactPoint, CustomerConsentChangedV1, CustomerContactsChangedV1
from contracts.events.notification import NotificationRequestedV1, Recipient
from contracts.topology import EXCHANGE, dead_letter_queue
from servicekit.testing import BROKER_URL, eventually


def service():  # noqa: ANN201 - imported late: settings point at the run's databases first
    from notifier.app import service

    return service


async def add_customer(
    *, email: str | None = None, phone: str | None = "+8613812345678", time_zone: str = "Asia/Shanghai",
    consents: tuple[tuple[str, str], ...] = (), language: str = "zh-CN",
) -> tuple[str, str]:
    """A customer with one primary contact in the notifier's read model; (customer_id, contact_id)."""
    from notifier.recipients import consumers

    customer_id, contact_id = str(uuid.uuid4()), str(uuid.uuid4())
    email = email or f"c{customer_id[:8]}@example.com"  # unique, so a test finds its own mail
    events: list[Event] = [
        CustomerContactsChangedV1(
            customer_id=customer_id, language=language, time_zone=time_zone,
            contacts=[ContactPoint(contact_id=contact_id, name="李雷", email=email, phone=phone, primary=True)],
        ),
        *(
            CustomerConsentChangedV1(
                customer_id=customer_id, contact_id=contact_id, channel=channel, purpose=purpose, granted=True,
                source="form", recorded_at=datetime(2026, 1, 1, tzinfo=UTC),
            )
            for channel, purpose in consents
        ),
    ]
    for version, event in enumerate(events, start=2):
        async with service().db.session() as session:
            await consumers.on_customer_event(
                session, Envelope.wrap(event, producer="customer", aggregate_id=customer_id, aggregate_version=version)
            )
    return customer_id, contact_id


def mail_to(sink: Any, customer_id: str) -> list[dict]:
    """What the SMTP server received for a customer made by add_customer (default address)."""
    return [m for m in sink.messages() if m["to"] == [f"c{customer_id[:8]}@example.com"]]


def request(customer_id: str | None = None, *, staff: str | None = None, key: str | None = None, **fields: Any) -> NotificationRequestedV1:
    values: dict[str, Any] = {
        "idempotency_key": key or f"test-{uuid.uuid4()}",
        "recipient": Recipient(customer_id=customer_id, staff=staff),
        "purpose": "service", "template": "case_acknowledged", "parameters": {"number": "TS-2026-000001"},
        "channels": ["email"],
    }
    return NotificationRequestedV1(**(values | fields))


async def publish(*events: Event, url: str = BROKER_URL) -> None:
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(EXCHANGE)
        envelopes = [Envelope.wrap(e, producer="test", aggregate_id=str(uuid.uuid4()), aggregate_version=1) for e in events]
        # confirms awaited together: publishing stays fast for a batch
        await asyncio.gather(*(
            exchange.publish(
                aio_pika.Message(e.model_dump_json().encode(), message_id=str(e.id), type=e.type),
                routing_key=e.type, mandatory=True,
            )
            for e in envelopes
        ))


async def messages(key: str | None = None, **where: Any) -> list[Any]:
    from notifier.delivery.models import Message

    query = select(Message)
    if key is not None:
        query = query.where(Message.idempotency_key == key)
    for name, value in where.items():
        query = query.where(getattr(Message, name) == value)
    async with service().db.session() as session:
        return list((await session.scalars(query.order_by(Message.requested_at))).all())


async def wait_for_messages(key: str, count: int = 1, timeout: float = 15.0) -> list[Any]:
    async def found() -> list[Any] | None:
        rows = await messages(key)
        return rows if len(rows) >= count else None

    rows = await eventually(found, timeout=timeout)
    assert rows, f"no message rows for {key}"
    return rows


async def outbox_events(aggregate_id: str) -> list[dict]:
    outbox = service().tables.outbox
    async with service().db.session() as session:
        rows = await session.scalars(select(outbox.c.envelope).where(outbox.c.aggregate_id == aggregate_id).order_by(outbox.c.seq))
        return [json.loads(row) for row in rows]


def dispatcher(settings: Any, now: datetime) -> Any:
    """A dispatcher on the app's database with the clock fixed at `now` (move it with `.clock = ...`)."""
    from notifier.delivery.scheduled import Dispatcher, build_channels

    db = service().db
    return Dispatcher(db, build_channels(db, settings), settings, clock=lambda: now)


async def dead_letters() -> list[dict]:
    connection = await aio_pika.connect(BROKER_URL)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(dead_letter_queue("notifier"), passive=True)
        found = []
        while (message := await queue.get(no_ack=True, fail=False)) is not None:
            found.append(json.loads(message.body))
        return found


async def broker_ready() -> None:
    assert await eventually(lambda: _started(), timeout=15), "the notifier did not connect to the broker"


async def _started() -> bool:
    return service().broker_started
