"""R-09 backup with a tested restore: `crm backup` / `crm restore` on PostgreSQL and SQLite, into EMPTY databases,
for every service (servicekit.backup)."""

from __future__ import annotations

import asyncio
import importlib
import sqlite3
from pathlib import Path

import pytest

from crm_cli.main import main
from servicekit.migrations import upgrade
from servicekit.settings import SERVICES
from servicekit.testing import create_database

pytestmark = pytest.mark.integration


async def test_postgres_backup_restores_into_an_empty_database(tmp_path, monkeypatch, notifier_data) -> None:
    people = [await notifier_data.add(n) for n in range(3)]
    dump = tmp_path / "notifier.dump"
    assert main(["backup", "notifier", "-o", str(dump)]) == 0
    assert dump.read_bytes().startswith(b"PGDMP")
    assert not (tmp_path / "notifier.dump.partial").exists()

    empty = create_database("crm_test_restore")
    monkeypatch.setenv("CRM_NOTIFIER_DATABASE_URL", empty)
    assert main(["restore", "notifier", str(dump)]) == 0
    for person in people:  # the same rows, and their encrypted addresses still decrypt
        assert await notifier_data.read(person, empty) == (person.email, person.phone, person.email)
    assert main(["restore", "notifier", str(dump)]) == 1  # never over a database that holds data


async def test_sqlite_backup_restores_into_an_empty_file(tmp_path, monkeypatch, notifier_data) -> None:
    from notifier import MIGRATIONS

    live = f"sqlite+aiosqlite:///{tmp_path / 'live' / 'notifier.db'}"
    await asyncio.to_thread(upgrade, MIGRATIONS, live)  # alembic runs its own event loop
    await notifier_data.switch_to(live)
    people = [await notifier_data.add(n) for n in range(3)]
    await notifier_data.db.dispose()

    backup_file = tmp_path / "notifier.sqlite3"
    monkeypatch.setenv("CRM_NOTIFIER_DATABASE_URL", live)
    assert main(["backup", "notifier", "-o", str(backup_file)]) == 0

    restored = f"sqlite+aiosqlite:///{tmp_path / 'restored' / 'notifier.db'}"
    monkeypatch.setenv("CRM_NOTIFIER_DATABASE_URL", restored)
    assert main(["restore", "notifier", str(backup_file)]) == 0
    for person in people:
        assert await notifier_data.read(person, restored) == (person.email, person.phone, person.email)
    assert main(["restore", "notifier", str(backup_file)]) == 1


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_is_backed_up_and_restored(service: str, tmp_path: Path, monkeypatch) -> None:
    live = tmp_path / "live.db"
    upgrade(importlib.import_module(service).MIGRATIONS, f"sqlite+aiosqlite:///{live}")
    monkeypatch.setenv(f"CRM_{service.upper()}_DATABASE_URL", f"sqlite+aiosqlite:///{live}")
    assert main(["backup", service, "-o", str(tmp_path / "backup")]) == 0
    monkeypatch.setenv(f"CRM_{service.upper()}_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'restored.db'}")
    assert main(["restore", service, str(tmp_path / "backup")]) == 0
    assert tables(tmp_path / "restored.db") == tables(live) != []


def tables(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        found = [
            name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        ]
    connection.close()
    return found


async def test_restore_refuses_a_file_of_the_other_kind(tmp_path, monkeypatch) -> None:
    not_a_dump = tmp_path / "x.dump"
    not_a_dump.write_bytes(b"SQLite format 3\x00rest")
    monkeypatch.setenv("CRM_CUSTOMER_DATABASE_URL", create_database("crm_test_restore"))
    assert main(["restore", "customer", str(not_a_dump)]) == 1
    assert main(["restore", "customer", str(tmp_path / "missing.dump")]) == 1
