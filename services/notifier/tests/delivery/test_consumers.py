"""Requests and domain events become message rows, on real PostgreSQL, RabbitMQ, an SMTP server process and an
SMS/IM provider server: consent (R-42), quiet hours (R-43), triggers (R-41), dead-lettered requests."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from delivery_helpers import (
    acknowledged,
    add_customer,
    dead_letters,
    dispatcher,
    mail_to,
    messages,
    request,
    wait_for_messages,
    waiting,
)

from conftest import delivery_settings
from notifier.app import service
from servicekit.testing import Observer, broker_ready, eventually, outbox_events, publish

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("notifier_schema")]

NOON = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # 12:00 in Asia/Shanghai
LATE = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # 22:00 in Asia/Shanghai
OPENING = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)  # 08:00 the next morning


async def test_consent_withdrawn_care_message_is_suppressed_with_event_on_the_broker(client, smtp_sink, clock) -> None:
    from notifier.consent import service as consent

    await broker_ready(service)
    customer_id, contact_id = await add_customer(consents=(("email", "care"),))
    async with Observer("notification.suppressed.v1") as observer:
        # consent granted: accepted and pending; withdrawn before sending: suppressed when claimed
        granted = request(customer_id, purpose="care", template="care_birthday", parameters={})
        await publish(granted)
        [row] = await wait_for_messages(granted.idempotency_key)
        assert row.status == "pending" and row.unsubscribe_url
        async with service.db.session() as session:
            await consent.withdraw(session, customer_id, contact_id, "email", "care", "unsubscribe link")
        assert await dispatcher(delivery_settings(smtp_sink), NOON).run_once() >= 1
        # a later request is suppressed at once
        later = request(customer_id, purpose="care", template="care_birthday", parameters={})
        await publish(later)
        [late_row] = await wait_for_messages(later.idempotency_key)
        # and service messages still go
        service_msg = request(customer_id)
        await publish(service_msg)
        await wait_for_messages(service_msg.idempotency_key)

        async def two_suppressed() -> list:
            found = [m for m in await observer.drain() if customer_id in m.body.decode()]
            return found if len(found) >= 2 else []

        received = await eventually(two_suppressed, timeout=15)
    [row] = await messages(granted.idempotency_key)
    assert (row.status, row.reason) == ("suppressed", "consent_withdrawn")
    assert (late_row.status, late_row.reason) == ("suppressed", "consent_withdrawn")
    assert len(received) == 2
    assert mail_to(smtp_sink, customer_id) == []  # the service message is not dispatched in this test


async def test_quiet_hours_defer_to_the_windows_opening(client, smtp_sink, clock) -> None:
    await broker_ready(service)
    customer_id, _ = await add_customer(consents=(("email", "care"),))
    clock.set(LATE)
    care = request(customer_id, purpose="care", template="care_birthday", parameters={})
    await publish(care)
    [row] = await wait_for_messages(care.idempotency_key)
    assert (row.status, row.due_at, row.reason) == ("deferred", OPENING, "quiet_hours")
    worker = dispatcher(delivery_settings(smtp_sink), OPENING - timedelta(minutes=1))
    await worker.run_once()
    assert mail_to(smtp_sink, customer_id) == [] and (await messages(care.idempotency_key))[0].status == "deferred"
    worker.clock = lambda: OPENING
    await worker.run_once()
    [row] = await messages(care.idempotency_key)
    assert row.status == "sent" and row.finished_at == OPENING
    [mail] = mail_to(smtp_sink, customer_id)
    assert mail["message_id"] == row.provider_message_id
    assert mail["list_unsubscribe"] == f"<{row.unsubscribe_url}>"


async def test_unknown_template_is_dead_lettered_but_an_unknown_customer_waits(client, clock) -> None:
    """The DLQ holds what can never succeed; a customer not known yet is expected and waits (architecture rule 10)."""
    from notifier.delivery import metrics

    await broker_ready(service)
    customer_id, _ = await add_customer()
    before = metrics.REJECTED_REQUESTS.labels("unknown_template")._value.get()
    bad_template = request(customer_id, template="no_such_template")
    early = request(str(uuid.uuid4()))  # a customer the notifier will hear of later
    await publish(bad_template, early)
    seen: list[dict] = []

    async def settled() -> bool:
        seen.extend(await dead_letters())
        dead = {d["data"]["idempotency_key"] for d in seen}
        return bad_template.idempotency_key in dead and await waiting(early.idempotency_key) is not None

    assert await eventually(settled, timeout=15)
    assert early.idempotency_key not in {d["data"]["idempotency_key"] for d in seen + await dead_letters()}
    assert metrics.REJECTED_REQUESTS.labels("unknown_template")._value.get() == before + 1
    assert await messages(bad_template.idempotency_key) == [] and await messages(early.idempotency_key) == []


async def test_case_acknowledgement_for_a_customer_not_known_yet_goes_out_when_it_arrives(
    client, smtp_sink, clock
) -> None:
    """A case may be opened before its customer's events reach the notifier (accepted by design): the case's
    acknowledgement waits for the customer instead of being dead-lettered, then is sent like any other."""
    await broker_ready(service)
    customer_id = str(uuid.uuid4())
    await publish(acknowledged(customer_id, "c-early", "TS-2026-000099"))
    key_prefix = "case.acknowledged.v1:"

    async def parked() -> Any:
        from sqlalchemy import select

        from notifier.delivery.models import WaitingRequest

        async with service.db.session() as session:
            return (
                await session.scalars(select(WaitingRequest).where(WaitingRequest.customer_id == customer_id))
            ).first()

    row = await eventually(parked, timeout=15)
    assert row is not None and row.idempotency_key.startswith(key_prefix)
    assert await messages(customer_id=customer_id) == []
    await add_customer(customer_id=customer_id)  # its contacts arrive: the waiting request goes through
    found = await messages(customer_id=customer_id)
    assert found and {(m.template, m.status) for m in found} == {("case_acknowledged", "pending")}
    assert await waiting(row.idempotency_key) is None
    await dispatcher(delivery_settings(smtp_sink), NOON).run_once()
    assert {m.status for m in await messages(customer_id=customer_id, channel="email")} == {"sent"}
    assert mail_to(smtp_sink, customer_id)
    assert all(d["data"].get("customer_id") != customer_id for d in await dead_letters())


async def test_a_request_that_waited_in_vain_is_suppressed_with_its_reason(client, clock) -> None:
    from notifier.delivery import service as delivery
    from notifier.delivery.models import WaitingRequest
    from notifier.settings import notifier_settings

    settings = notifier_settings()
    customer_id = str(uuid.uuid4())  # never registered
    early = request(customer_id)
    await publish(early)
    assert await eventually(lambda: waiting(early.idempotency_key), timeout=15)
    async with service.db.session() as session:
        assert await delivery.close_expired_waits(session, settings=settings, now=NOON, limit=10) == 0
    later = (await waiting(early.idempotency_key)).expires_at + timedelta(seconds=1)
    async with service.db.session() as session:
        closed = await delivery.close_expired_waits(session, settings=settings, now=later, limit=10_000)
    assert closed >= 1
    [message] = await messages(early.idempotency_key)
    assert (message.status, message.reason, message.address) == ("suppressed", "customer_not_known", None)
    async with service.db.session() as session:
        assert await session.get(WaitingRequest, early.idempotency_key) is None
    [event] = await outbox_events(service, message.id, "notification.suppressed.v1")
    assert event["data"]["reason"] == "customer_not_known"


async def test_escalation_reaches_roles_in_app_and_im_webhook(client, provider, clock, monkeypatch) -> None:
    from contracts.events.cases import CaseEscalatedV1
    from notifier.settings import notifier_settings
    from notifier.staff_inbox import service as staff_inbox

    await broker_ready(service)
    monkeypatch.setitem(notifier_settings().staff_contacts, "role:vice_president", {"im": f"{provider.url}/im"})
    event = CaseEscalatedV1(
        case_id="c-1",
        number="TS-2026-000042",
        customer_id="cust-x",
        to_roles=["vice_president"],
        reason="serious_complaint",
        severity="serious",
        department="customer_service",
        owner="alice",
    )
    await publish(event)

    async def rows() -> list:
        found = await messages(staff="role:vice_president", template="case_escalated")
        return found if len(found) >= 2 else []

    found = await eventually(rows, timeout=15)
    assert {r.channel for r in found} == {"in_app", "im"}
    await dispatcher(delivery_settings(provider=provider), NOON).run_once()
    assert {r.status for r in await messages(staff="role:vice_president")} == {"sent"}
    assert provider.requests[-1]["json"]["msgtype"] == "text"
    async with service.db.session() as session:
        items = await staff_inbox.get_all(session, staff="role:vice_president")
    assert any("TS-2026-000042" in (item.subject or "") for item in items)


async def test_case_acknowledged_triggers_a_service_message_to_the_customer(client, clock) -> None:
    from contracts.events.cases import CaseSlaAtRiskV1

    await broker_ready(service)
    customer_id, contact_id = await add_customer()
    ack = acknowledged(customer_id, "c-2", "TS-2026-000043")
    nobody = CaseSlaAtRiskV1(
        case_id="c-3",
        number="TS-2026-000044",
        customer_id=customer_id,
        target="resolution",
        deadline=NOON,
        owner=None,
        department="customer_service",
    )
    await publish(nobody, ack)

    async def rows() -> list:
        return await messages(customer_id=customer_id, template="case_acknowledged")

    found = await eventually(rows, timeout=15)
    assert {(r.channel, r.purpose, r.contact_id, r.status) for r in found} == {
        ("email", "service", contact_id, "pending"),
        ("sms", "service", contact_id, "pending"),
    }
    assert "TS-2026-000043" in found[0].subject
    assert await messages(template="sla_at_risk") == []  # handled first (same queue): no owner, no staff message
