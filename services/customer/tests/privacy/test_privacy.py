"""R-09 personal data: encrypted at rest (pg_dump), append-only audit log, data-subject export."""

from __future__ import annotations

import asyncio
import subprocess
import uuid
from datetime import UTC, datetime

import asyncpg
import pytest

from customer.models import PendingChange
from servicekit.backup import find_binary, libpq_url
from servicekit.testing import bearer

pytestmark = pytest.mark.integration

OWNER = bearer("alice", "agent", team="east")
MANAGER = bearer("meg", "manager")
AUDITOR = bearer("audrey", "auditor")
ADMIN = bearer("root", "admin")
CONSENT = {"channel": "email", "purpose": "care", "granted": True, "source": "web form"}


def service_url() -> str:
    from customer.app import service

    return service.settings.database_url


async def test_contact_data_is_not_in_plaintext_in_a_database_dump(new_customer) -> None:
    person = await new_customer(phone="+8613987654321", email="li.si@example.org")
    dump = await asyncio.to_thread(
        subprocess.run,
        [find_binary("pg_dump"), "--data-only", "--dbname", libpq_url(service_url())],
        capture_output=True,
        text=True,
        check=True,
    )
    assert person.contact_id in dump.stdout  # the rows are in the dump ...
    for plaintext in (
        "13987654321",
        "139 8765 4321",
        "139-8765-4321",
        "li.si@example.org",
        "li.si",
        "1987-06-15",
        "19870615",
    ):
        assert plaintext not in dump.stdout  # ... their contact data only as ciphertext


async def test_audit_log_refuses_update_and_delete_on_postgres(person, client) -> None:
    consents = f"/customers/{person.customer_id}/contacts/{person.contact_id}/consents"
    assert (await client.put(consents, json=[CONSENT], headers=OWNER)).status_code == 200
    connection = await asyncpg.connect(libpq_url(service_url()))
    try:
        for statement in (
            "UPDATE audit_log SET actor = 'mallory' WHERE customer_id = $1",
            "DELETE FROM audit_log WHERE customer_id = $1",
        ):
            with pytest.raises(asyncpg.PostgresError, match="append-only|not allowed|refuse"):
                await connection.execute(statement, person.customer_id)
        assert (
            await connection.fetchval(
                "SELECT count(*) FROM audit_log WHERE customer_id = $1 AND actor = 'alice'", person.customer_id
            )
            == 1
        )
    finally:
        await connection.close()


async def test_data_subject_export_holds_everything_about_the_contact_and_is_audited(client, person) -> None:
    from customer.app import service

    consents = f"/customers/{person.customer_id}/contacts/{person.contact_id}/consents"
    await client.put(consents, json=[CONSENT], headers=OWNER)
    await client.put(consents, json=[{**CONSENT, "granted": False, "source": "phone call"}], headers=OWNER)
    now = datetime.now(UTC)
    async with service.db.session() as session:
        session.add(
            PendingChange(
                id=str(uuid.uuid4()),
                customer_id=person.customer_id,
                contact_id=person.contact_id,
                field="position",
                old_value="采购经理",
                new_value="总经理",
                status="pending",
                requested_by="alice",
                requested_at=now,
                learned_at=now,
            )
        )
    url = f"/customers/{person.customer_id}/contacts/{person.contact_id}/export"
    response = await client.get(url, headers=MANAGER)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["contact"]["name"] == "张三"
    assert body["contact"]["birthday"] == person.birthday
    assert {p["kind"]: p["value"] for p in body["contact_points"]} == {"phone": person.phone, "email": person.email}
    assert [(c["granted"], c["source"]) for c in body["consents"]["history"]] == [
        (True, "web form"),
        (False, "phone call"),
    ]
    assert [c["granted"] for c in body["consents"]["current"]] == [False]
    assert [(p["field"], p["new_value"]) for p in body["pending_changes"]] == [("position", "总经理")]
    assert [a["action"] for a in body["audit"]] == ["consent", "consent"]

    exports = (await client.get(f"/audit?customer_id={person.customer_id}&action=export", headers=AUDITOR)).json()[
        "items"
    ]
    assert [(e["actor"], e["contact_id"]) for e in exports] == [("meg", person.contact_id)]
    assert (await client.get(url, headers=AUDITOR)).status_code == 200


async def test_export_is_for_managers_auditors_and_admins_only(client, person, new_customer) -> None:
    url = f"/customers/{person.customer_id}/contacts/{person.contact_id}/export"
    for headers in (OWNER, bearer("sue", "supervisor"), bearer("mia", "marketing")):
        response = await client.get(url, headers=headers)
        assert response.status_code == 403
        assert person.phone not in response.text
    other = await new_customer()
    assert (
        await client.get(f"/customers/{person.customer_id}/contacts/{other.contact_id}/export", headers=MANAGER)
    ).status_code == 404
    assert (
        await client.get(f"/customers/{uuid.uuid4()}/contacts/{person.contact_id}/export", headers=MANAGER)
    ).status_code == 404


async def create_and_dump(client, *pg_dump_args: str) -> tuple[str, str]:
    contact = {
        "name": "王五",
        "phones": [{"number": "139 1122 3344"}],
        "emails": [{"address": "Wang.Wu@Example.net"}],
        "birthday": "1979-02-03",
    }
    response = await client.post("/customers", json={"name": "Dump check Ltd", "contacts": [contact]}, headers=OWNER)
    assert response.status_code == 201, response.text
    dump = await asyncio.to_thread(
        subprocess.run,
        [find_binary("pg_dump"), "--data-only", *pg_dump_args, "--dbname", libpq_url(service_url())],
        capture_output=True,
        text=True,
        check=True,
    )
    assert response.json()["id"] in dump.stdout
    return response.json()["id"], dump.stdout.lower()


API_PLAINTEXTS = ("13911223344", "139 1122 3344", "1122 3344", "wang.wu@example.net", "1979-02-03", "19790203")


async def test_contact_data_created_through_the_api_is_not_in_plaintext_in_the_tables(client) -> None:
    _, text = await create_and_dump(client, "--exclude-table-data=outbox")
    for plaintext in API_PLAINTEXTS:
        assert plaintext not in text, plaintext


async def test_published_events_do_not_keep_contact_data_in_plaintext_in_the_outbox(client) -> None:
    _, text = await create_and_dump(client, "--table=outbox")
    for plaintext in API_PLAINTEXTS:
        assert plaintext not in text, plaintext


async def test_whole_customer_export_holds_the_profile_and_every_contact(client, person) -> None:
    response = await client.get(f"/customers/{person.customer_id}/export", headers=AUDITOR)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["customer"]["number"], body["customer"]["address"]) == (person.number, "西湖区文三路 1 号")
    [contact] = body["contacts"]
    assert contact["contact"]["birthday"] == person.birthday
    assert {p["value"] for p in contact["contact_points"]} == {person.phone, person.email}
    assert (await client.get(f"/customers/{person.customer_id}/export", headers=OWNER)).status_code == 403
