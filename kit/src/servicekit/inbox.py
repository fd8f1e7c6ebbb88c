"""Idempotent inbox (reliability rule 3): the event id is recorded in the same transaction as its effects."""

from __future__ import annotations

from sqlalchemy import insert, select
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


async def mark_processed(session: AsyncSession, queue: str, envelope: Envelope) -> None:
    """Insert the inbox row; a concurrent duplicate makes the commit fail on the primary key."""
    inbox = _tables(session).inbox
    await session.execute(
        insert(inbox).values(queue=queue, event_id=str(envelope.id), event_type=envelope.type, processed_at=utcnow())
    )


def _tables(session: AsyncSession) -> KitTables:
    return session.info["kit_tables"]
