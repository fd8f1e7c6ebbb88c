"""R-09 key rotation: `crm pii rekey` re-encrypts everything under the active key, in batches, idempotently."""

from __future__ import annotations

import asyncio
import os
from contextlib import contextmanager

import pytest
from sqlalchemy import Text, select, type_coerce

from crm_cli.main import main
from customer import keys
from customer.models import Base, Contact, ContactPoint
from servicekit import pii
from servicekit.db import Database
from servicekit.testing import create_database, migrate

pytestmark = pytest.mark.integration

KEY_A, KEY_B = pii.generate_key(), pii.generate_key()


@contextmanager
def pii_keys(keys_value: str, index_key: str):
    saved = {name: os.environ.get(name) for name in ("CRM_PII_KEYS", "CRM_PII_INDEX_KEY")}
    os.environ.update(CRM_PII_KEYS=keys_value, CRM_PII_INDEX_KEY=index_key)
    pii.reset_keyring()
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        pii.reset_keyring()


@pytest.fixture
async def fresh_db(monkeypatch):
    url = create_database("crm_test_rekey")
    await asyncio.to_thread(migrate, "customer", url)
    monkeypatch.setenv("CRM_CUSTOMER_DATABASE_URL", url)  # for the `crm pii rekey` run
    db = Database(url, service="customer")
    yield db
    await db.dispose()


async def stored_tokens(db: Database) -> list[str]:
    async with db.session() as session:
        birthdays = await session.scalars(select(type_coerce(Contact.birthday, Text)))
        values = await session.scalars(select(type_coerce(ContactPoint.value, Text)))
        return [*birthdays, *values]


async def test_rekey_moves_every_value_to_the_new_key_and_the_old_key_can_go(fresh_db, new_customer, capsys) -> None:
    index_key = pii.generate_key()
    with pii_keys(f"A:{KEY_A}", index_key):
        people = [await new_customer(fresh_db, phone=f"+861370000{i:04d}", email=f"k{i}@example.com") for i in range(3)]
        assert all(token.startswith("A$") for token in await stored_tokens(fresh_db))

    with pii_keys(f"B:{KEY_B},A:{KEY_A}", index_key):
        report = await keys.rekey(fresh_db, Base.metadata, batch_size=2)  # several batches
        assert report.rekeyed == {"contacts.birthday": 3, "contact_points.value": 6}
        assert not any(report.unreadable.values())
        # idempotent: the CLI run afterwards finds nothing left to do
        assert await asyncio.to_thread(main, ["pii", "rekey", "--service", "customer"]) == 0
        assert "contact_points.value: 0 re-encrypted under key B" in capsys.readouterr().out

    with pii_keys(f"B:{KEY_B}", index_key):  # A dropped
        tokens = await stored_tokens(fresh_db)
        assert len(tokens) == 9 and all(token.startswith("B$") for token in tokens)
        async with fresh_db.session() as session:
            for person in people:
                points = await session.scalars(select(ContactPoint).where(ContactPoint.contact_id == person.contact_id))
                assert {p.value for p in points} == {person.phone, person.email}
                assert (await session.get(Contact, person.contact_id)).birthday == person.birthday


async def test_values_under_a_missing_key_are_reported_and_reindex_follows_a_new_index_key(fresh_db, new_customer) -> None:
    with pii_keys(f"A:{KEY_A}", pii.generate_key()):
        person = await new_customer(fresh_db)
    new_index_key = pii.generate_key()
    with pii_keys(f"B:{KEY_B}", new_index_key):  # A is missing: nothing is lost, the run says so
        report = await keys.rekey(fresh_db, Base.metadata)
        assert report.total == 0 and report.unreadable["contact_points.value"] == 2
    with pii_keys(f"A:{KEY_A}", new_index_key):
        assert await keys.reindex(fresh_db, Base.metadata) == 2
        assert await keys.reindex(fresh_db, Base.metadata) == 0
        async with fresh_db.session() as session:
            points = list(await session.scalars(select(ContactPoint).where(ContactPoint.contact_id == person.contact_id)))
        assert {p.value_index for p in points} == {pii.blind_index(person.phone), pii.blind_index(person.email)}


def test_new_key_prints_a_usable_key_line(capsys) -> None:
    assert main(["pii", "new-key", "--id", "k2"]) == 0
    line = capsys.readouterr().out.strip()
    ring = pii.Keyring.parse(line, pii.generate_key())
    assert ring.active == "k2"
    assert ring.decrypt(ring.encrypt("x")) == "x"
