"""Delivery on real PostgreSQL, RabbitMQ, an SMTP server process and an SMS/IM provider server:
consent (R-42), quiet hours and duplicates (R-43), dead-lettered requests, provider failures (R-40)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from delivery_helpers import (
    add_customer, broker_ready, dead_letters, dispatcher, mail_to, messages, outbox_events, publish, request, service,
    wait_for_messages,
)
from conftest import delivery_settings
from servicekit.testing import Observer, bearer, eventually

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("notifier_schema")]

NOON = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # 12:00 in Asia/Shanghai
LATE = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # 22:00 in Asia/Shanghai
OPENING = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)  # 08:00 the next morning


async def test_service_email_is_sent_once_with_message_id_from_the_key(client, smtp_sink, clock) -> None:
    await broker_ready()
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
    events = await outbox_events(row.id)
    assert [e["type"] for e in events] == ["notification.sent.v1"]
    assert events[0]["data"]["idempotency_key"] == first.idempotency_key


async def _nothing_due(worker) -> bool:
    return await worker.run_once() == 0 and len(await messages()) > 0


async def test_consent_withdrawn_care_message_is_suppressed_with_event_on_the_broker(client, smtp_sink, clock) -> None:
    from notifier import consent

    await broker_ready()
    customer_id, contact_id = await add_customer(consents=(("email", "care"),))
    async with Observer("notification.suppressed.v1") as observer:
        # consent granted: accepted and pending; withdrawn before sending: suppressed when claimed
        granted = request(customer_id, purpose="care", template="care_birthday", parameters={})
        await publish(granted)
        [row] = await wait_for_messages(granted.idempotency_key)
        assert row.status == "pending" and row.unsubscribe_url
        async with service().db.session() as session:
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
    await broker_ready()
    customer_id, _ = await add_customer(consents=(("email", "care"),))
    clock["value"] = LATE
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


async def test_unknown_template_or_recipient_is_dead_lettered_with_a_reason(client, clock) -> None:
    from notifier import metrics

    await broker_ready()
    customer_id, _ = await add_customer()
    before = {r: metrics.REJECTED_REQUESTS.labels(r)._value.get() for r in ("unknown_template", "unknown_recipient")}
    bad_template = request(customer_id, template="no_such_template")
    bad_recipient = request("no-such-customer")
    await publish(bad_template, bad_recipient)

    async def both_dead() -> list:
        found = [d for d in await dead_letters() if d["data"]["idempotency_key"] in (bad_template.idempotency_key, bad_recipient.idempotency_key)]
        both_dead.seen += found
        return both_dead.seen if len(both_dead.seen) >= 2 else []

    both_dead.seen = []
    assert len(await eventually(both_dead, timeout=15)) == 2
    assert metrics.REJECTED_REQUESTS.labels("unknown_template")._value.get() == before["unknown_template"] + 1
    assert metrics.REJECTED_REQUESTS.labels("unknown_recipient")._value.get() == before["unknown_recipient"] + 1
    assert await messages(bad_template.idempotency_key) == []


async def test_sms_provider_4xx_fails_with_the_providers_reason(client, provider, clock) -> None:
    await broker_ready()
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

    provider.replies.append((400, {"code": 21211, "message": "The 'To' number is not a valid phone number.", "status": 400}))
    await publish(refused)
    await wait_for_messages(refused.idempotency_key)
    await worker.run_once()
    [failed] = await messages(refused.idempotency_key)
    assert failed.status == "failed" and failed.attempts == 1
    assert failed.reason == "sms 21211: The 'To' number is not a valid phone number."
    [event] = await outbox_events(failed.id)
    assert event["type"] == "notification.failed.v1" and event["data"]["reason"] == failed.reason


async def test_escalation_reaches_roles_in_app_and_im_webhook(client, provider, clock, monkeypatch) -> None:
    from contracts.events.cases import CaseEscalatedV1

    from notifier import inbox
    from notifier.settings import notifier_settings

    await broker_ready()
    monkeypatch.setitem(notifier_settings().staff_contacts, "role:vice_president", {"im": f"{provider.url}/im"})
    event = CaseEscalatedV1(
        case_id="c-1", number="TS-2026-000042", customer_id="cust-x", to_roles=["vice_president"],
        reason="serious_complaint", severity="serious", department="customer_service", owner="alice",
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
    async with service().db.session() as session:
        items = await inbox.get_all(session, staff="role:vice_president")
    assert any("TS-2026-000042" in (item.subject or "") for item in items)


async def test_history_masks_addresses_and_erasure_forgets_them(client, smtp_sink, clock) -> None:
    from contracts import Envelope
    from contracts.events.customer import CustomerErasedV1

    from notifier import consumers

    await broker_ready()
    customer_id, _ = await add_customer(email="han.meimei@example.com")
    sent = request(customer_id, channels=["email", "sms"])
    await publish(sent)
    await wait_for_messages(sent.idempotency_key, 2)
    listed = await client.get("/messages", params={"customer_id": customer_id}, headers=bearer("sue", "agent"))
    assert listed.status_code == 200
    addresses = sorted(item["address"] for item in listed.json()["items"])
    assert addresses == ["+86138****5678", "h***@example.com"]
    one = await client.get(f"/messages/{listed.json()['items'][0]['id']}", headers=bearer("sue", "agent"))
    assert one.status_code == 200 and "body" not in one.json()
    bad = await client.get("/messages", headers=bearer("sue", "agent"))
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "customer_id"

    async with service().db.session() as session:
        await consumers.on_customer_event(
            session,
            Envelope.wrap(CustomerErasedV1(customer_id=customer_id, erased_at=NOON), producer="customer",
                          aggregate_id=customer_id, aggregate_version=9),
        )
    rows = await messages(sent.idempotency_key)
    assert all(r.address is None and r.body is None for r in rows)
    await dispatcher(delivery_settings(smtp_sink), NOON).run_once()
    assert {(r.status, r.reason) for r in await messages(sent.idempotency_key)} == {("suppressed", "erased")}


async def test_recipient_read_model_ignores_stale_versions_and_follows_a_merge(client) -> None:
    from contracts import Envelope
    from contracts.events.customer import ContactPoint, CustomerContactsChangedV1, CustomerMergedV1

    from notifier import consumers, recipients

    survivor, _ = await add_customer(email="survivor@example.com")
    merged, merged_contact = await add_customer(email="new@example.com", time_zone="Europe/Berlin")
    stale = CustomerContactsChangedV1(
        customer_id=merged, contacts=[ContactPoint(contact_id=merged_contact, name="x", email="old@example.com", primary=True)]
    )

    async def apply(event, aggregate_id: str, version: int) -> None:
        async with service().db.session() as session:
            await consumers.on_customer_event(
                session, Envelope.wrap(event, producer="customer", aggregate_id=aggregate_id, aggregate_version=version)
            )

    await apply(stale, merged, 1)  # older than the version 2 list: ignored (rule 5)
    async with service().db.session() as session:
        found = await recipients.customer_addresses(session, merged, None, ["email"])
    assert found["email"].address == "new@example.com" and found["email"].time_zone == "Europe/Berlin"

    await apply(CustomerMergedV1(survivor_id=survivor, merged_id=merged), merged, 5)
    async with service().db.session() as session:
        assert await recipients.customer_addresses(session, merged, None, ["email"]) is None
        moved = await recipients.customer_addresses(session, survivor, merged_contact, ["email"])
    assert moved["email"].address == "new@example.com"


async def test_metrics_series_exist_from_the_start(client) -> None:
    text = (await client.get("/metrics")).text
    assert 'crm_notifications_total{channel="sms",outcome="failed",purpose="marketing"} 0.0' in text
    assert 'crm_notification_delivery_seconds_count{channel="im"}' in text
    assert "crm_notifications_deferred_backlog " in text and "crm_notifications_deferred_oldest_age_seconds " in text


async def test_case_acknowledged_triggers_a_service_message_to_the_customer(client, clock) -> None:
    from contracts.events.cases import CaseAcknowledgedV1, CaseSlaAtRiskV1

    await broker_ready()
    customer_id, contact_id = await add_customer()
    ack = CaseAcknowledgedV1(
        case_id="c-2", number="TS-2026-000043", customer_id=customer_id, acknowledged_at=NOON,
        acknowledged_by="alice", within_sla=True,
    )
    nobody = CaseSlaAtRiskV1(
        case_id="c-3", number="TS-2026-000044", customer_id=customer_id, target="resolution", deadline=NOON,
        owner=None, department="customer_service",
    )
    await publish(nobody, ack)

    async def rows() -> list:
        return await messages(customer_id=customer_id, template="case_acknowledged")

    found = await eventually(rows, timeout=15)
    assert {(r.channel, r.purpose, r.contact_id, r.status) for r in found} == {
        ("email", "service", contact_id, "pending"), ("sms", "service", contact_id, "pending"),
    }
    assert "TS-2026-000043" in found[0].subject
    assert await messages(template="sla_at_risk") == []  # handled first (same queue): no owner, no staff message
