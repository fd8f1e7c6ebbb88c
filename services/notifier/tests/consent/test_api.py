"""Signed single-click unsubscribe (R-42, RFC 8058): consent withdrawn at once, event in the outbox, idempotent."""

from __future__ import annotations

import uuid

import pytest

from notifier.app import service
from notifier.consent import service as consent
from notifier.consent.rules import unsubscribe_token
from notifier.settings import notifier_settings
from servicekit.db import utcnow
from servicekit.testing import outbox_events

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("notifier_schema")]


async def unsubscribed_events(customer_id: str) -> list[dict]:
    return await outbox_events(service, customer_id, "notification.unsubscribed.v1")


async def test_unsubscribe_withdraws_consent_at_once_and_once(client) -> None:
    customer_id, contact_id = str(uuid.uuid4()), str(uuid.uuid4())
    async with service.db.session() as session:
        await consent.record(
            session,
            customer_id=customer_id,
            contact_id=contact_id,
            channel="email",
            purpose="care",
            granted=True,
            source="customer",
            recorded_at=utcnow(),
        )
    path = "/unsubscribe/" + unsubscribe_token(
        customer_id, contact_id, "email", "care", secret=notifier_settings().unsubscribe_secret
    )

    page = await client.get(path)
    assert page.status_code == 200 and '<form method="post">' in page.text
    async with service.db.session() as session:  # a GET (link scanners) changes nothing
        assert await consent.granted(session, customer_id, contact_id, "email", "care") is True

    # RFC 8058: the mail client posts this form body
    done = await client.post(
        path, content="List-Unsubscribe=One-Click", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert done.status_code == 200
    async with service.db.session() as session:
        assert await consent.granted(session, customer_id, contact_id, "email", "care") is False
    [event] = await unsubscribed_events(customer_id)
    assert event["data"] == {
        "customer_id": customer_id,
        "contact_id": contact_id,
        "channel": "email",
        "purpose": "care",
        "unsubscribed_at": event["data"]["unsubscribed_at"],
    }

    assert (await client.post(path)).status_code == 200  # the same link again: no second event
    assert len(await unsubscribed_events(customer_id)) == 1


async def test_tampered_token_is_refused(client) -> None:
    token = unsubscribe_token("c", "k", "email", "marketing", secret=notifier_settings().unsubscribe_secret)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for response in (await client.get(f"/unsubscribe/{tampered}"), await client.post(f"/unsubscribe/{tampered}")):
        assert response.status_code == 400
        assert response.json()["error"]["field"] == "token"
    forged = unsubscribe_token("c", "k", "email", "marketing", secret="attacker")
    assert (await client.post(f"/unsubscribe/{forged}")).status_code == 400
