"""Claiming due rows (reliability rule 6): the outbox relay, SLA evaluators, scheduled passes, dispatchers.

`claim_due(session, statement, limit=...)` runs a SELECT of due rows (in the order to work them) as a
claim: the rows are the caller's until its transaction ends, and it marks or changes them in that
same transaction.

- PostgreSQL: `FOR UPDATE SKIP LOCKED`. Each row is locked until commit; a concurrent claimer skips
  rows another one holds instead of waiting, so several replicas share the due rows and none is
  worked twice.
- SQLite: no row locks, but one writer at a time. The claim first takes the database's write lock
  (`BEGIN IMMEDIATE`, waiting up to the busy timeout), then reads. A second claimer, in this process
  or another, can read only after the first one committed, so it sees the rows as the first one left
  them (marked, moved on, published) and never claims them again. Waiting replaces skipping: the lock
  is the whole database, held until the claimer commits, so keep claim transactions short.
"""

from __future__ import annotations

from typing import TypeVarTuple

from sqlalchemy import Result, Select
from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["claim_due"]

_Columns = TypeVarTuple("_Columns")


async def claim_due(session: AsyncSession, statement: Select[*_Columns], *, limit: int) -> Result[*_Columns]:
    """Execute `statement` as a claim of at most `limit` rows; use `.scalars().all()` or `.all()` on the result."""
    bounded = statement.limit(limit)
    if session.get_bind().dialect.name == "sqlite":
        await _take_sqlite_write_lock(session)
        return await session.execute(bounded)
    return await session.execute(bounded.with_for_update(skip_locked=True))


async def _take_sqlite_write_lock(session: AsyncSession) -> None:
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    # the sqlite3 driver opens a transaction only before its first write; a transaction already open has written,
    # so it holds the write lock already
    if not raw.driver_connection.in_transaction:  # type: ignore[union-attr]
        await connection.exec_driver_sql("BEGIN IMMEDIATE")
