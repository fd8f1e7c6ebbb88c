"""R-09 backup with a tested restore: `crm backup` / `crm restore` on PostgreSQL and SQLite, into EMPTY databases."""

from __future__ import annotations

import asyncio

import pytest

from crm_cli.main import main
from customer.models import Customer
from servicekit.db import Database
from servicekit.testing import create_database, migrate

pytestmark = pytest.mark.integration


async def assert_same_customers(url: str, people) -> None:
    """Open the restored database with the service's models: same customers, contacts still decrypt."""
    db = Database(url, service="customer")
    try:
        async with db.session() as session:
            for person in people:
                customer = await session.get(Customer, person.customer_id)
                assert customer is not None and customer.number == person.number
                [contact] = customer.contacts
                assert contact.birthday == person.birthday
                assert {p.kind: p.value for p in contact.points} == {"phone": person.phone, "email": person.email}
    finally:
        await db.dispose()


async def test_postgres_backup_restores_into_an_empty_database(tmp_path, monkeypatch, new_customer) -> None:
    people = [await new_customer(phone=f"+861380000{i:04d}", email=f"p{i}@example.com") for i in range(3)]
    dump = tmp_path / "customer.dump"
    assert main(["backup", "customer", "-o", str(dump)]) == 0
    assert dump.read_bytes().startswith(b"PGDMP")
    assert not (tmp_path / "customer.dump.partial").exists()

    empty = create_database("crm_test_restore")
    monkeypatch.setenv("CRM_CUSTOMER_DATABASE_URL", empty)
    assert main(["restore", "customer", str(dump)]) == 0
    await assert_same_customers(empty, people)
    assert main(["restore", "customer", str(dump)]) == 1  # never over a database that holds data


async def test_sqlite_backup_restores_into_an_empty_file(tmp_path, monkeypatch, new_customer) -> None:
    live = f"sqlite+aiosqlite:///{tmp_path / 'live' / 'customer.db'}"
    await asyncio.to_thread(migrate, "customer", live)  # alembic runs its own event loop
    db = Database(live, service="customer")
    people = [await new_customer(db, phone=f"+861390000{i:04d}", email=f"s{i}@example.com") for i in range(3)]
    await db.dispose()

    backup_file = tmp_path / "customer.sqlite3"
    monkeypatch.setenv("CRM_CUSTOMER_DATABASE_URL", live)
    assert main(["backup", "customer", "-o", str(backup_file)]) == 0

    restored = f"sqlite+aiosqlite:///{tmp_path / 'restored' / 'customer.db'}"
    monkeypatch.setenv("CRM_CUSTOMER_DATABASE_URL", restored)
    assert main(["restore", "customer", str(backup_file)]) == 0
    await assert_same_customers(restored, people)
    assert main(["restore", "customer", str(backup_file)]) == 1


async def test_restore_refuses_a_file_of_the_other_kind(tmp_path, monkeypatch) -> None:
    not_a_dump = tmp_path / "x.dump"
    not_a_dump.write_bytes(b"SQLite format 3\x00rest")
    monkeypatch.setenv("CRM_CUSTOMER_DATABASE_URL", create_database("crm_test_restore"))
    assert main(["restore", "customer", str(not_a_dump)]) == 1
    assert main(["restore", "customer", str(tmp_path / "missing.dump")]) == 1
