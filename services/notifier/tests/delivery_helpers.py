"""Building blocks for the delivery tests: customers in the read model, notification requests, a dispatcher
with a fixed clock, and reading message rows and the dead-letter queue. Publishing, the app's service, broker
readiness and outbox events come from servicekit.testing."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import aio_pika
from sqlalchemy import select

from contracts import Envelope, Event
from contracts.events.customer import (
    ContactPoint,
    CustomerConsentChangedV1,
    CustomerContactsChangedV1,
    CustomerOwnerAssignedV1,
)
from contracts.events.notification import NotificationRequestedV1, Recipient
from contracts.topology import dead_letter_queue
from servicekit.testing import BROKER_URL, app_service, eventually


async def add_customer(
    *,
    email: str | None = None,
    phone: str | None = "+8613812345678",
    time_zone: str = "Asia/Shanghai",
    consents: tuple[tuple[str, str], ...] = (),
    language: str = "zh-CN",
    owner: str = "sue",
    team: str | None = "east",
    customer_id: str | None = None,
) -> tuple[str, str]:
    """A customer with one primary contact in the notifier's read model, owned by `owner` of `team` (R-09);
    (customer_id, contact_id)."""
    from notifier.recipients import consumers

    customer_id, contact_id = customer_id or str(uuid.uuid4()), str(uuid.uuid4())
    email = email or f"c{customer_id[:8]}@example.com"  # unique, so a test finds its own mail
    events: list[Event] = [
        CustomerOwnerAssignedV1(customer_id=customer_id, owner=owner, team=team, previous_owner=None, reason="test"),
        CustomerContactsChangedV1(
            customer_id=customer_id,
            language=language,
            time_zone=time_zone,
            contacts=[ContactPoint(contact_id=contact_id, name="李雷", email=email, phone=phone, primary=True)],
        ),
        *(
            CustomerConsentChangedV1(
                customer_id=customer_id,
                contact_id=contact_id,
                channel=channel,
                purpose=purpose,
                granted=True,
                source="form",
                recorded_at=datetime(2026, 1, 1, tzinfo=UTC),
            )
            for channel, purpose in consents
        ),
    ]
    for version, event in enumerate(events, start=2):
        async with app_service("notifier").db.session() as session:
            await consumers.on_customer_event(
                session, Envelope.wrap(event, producer="customer", aggregate_id=customer_id, aggregate_version=version)
            )
    return customer_id, contact_id


def mail_to(sink: Any, customer_id: str) -> list[dict]:
    """What the SMTP server received for a customer made by add_customer (default address)."""
    return [m for m in sink.messages() if m["to"] == [f"c{customer_id[:8]}@example.com"]]


def request(
    customer_id: str | None = None, *, staff: str | None = None, key: str | None = None, **fields: Any
) -> NotificationRequestedV1:
    values: dict[str, Any] = {
        "idempotency_key": key or f"test-{uuid.uuid4()}",
        "recipient": Recipient(customer_id=customer_id, staff=staff),
        "purpose": "service",
        "template": "case_acknowledged",
        "parameters": {"number": "TS-2026-000001"},
        "channels": ["email"],
    }
    return NotificationRequestedV1(**(values | fields))


async def messages(key: str | None = None, **where: Any) -> list[Any]:
    from notifier.delivery.models import Message

    query = select(Message)
    if key is not None:
        query = query.where(Message.idempotency_key == key)
    for name, value in where.items():
        query = query.where(getattr(Message, name) == value)
    async with app_service("notifier").db.session() as session:
        return list((await session.scalars(query.order_by(Message.requested_at))).all())


async def wait_for_messages(key: str, count: int = 1, timeout: float = 15.0) -> list[Any]:
    async def found() -> list[Any] | None:
        rows = await messages(key)
        return rows if len(rows) >= count else None

    rows = await eventually(found, timeout=timeout)
    assert rows, f"no message rows for {key}"
    return rows


def dispatcher(settings: Any, now: datetime) -> Any:
    """A dispatcher on the app's database with the clock fixed at `now` (move it with `.clock = ...`)."""
    from notifier.delivery.scheduled import Dispatcher, build_channels

    db = app_service("notifier").db
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


async def waiting(key: str) -> Any:
    """The request parked for a customer not known yet (None when there is none)."""
    from notifier.delivery.models import WaitingRequest

    async with app_service("notifier").db.session() as session:
        return await session.get(WaitingRequest, key)


def acknowledged(customer_id: str, case_id: str, number: str) -> Any:
    """A case.acknowledged.v1 at noon (Shanghai) by alice, within the SLA."""
    from contracts.events.cases import CaseAcknowledgedV1

    at = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)
    return CaseAcknowledgedV1(
        case_id=case_id,
        number=number,
        customer_id=customer_id,
        acknowledged_at=at,
        acknowledged_by="alice",
        within_sla=True,
    )
