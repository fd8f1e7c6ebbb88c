"""Kit test fixtures: a real service schema (the notifier's, used as data only) in a database of its own."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from sqlalchemy import insert, select

from servicekit.db import Database, utcnow
from servicekit.testing import create_database, migrate


@dataclass
class Addressee:
    """A notifier recipient contact and one message to it: encrypted addresses in two tables."""

    customer_id: str
    contact_id: str
    message_id: str
    email: str
    phone: str


class NotifierData:
    """Rows in the notifier's own tables, found in its migrations' metadata (whatever module declares them)."""

    def __init__(self, url: str) -> None:
        from crm_cli.services import service_metadata

        self.url = url
        self.db = Database(url, service="notifier")
        tables = service_metadata("notifier").tables
        self.contacts, self.messages = tables["recipient_contacts"], tables["messages"]

    async def switch_to(self, url: str) -> None:
        """Write to another database with the notifier's schema from here on."""
        await self.db.dispose()
        self.url, self.db = url, Database(url, service="notifier")

    async def add(self, n: int) -> Addressee:
        person = Addressee(
            str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4()), f"r{n}@example.com", f"+86137000{n:05d}"
        )
        now = utcnow()
        async with self.db.session() as session:
            await session.execute(
                insert(self.contacts).values(
                    customer_id=person.customer_id,
                    contact_id=person.contact_id,
                    email=person.email,
                    phone=person.phone,
                    is_primary=True,
                )
            )
            await session.execute(
                insert(self.messages).values(
                    id=person.message_id,
                    idempotency_key=f"k-{person.message_id}",
                    channel="email",
                    purpose="service",
                    template="t",
                    customer_id=person.customer_id,
                    address=person.email,
                    status="sent",
                    requested_at=now,
                    due_at=now,
                    attempts=1,
                )
            )
        return person

    async def read(self, person: Addressee, url: str | None = None) -> tuple[str | None, str | None, str | None]:
        """(email, phone, message address) as the notifier's column types read them back, here or from `url`."""
        c, m = self.contacts.c, self.messages.c
        db = Database(url or self.url, service="notifier")
        try:
            async with db.session() as session:
                email, phone = (
                    await session.execute(
                        select(c.email, c.phone).where(
                            c.customer_id == person.customer_id, c.contact_id == person.contact_id
                        )
                    )
                ).one()
                address = (await session.execute(select(m.address).where(m.id == person.message_id))).scalar_one()
        finally:
            await db.dispose()
        return email, phone, address


@pytest.fixture
async def notifier_data(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[NotifierData]:
    """The notifier's migrated schema in a fresh PostgreSQL database, which `crm ... notifier` commands use."""
    url = create_database("crm_test_notifier_data")
    await asyncio.to_thread(migrate, "notifier", url)  # Alembic runs its own event loop
    monkeypatch.setenv("CRM_NOTIFIER_DATABASE_URL", url)
    data = NotifierData(url)
    yield data
    await data.db.dispose()
