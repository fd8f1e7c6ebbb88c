"""R-09 backup with a tested restore, for every service on PostgreSQL: `crm backup SERVICE` of a database holding
data, `crm restore SERVICE` into an EMPTY database, and the data is there again: every table's rows (the seeded
ones included) and an event with personal data, still encrypted at rest and still readable with the keys."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import MetaData, func, insert, select

from contracts import Envelope
from contracts.events.customer import ContactPoint, CustomerContactsChangedV1
from crm_cli.main import main
from crm_cli.services import service_metadata
from servicekit.backup import libpq_url
from servicekit.db import Database, utcnow
from servicekit.outbox import Outbox, open_envelope, record_event
from servicekit.settings import SERVICES
from servicekit.testing import create_database, migrate

pytestmark = pytest.mark.integration


async def row_counts(url: str, metadata: MetaData) -> dict[str, int]:
    db = Database(url, service="backup-check")
    try:
        async with db.session() as session:
            return {
                name: (await session.execute(select(func.count()).select_from(table))).scalar_one()
                for name, table in metadata.tables.items()
            }
    finally:
        await db.dispose()


async def write_data(url: str, service: str, metadata: MetaData) -> Envelope:
    """An event with personal data in the outbox (sealed, R-09) and its consumption in the inbox."""
    db = Database(url, service=service)
    db.session_info.update(outbox=Outbox(producer=service, table=metadata.tables["outbox"]))
    try:
        async with db.session() as session:
            contact = ContactPoint(
                contact_id="k-1", name="备份测试", email="backup@example.com", phone="+8613800000001"
            )
            event = CustomerContactsChangedV1(customer_id="c-backup", contacts=[contact])
            envelope = await record_event(session, event, aggregate_id="c-backup", aggregate_version=1)
            await session.execute(
                insert(metadata.tables["inbox"]).values(
                    queue=f"{service}.backup-check",
                    event_id=str(envelope.id),
                    event_type=envelope.type,
                    processed_at=utcnow(),
                )
            )
    finally:
        await db.dispose()
    return envelope


async def stored_envelope(url: str, metadata: MetaData, event_id: str) -> str:
    outbox = metadata.tables["outbox"]
    db = Database(url, service="backup-check")
    try:
        async with db.session() as session:
            return (await session.execute(select(outbox.c.envelope).where(outbox.c.event_id == event_id))).scalar_one()
    finally:
        await db.dispose()


@pytest.mark.parametrize("service", SERVICES)
async def test_service_is_restored_into_an_empty_database_with_its_data(
    service: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    variable = f"CRM_{service.upper()}_DATABASE_URL"
    live = create_database(f"crm_test_backup_{service}")
    await asyncio.to_thread(migrate, service, live)  # Alembic runs its own event loop
    metadata = service_metadata(service)
    envelope = await write_data(live, service, metadata)
    before = await row_counts(live, metadata)

    dump = tmp_path / f"{service}.dump"
    monkeypatch.setenv(variable, live)
    assert main(["backup", service, "-o", str(dump)]) == 0
    empty = create_database(f"crm_test_restore_{service}")
    monkeypatch.setenv(variable, empty)
    assert main(["restore", service, str(dump)]) == 0

    assert await row_counts(empty, metadata) == before
    assert before["outbox"] == before["inbox"] == 1
    sealed = await stored_envelope(empty, metadata, str(envelope.id))
    assert "backup@example.com" not in sealed  # still ciphertext in the restored tables
    assert Envelope.model_validate_json(open_envelope(sealed)) == envelope
    assert main(["restore", service, str(dump)]) == 1  # never over a database that holds data


def test_the_services_tls_parameters_are_translated_for_libpq() -> None:
    """One way to say TLS for both: `?ssl=<mode>[&sslrootcert=<CA>]` (asyncpg) becomes libpq's `sslmode=`."""
    assert (
        libpq_url("postgresql+asyncpg://u:pw@db:5432/crm?ssl=require")
        == "postgresql://u:pw@db:5432/crm?sslmode=require"
    )
    assert (
        libpq_url("postgresql+asyncpg://u@db/crm?ssl=verify-full&sslrootcert=/certs/ca.pem")
        == "postgresql://u@db/crm?sslmode=verify-full&sslrootcert=%2Fcerts%2Fca.pem"
    )
    assert libpq_url("postgresql+asyncpg://u@db/crm?sslmode=verify-ca") == "postgresql://u@db/crm?sslmode=verify-ca"
    assert libpq_url("postgresql+asyncpg://u@db/crm") == "postgresql://u@db/crm"
    with pytest.raises(ValueError, match="ssl=sometimes"):
        libpq_url("postgresql+asyncpg://u@db/crm?ssl=sometimes")
