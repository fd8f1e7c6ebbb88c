"""R-42 the notifier's unsubscribe link (notification.unsubscribed.v1) withdraws consent, once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from contracts import Envelope
from contracts.events.notification import NotificationUnsubscribedV1
from customer.app import service
from customer.consent import service as consent
from servicekit import metrics
from servicekit.testing import bearer, broker_ready, eventually, publish

pytestmark = pytest.mark.integration

OWNER = bearer("alice", "agent", team="east")
FORM = {"channel": "email", "purpose": "marketing", "granted": True, "source": "web form"}


def url(person) -> str:
    return f"/customers/{person.customer_id}/contacts/{person.contact_id}/consents"


def unsubscribed(person, at: datetime) -> Envelope:
    event = NotificationUnsubscribedV1(
        customer_id=person.customer_id,
        contact_id=person.contact_id,
        channel="email",
        purpose="marketing",
        unsubscribed_at=at,
    )
    return Envelope.wrap(event, producer="notifier", aggregate_id=person.contact_id, aggregate_version=1)


def consumed(outcome: str) -> float:
    return metrics.MESSAGES_CONSUMED.labels("customer", "customer.consent", outcome)._value.get()


async def test_unsubscribe_link_withdraws_consent_once_and_emits_the_event(client, person, outbox_events) -> None:
    await client.put(url(person), json=[FORM], headers=OWNER)
    await broker_ready(service)
    duplicates_before = consumed("duplicate")
    envelope = unsubscribed(person, datetime.now(UTC))
    await publish(envelope)
    await publish(envelope)  # redelivered: the inbox drops it

    async def withdrawn() -> list:
        return [c for c in (await client.get(url(person), headers=OWNER)).json()["history"] if not c["granted"]]

    rows = await eventually(withdrawn)
    await eventually(lambda: _true(consumed("duplicate") > duplicates_before), timeout=10)
    assert len(await withdrawn()) == 1
    assert rows[0]["source"] == "unsubscribe link"
    assert rows[0]["recorded_by"] == "system"
    events = await outbox_events(person.customer_id, "customer.consent_changed.v1")
    assert [(e["data"]["granted"], e["data"]["source"]) for e in events] == [
        (True, "web form"),
        (False, "unsubscribe link"),
    ]


async def test_a_stale_unsubscribe_does_not_undo_a_newer_grant(client, person) -> None:
    await client.put(url(person), json=[FORM], headers=OWNER)
    async with service.db.session() as session:
        old = unsubscribed(person, datetime.now(UTC) - timedelta(hours=1)).payload()
        assert await consent.record_unsubscribe(session, old) is None  # type: ignore[arg-type]
        fresh = unsubscribed(person, datetime.now(UTC)).payload()
        assert await consent.record_unsubscribe(session, fresh) is not None  # type: ignore[arg-type]
        assert await consent.record_unsubscribe(session, fresh) is None  # already withdrawn: no second row
    current = (await client.get(url(person), headers=OWNER)).json()["current"]
    assert current == [{**current[0], "granted": False, "source": "unsubscribe link"}]


async def _true(value: object) -> bool:
    return bool(value)
