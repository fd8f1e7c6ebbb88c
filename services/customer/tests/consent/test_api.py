"""R-42 consent per contact, channel and purpose over HTTP: history, who, when and source, events."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from customer.app import service
from customer.consent.models import Consent
from servicekit.testing import bearer

pytestmark = pytest.mark.integration

OWNER = bearer("alice", "agent", team="east")
OTHER_TEAM = bearer("bob", "agent", team="west")
AUDITOR = bearer("audrey", "auditor")
FORM = {"channel": "email", "purpose": "marketing", "granted": True, "source": "web form"}


def url(person) -> str:
    return f"/customers/{person.customer_id}/contacts/{person.contact_id}/consents"


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
    assert [(e["data"]["channel"], e["data"]["granted"]) for e in events] == [
        ("email", True),
        ("sms", True),
        ("email", False),
    ]
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
        assert (
            await session.scalar(
                select(func.count()).select_from(Consent).where(Consent.contact_id == person.contact_id)
            )
            == 0
        )
