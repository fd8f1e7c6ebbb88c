"""Timed job: the default templates the database lacks are seeded on start and every hour (idempotent)."""

from __future__ import annotations

from notifier.templates import service
from servicekit.db import Database


async def seed_default_templates(db: Database) -> int:
    """Seed the defaults in a transaction of its own; how many were added."""
    async with db.session() as session:
        return await service.seed_defaults(session)
