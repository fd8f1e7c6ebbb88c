"""R-42 consent per contact, channel and purpose: API, history, events, and the unsubscribe consumer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import aio_pika
import pytest
from sqlalchemy import func, select

from contracts import Envelope
from contracts.events.notification import NotificationUnsubscribedV1
from contracts.topology import EXCHANGE
from customer import consent
from customer.app import service
from customer.models import Consent
from servicekit import metrics
from servicekit.testing import BROKER_URL, bearer, eventually

pytestmark = pytest.mark.integration

OWNER = bearer("alice", "agent", team="east")
OTHER_TEAM = bearer("bob", "agent", team="west")
AUDITOR = bearer("audrey", "auditor")
FORM = {"channel": "email", "purpose": "marketing", "granted": True, "source": "web form"}


def url(person) -> str:
    return f"/customers/{person.customer_id}/contacts/{person.contact_id}/consents"


# --- pure rules ---------------------------------------------------------------

def test_the_newest_row_per_channel_and_purpose_is_in_force() -> None:
    t0 = datetime(2026, 3, 1, tzinfo=UTC)
    rows = [
        SimpleNamespace(id=2, channel="sms", purpose="care", granted=False, recorded_at=t0 + timedelta(days=1)),
        SimpleNamespace(id=1, channel="sms", purpose="care", granted=True, recorded_at=t0),
        SimpleNamespace(id=3, channel="email", purpose="care", granted=True, recorded_at=t0),
    ]
    state = consent.current_state(rows)  # type: ignore[arg-type]
    assert state[("sms", "care")].granted is False
    assert state[("email", "care")].granted is True
    assert consent.is_stale(rows[0], t0) is True  # type: ignore[arg-type]
    assert consent.is_stale(rows[0], t0 + timedelta(days=2)) is False  # type: ignore[arg-type]
    assert consent.is_stale(None, t0) is False


# --- API ----------------------------------------------------------------------

async def test_put_records_who_when_and_source_and_emits_one_event_per_change(client, person, outbox_events) -> None:
    changes = [FORM, {"channel": "sms", "purpose": "care", "granted": True, "source": "phone call"}]
    response = await client.put(url(person), json=changes, headers=OWNER)
    assert response.status_code == 200, response.text
    withdraw = await client.put(url(person), json=[{**FORM, "granted": False, "source": "email reply"}], headers=OWNER)
    body = withdraw.json()
    current = {(c["channel"], c["purpose"]): c for c in body["current"]}
    assert current[("email", "marketing")]["granted"] is False
    assert current[("email", "marketing")]["source"] == "email reply"
    assert current[("sms", "care")]["granted"] is True
    assert [h["granted"] for h in body["history"] if h["channel"] == "email"] == [True, False]
    assert {h["recorded_by"] for h in body["history"]} == {"alice"}
    assert (await client.get(url(person), headers=AUDITOR)).json() == body

    events = await outbox_events(person.customer_id, "customer.consent_changed.v1")
    assert [(e["data"]["channel"], e["data"]["granted"]) for e in events] == [("email", True), ("sms", True), ("email", False)]
    versions = [e["aggregate_version"] for e in events]
    assert versions == sorted(set(versions))


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ([{**FORM, "channel": "fax"}], "[0].channel"),
        ([{**FORM, "purpose": "spam"}], "[0].purpose"),
        ([FORM, {**FORM, "source": ""}], "[1].source"),
        ([{**FORM, "colour": "red"}], "[0].colour"),
        ([], "body"),
    ],
)
async def test_bad_consent_input_is_422_naming_the_field(client, person, payload, field) -> None:
    response = await client.put(url(person), json=payload, headers=OWNER)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field


async def test_another_teams_customer_and_a_foreign_contact_are_not_found(client, person, new_customer) -> None:
    other = await new_customer(team="south", owner="sam")
    assert (await client.get(url(person), headers=OTHER_TEAM)).status_code == 404
    assert (await client.put(url(person), json=[FORM], headers=OTHER_TEAM)).status_code == 404
    foreign = f"/customers/{person.customer_id}/contacts/{other.contact_id}/consents"
    assert (await client.get(foreign, headers=AUDITOR)).status_code == 404
    assert (await client.get(url(person))).status_code == 401
    async with service.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(Consent).where(Consent.contact_id == person.contact_id)) == 0


# --- the unsubscribe link (notification.unsubscribed.v1) ------------------------

def unsubscribed(person, at: datetime) -> Envelope:
    event = NotificationUnsubscribedV1(
        customer_id=person.customer_id, contact_id=person.contact_id, channel="email", purpose="marketing", unsubscribed_at=at
    )
    return Envelope.wrap(event, producer="notifier", aggregate_id=person.contact_id, aggregate_version=1)


async def publish(envelope: Envelope) -> None:
    connection = await aio_pika.connect(BROKER_URL)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(EXCHANGE)
        await exchange.publish(aio_pika.Message(envelope.model_dump_json().encode(), message_id=str(envelope.id)), routing_key=envelope.type)


def consumed(outcome: str) -> float:
    return metrics.MESSAGES_CONSUMED.labels("customer", "customer.consent", outcome)._value.get()


async def test_unsubscribe_link_withdraws_consent_once_and_emits_the_event(client, person, outbox_events) -> None:
    await client.put(url(person), json=[FORM], headers=OWNER)
    await eventually(lambda: _true(service.broker_started))
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
    assert [(e["data"]["granted"], e["data"]["source"]) for e in events] == [(True, "web form"), (False, "unsubscribe link")]


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
