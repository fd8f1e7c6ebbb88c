"""R-01 contacts over HTTP on PostgreSQL: validation, changes, and the full contact list in every event."""

from __future__ import annotations

import json

import pytest

from customer.app import service
from servicekit.testing import bearer, outbox_events

pytestmark = pytest.mark.integration

AGENT = bearer("alice", "agent", team="east")


async def events_for(customer_id: str, event_type: str | None = None) -> list[dict]:
    return await outbox_events(service, customer_id, event_type)


@pytest.mark.parametrize(
    ("contact", "field"),
    [
        ({"name": "x", "phones": ["12345"]}, "contacts[0].phones[0].number"),
        ({"name": "x", "phones": [{"number": "138 1234 5678", "fax": True}]}, "contacts[0].phones[0].fax"),
        ({"name": "x", "emails": ["not-an-email"]}, "contacts[0].emails[0].address"),
        ({"name": "x", "birthday": "1985-13-01"}, "contacts[0].birthday"),
        ({"name": ""}, "contacts[0].name"),
        ({"name": "x", "learned_at": "2999-01-01T00:00:00+08:00"}, "contacts[0].learned_at"),
    ],
)
async def test_bad_contact_is_422_naming_the_field(client, contact: dict, field: str) -> None:
    response = await client.post("/customers", json={"name": "x", "contacts": [contact]}, headers=AGENT)
    assert (response.status_code, response.json()["error"]["field"]) == (422, field)


async def test_contact_crud_emits_full_contact_list(client, create_customer, audit_rows, typed_contact) -> None:
    cid = (await create_customer(client))["id"]
    added = await client.post(f"/customers/{cid}/contacts", json=typed_contact, headers=AGENT)
    assert added.status_code == 201
    contact_id = added.json()["id"]
    assert added.json()["primary"] is True  # the only contact is the primary one
    second = (
        await client.post(
            f"/customers/{cid}/contacts", json={"name": "王五", "emails": ["wang@example.cn"]}, headers=AGENT
        )
    ).json()
    changed = await client.patch(
        f"/customers/{cid}/contacts/{contact_id}",
        json={"phones": ["+86 139 0000 1111"], "name": "张三丰"},
        headers=AGENT,
    )
    assert changed.status_code == 200
    assert changed.json()["name"] == "张三丰" and changed.json()["pending_changes"] == []
    bad = await client.patch(f"/customers/{cid}/contacts/{contact_id}", json={"emails": ["@"]}, headers=AGENT)
    assert (bad.status_code, bad.json()["error"]["field"]) == (422, "emails[0].address")
    assert (await client.delete(f"/customers/{cid}/contacts/{contact_id}", headers=AGENT)).status_code == 204
    assert (await client.delete(f"/customers/{cid}/contacts/{contact_id}", headers=AGENT)).status_code == 404
    final = await events_for(cid, "customer.contacts_changed.v1")
    assert [len(e["data"]["contacts"]) for e in final] == [1, 2, 2, 1]
    assert final[2]["data"]["contacts"][0]["phone"] == "+8613900001111"
    assert final[3]["data"]["contacts"] == [
        {"contact_id": second["id"], "name": "王五", "email": "wang@example.cn", "phone": None, "primary": True}
    ]
    versions = [e["aggregate_version"] for e in final]
    assert versions == sorted(versions) and len(set(versions)) == 4
    actions = [a.action for a in await audit_rows(cid) if a.action != "read_contact_data"]  # alice owns it: reads
    assert actions == ["create", "contact_added", "contact_added", "contact_updated", "contact_removed"]
    assert all("+86" not in json.dumps(a.details) for a in await audit_rows(cid))  # field names, never values
