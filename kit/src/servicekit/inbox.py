"""Idempotent inbox (reliability rule 3): the event id is recorded in the same transaction as its effects."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Envelope
from servicekit.db import utcnow
from servicekit.tables import KitTables


async def already_processed(session: AsyncSession, queue: str, envelope: Envelope) -> bool:
    inbox = _tables(session).inbox
    found = await session.execute(
        select(inbox.c.event_id).where(inbox.c.queue == queue, inbox.c.event_id == str(envelope.id))
    )
    return found.first() is not None


async def mark_processed(session: AsyncSession, queue: str, envelope: Envelope) -> bool:
    """Insert the inbox row in one round trip; False when the event was already processed.

    A concurrent duplicate still in flight makes one of the two commits fail on the primary key.
    """
    inbox = _tables(session).inbox
    dialect_insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else pg_insert
    inserted = await session.execute(
        dialect_insert(inbox)
        .values(queue=queue, event_id=str(envelope.id), event_type=envelope.type, processed_at=utcnow())
        .on_conflict_do_nothing()
        .returning(inbox.c.event_id)
    )
    return inserted.first() is not None


def _tables(session: AsyncSession) -> KitTables:
    tables: KitTables = session.info["kit_tables"]
    return tables
