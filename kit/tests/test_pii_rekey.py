"""R-09 key rotation: `crm pii rekey` re-encrypts everything under the active key, in batches, idempotently, in
every service that keeps personal data (servicekit.pii_rekey)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Column, ForeignKey, MetaData, String, Table, Text, insert, select, type_coerce

from crm_cli.datacare import pii_services
from crm_cli.main import main
from crm_cli.services import service_metadata
from servicekit import pii, pii_rekey
from servicekit.db import Database
from servicekit.testing import create_database, pii_keys

pytestmark = pytest.mark.integration

KEY_A, KEY_B = pii.generate_key(), pii.generate_key()

# a service's personal data in small: contacts with a birthday, their phones and emails with a blind index
# (`<column>_index`), and addresses keyed by two columns
metadata = MetaData()
contacts = Table(
    "contacts", metadata, Column("id", String(36), primary_key=True), Column("birthday", pii.EncryptedText)
)
contact_points = Table(
    "contact_points",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("contact_id", String(36), ForeignKey("contacts.id")),
    Column("value", pii.EncryptedText, nullable=False),
    Column("value_index", String(64), nullable=False),
)
addresses = Table(
    "addresses",
    metadata,
    Column("owner_id", String(36), primary_key=True),
    Column("kind", String(10), primary_key=True),
    Column("street", pii.EncryptedText),
)


@dataclass
class Person:
    contact_id: str
    phone: str
    email: str
    birthday: str = "1987-06-15"


@pytest.fixture
async def fresh_db() -> AsyncIterator[Database]:
    db = Database(create_database("crm_test_rekey"), service="kittest")
    async with db.engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield db
    await db.dispose()


async def new_person(db: Database, *, phone: str = "+8613812345678", email: str = "zhang.san@example.com") -> Person:
    person = Person(str(uuid.uuid4()), phone, email)
    async with db.session() as session:
        await session.execute(insert(contacts).values(id=person.contact_id, birthday=person.birthday))
        await session.execute(
            insert(contact_points),
            [
                {
                    "id": str(uuid.uuid4()),
                    "contact_id": person.contact_id,
                    "value": value,
                    "value_index": pii.blind_index(value),
                }
                for value in (phone, email)
            ],
        )
        await session.execute(
            insert(addresses),
            [{"owner_id": person.contact_id, "kind": kind, "street": f"{kind} street"} for kind in ("home", "work")],
        )
    return person


async def stored_tokens(db: Database) -> list[str]:
    async with db.session() as session:
        return [
            token
            for table, name in pii_rekey.encrypted_columns(metadata)
            for token in await session.scalars(select(type_coerce(table.c[name], Text)))
        ]


async def test_rekey_moves_every_value_to_the_new_key_and_the_old_key_can_go(fresh_db) -> None:
    index_key = pii.generate_key()
    with pii_keys(f"A:{KEY_A}", index_key):
        people = [await new_person(fresh_db, phone=f"+861370000{i:04d}", email=f"k{i}@example.com") for i in range(3)]
        assert all(token.startswith("A$") for token in await stored_tokens(fresh_db))

    with pii_keys(f"B:{KEY_B},A:{KEY_A}", index_key):
        report = await pii_rekey.rekey(fresh_db, metadata, batch_size=2)  # several batches
        assert report.rekeyed == {"contacts.birthday": 3, "contact_points.value": 6, "addresses.street": 6}
        assert not any(report.unreadable.values())
        assert (await pii_rekey.rekey(fresh_db, metadata, batch_size=2)).total == 0  # idempotent

    with pii_keys(f"B:{KEY_B}", index_key):  # A dropped
        tokens = await stored_tokens(fresh_db)
        assert len(tokens) == 15 and all(token.startswith("B$") for token in tokens)
        async with fresh_db.session() as session:
            for person in people:
                points = await session.scalars(
                    select(contact_points.c.value).where(contact_points.c.contact_id == person.contact_id)
                )
                assert set(points) == {person.phone, person.email}
                birthday = await session.scalar(select(contacts.c.birthday).where(contacts.c.id == person.contact_id))
                assert birthday == person.birthday
                streets = await session.scalars(
                    select(addresses.c.street).where(addresses.c.owner_id == person.contact_id)
                )
                assert set(streets) == {"home street", "work street"}


async def test_values_under_a_missing_key_are_reported_and_reindex_follows_a_new_index_key(fresh_db) -> None:
    with pii_keys(f"A:{KEY_A}", pii.generate_key()):
        person = await new_person(fresh_db)
    new_index_key = pii.generate_key()
    with pii_keys(f"B:{KEY_B}", new_index_key):  # A is missing: nothing is lost, the run says so
        report = await pii_rekey.rekey(fresh_db, metadata)
        assert report.total == 0 and report.unreadable["contact_points.value"] == 2
    with pii_keys(f"A:{KEY_A}", new_index_key):
        assert await pii_rekey.reindex(fresh_db, metadata) == 2
        assert await pii_rekey.reindex(fresh_db, metadata) == 0
        async with fresh_db.session() as session:
            indexes = await session.scalars(
                select(contact_points.c.value_index).where(contact_points.c.contact_id == person.contact_id)
            )
        assert set(indexes) == {pii.blind_index(person.phone), pii.blind_index(person.email)}


async def test_rekey_reaches_the_notifiers_encrypted_addresses(notifier_data, capsys) -> None:
    index_key = pii.generate_key()
    with pii_keys(f"A:{KEY_A}", index_key):
        people = [await notifier_data.add(n) for n in range(3)]
    with pii_keys(f"B:{KEY_B},A:{KEY_A}", index_key):
        assert await asyncio.to_thread(main, ["pii", "rekey", "--service", "notifier", "--batch-size", "2"]) == 0
        out = capsys.readouterr().out
        for column in ("recipient_contacts.email", "recipient_contacts.phone", "messages.address"):
            assert f"notifier {column}: 3 re-encrypted under key B" in out
        # idempotent: a second run finds nothing left to do
        assert await asyncio.to_thread(main, ["pii", "rekey", "--service", "notifier"]) == 0
        assert "recipient_contacts.email: 0 re-encrypted under key B" in capsys.readouterr().out
    with pii_keys(f"B:{KEY_B}", index_key):  # A dropped: every address still reads back
        for person in people:
            assert await notifier_data.read(person) == (person.email, person.phone, person.email)


def test_every_service_with_encrypted_columns_is_found_in_its_models(capsys) -> None:
    assert {"customer", "notifier"} <= set(pii_services())
    customer = service_metadata("customer")
    assert {f"{t.name}.{c}" for t, c in pii_rekey.encrypted_columns(customer)} >= {
        "contacts.birthday",
        "contact_points.value",
    }
    assert [(t.name, c, i) for t, c, i in pii_rekey.blind_indexes(customer)] == [
        ("contact_points", "value", "value_index")
    ]
    assert main(["pii", "rekey", "--service", "engagement"]) == 0  # nothing to do, and it says so
    assert "crm: engagement keeps no encrypted personal data" in capsys.readouterr().out


def test_new_key_prints_a_usable_key_line(capsys) -> None:
    assert main(["pii", "new-key", "--id", "k2"]) == 0
    line = capsys.readouterr().out.strip()
    ring = pii.Keyring.parse(line, pii.generate_key())
    assert ring.active == "k2"
    assert ring.decrypt(ring.encrypt("x")) == "x"
