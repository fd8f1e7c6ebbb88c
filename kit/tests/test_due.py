"""Due-row claims (servicekit.due): concurrent claimers never work the same row, on PostgreSQL and SQLite."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select, update

from servicekit.db import Database
from servicekit.due import claim_due
from servicekit.testing import create_database

pytestmark = pytest.mark.integration

ROWS = 60


def due_rows() -> Table:
    return Table("due_rows", MetaData(), Column("id", Integer, primary_key=True), Column("claimed_by", String(20)))


async def claim_until_none_left(db: Database, table: Table, name: str) -> list[int]:
    """Claim batches of unclaimed rows, hold each claim a moment (as work would), mark them, until none is due."""
    mine: list[int] = []
    while True:
        async with db.session() as session:
            due = select(table.c.id).where(table.c.claimed_by.is_(None)).order_by(table.c.id)
            batch = list((await claim_due(session, due, limit=7)).scalars().all())
            await asyncio.sleep(0.02)  # the other claimer runs meanwhile
            if batch:
                await session.execute(update(table).where(table.c.id.in_(batch)).values(claimed_by=name))
        if not batch:
            return mine
        mine.extend(batch)


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_two_claimers_never_get_the_same_row(backend: str, tmp_path: Path) -> None:
    url = create_database("crm_test_due") if backend == "postgresql" else f"sqlite+aiosqlite:///{tmp_path}/due.db"
    table = due_rows()
    first, second = Database(url, service="first"), Database(url, service="second")  # as two replicas would
    try:
        async with first.engine.begin() as connection:
            await connection.run_sync(table.metadata.create_all)
        async with first.session() as session:
            await session.execute(insert(table), [{"id": n} for n in range(ROWS)])
        a, b = await asyncio.gather(
            claim_until_none_left(first, table, "first"), claim_until_none_left(second, table, "second")
        )
        assert not set(a) & set(b)
        assert sorted(a + b) == list(range(ROWS))
        if backend == "postgresql":
            assert a and b  # both made progress: each skipped the rows the other held, neither waited
        async with first.session() as session:
            owners = dict((await session.execute(select(table.c.id, table.c.claimed_by))).all())
        assert {n for n, owner in owners.items() if owner == "first"} == set(a)
    finally:
        await first.dispose()
        await second.dispose()


async def test_sqlite_claim_inside_a_transaction_that_already_wrote(tmp_path: Path) -> None:
    table = due_rows()
    db = Database(f"sqlite+aiosqlite:///{tmp_path}/due.db", service="one")
    try:
        async with db.engine.begin() as connection:
            await connection.run_sync(table.metadata.create_all)
        async with db.session() as session:
            await session.execute(insert(table), [{"id": n} for n in range(3)])
            claimed = (await claim_due(session, select(table.c.id).order_by(table.c.id), limit=2)).scalars().all()
        assert list(claimed) == [0, 1]
    finally:
        await db.dispose()
