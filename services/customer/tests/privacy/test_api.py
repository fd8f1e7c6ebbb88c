"""R-09/R-42 erasure: identities go, statistics stay; events; idempotent; erased customers refuse contact changes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from customer.consent.models import Consent
from customer.contacts.models import ContactPoint
from customer.records.models import Customer
from servicekit.testing import bearer

pytestmark = pytest.mark.integration

MANAGER = bearer("meg", "manager")
OWNER = bearer("alice", "agent", team="east")
CONSENT = {"channel": "sms", "purpose": "care", "granted": True, "source": "phone call"}


def erase_url(person) -> str:
    return f"/customers/{person.customer_id}/erase"


async def test_erase_removes_identities_keeps_statistics_and_emits_events(client, person, outbox_events) -> None:
    from customer.app import service

    consents = f"/customers/{person.customer_id}/contacts/{person.contact_id}/consents"
    assert (await client.put(consents, json=[CONSENT], headers=OWNER)).status_code == 200
    response = await client.post(erase_url(person), json={"reason": "PIPL request 2026-17"}, headers=MANAGER)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["contacts"], body["contact_points_deleted"], body["consents_withdrawn"], body["already_erased"]) == (
        1,
        2,
        1,
        False,
    )

    async with service.db.session() as session:
        customer = await session.get(Customer, person.customer_id)
        [contact] = customer.contacts
        assert customer.name == f"erased {person.number}"
        assert (customer.address, customer.key_needs, customer.cooperation_history) == (None, None, [])
        assert (customer.tier, customer.orders_12m, customer.owner) == ("high", 7, "alice")  # statistics survive
        assert customer.erased_at is not None
        assert (contact.name, contact.position, contact.birthday, contact.points) == ("erased", None, None, [])
        points = await session.scalars(select(ContactPoint).where(ContactPoint.customer_id == person.customer_id))
        assert list(points) == []
        history = list(
            await session.scalars(select(Consent).where(Consent.contact_id == person.contact_id).order_by(Consent.id))
        )
        assert [(c.granted, c.source) for c in history] == [(True, "phone call"), (False, "erasure")]

    types = [e["type"] for e in await outbox_events(person.customer_id)]
    assert types[-2:] == ["customer.contacts_changed.v1", "customer.erased.v1"]
    [changed] = await outbox_events(person.customer_id, "customer.contacts_changed.v1")
    assert changed["data"]["contacts"] == []
    [erased] = await outbox_events(person.customer_id, "customer.erased.v1")
    assert erased["aggregate_version"] > changed["aggregate_version"]

    again = await client.post(erase_url(person), json={"reason": "retry"}, headers=MANAGER)
    assert again.status_code == 200
    assert again.json()["already_erased"] is True
    assert len(await outbox_events(person.customer_id)) == len(types)  # nothing new
    # an erased customer's contacts cannot change any more
    assert (await client.put(consents, json=[CONSENT], headers=OWNER)).status_code == 409


async def test_only_managers_and_admins_erase_and_other_teams_see_nothing(client, person, new_customer) -> None:
    for headers in (OWNER, bearer("audrey", "auditor"), bearer("sue", "supervisor")):
        assert (await client.post(erase_url(person), json={"reason": "x"}, headers=headers)).status_code == 403
    assert (await client.post(erase_url(person), json={"reason": "x"})).status_code == 401
    missing = await client.post("/customers/nope/erase", json={"reason": "x"}, headers=bearer("root", "admin"))
    assert missing.status_code == 404


@pytest.mark.parametrize(
    ("payload", "field"), [({}, "reason"), ({"reason": " "}, "reason"), ({"reason": "x", "all": True}, "all")]
)
async def test_bad_erase_input_is_422(client, person, payload, field) -> None:
    response = await client.post(erase_url(person), json=payload, headers=MANAGER)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field


async def test_the_contact_api_refuses_changes_to_an_erased_customer(client, person) -> None:
    assert (await client.post(erase_url(person), json={"reason": "PIPL request"}, headers=MANAGER)).status_code == 200
    contact = {"name": "李四", "phones": [{"number": "+8613700001111"}]}
    base = f"/customers/{person.customer_id}/contacts"
    assert (await client.post(base, json=contact, headers=MANAGER)).status_code == 409
    assert (
        await client.patch(f"{base}/{person.contact_id}", json={"name": "李四"}, headers=MANAGER)
    ).status_code == 409
    assert (await client.delete(f"{base}/{person.contact_id}", headers=MANAGER)).status_code == 409
    assert (
        await client.patch(f"/customers/{person.customer_id}", json={"industry": "制造"}, headers=MANAGER)
    ).status_code == 409
