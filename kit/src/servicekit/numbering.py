"""Human-readable numbers like `KH-2026-000123` (R-01), `JH-…` (R-10): one counter per prefix and year."""

from __future__ import annotations

from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit.db import utcnow
from servicekit.tables import KitTables


async def next_number(session: AsyncSession, prefix: str, *, width: int = 6) -> str:
    """Allocate the next number inside the caller's transaction; a rollback gives it back.

    The UPDATE takes a row lock on PostgreSQL, so concurrent requests never share a number.
    """
    tables: KitTables = session.info["kit_tables"]
    counters = tables.counters
    year = utcnow().year
    bump = (
        update(counters)
        .where(counters.c.prefix == prefix, counters.c.year == year)
        .values(last=counters.c.last + 1)
        .returning(counters.c.last)
    )
    last = (await session.execute(bump)).scalar_one_or_none()
    if last is None:
        try:
            async with session.begin_nested():
                await session.execute(insert(counters).values(prefix=prefix, year=year, last=1))
            last = 1
        except IntegrityError:  # another transaction created this year's row first
            last = (await session.execute(bump)).scalar_one()
    return f"{prefix}-{year}-{last:0{width}d}"
