"""R-09 key rotation for any service: re-encrypt every ciphertext that is not under the active key.

Rotation: put the new key first in CRM_PII_KEYS (it encrypts), keep the old ones after it
(they still decrypt), run `crm pii rekey`, then drop the old keys. The columns are found in the
service's metadata by their type (`servicekit.pii.EncryptedText`), so every service that keeps
personal data is covered without a list to maintain. Rows are found by their key-id prefix, re-encrypted
in batches of one transaction each, so the run can be stopped and started again (resumable) and a
second run finds nothing (idempotent). An update only lands if the row still holds the ciphertext
that was read, so a concurrent write is never overwritten.

The blind-index key (CRM_PII_INDEX_KEY) does not rotate with these keys: every stored index
would have to be recomputed at once, and until then exact lookups and duplicate checks would
miss. `reindex` does that recomputation (cheap: one HMAC per value) for a planned change of the
index key, run right after the new CRM_PII_INDEX_KEY is in place. A blind index is the column
named `<column>_index` beside an encrypted `<column>` in the same table.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, MetaData, Row, Select, Table, Text, and_, select, tuple_, type_coerce, update
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit import pii
from servicekit.db import Database


@dataclass
class RekeyReport:
    rekeyed: dict[str, int] = field(default_factory=dict)  # "table.column" -> rows re-encrypted
    unreadable: dict[str, int] = field(default_factory=dict)  # under a key this process does not hold
    reindexed: int = 0

    @property
    def total(self) -> int:
        return sum(self.rekeyed.values())


def encrypted_columns(metadata: MetaData) -> list[tuple[Table, str]]:
    """(table, column name) of every encrypted column, in table dependency order."""
    return [
        (table, column.name)
        for table in metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, pii.EncryptedText)
    ]


def blind_indexes(metadata: MetaData) -> list[tuple[Table, str, str]]:
    """(table, encrypted column, index column) of every blind index: `<column>_index` beside `<column>`."""
    return [
        (table, name, f"{name}_index")
        for table, name in encrypted_columns(metadata)
        if f"{name}_index" in table.columns
    ]


async def rekey(db: Database, metadata: MetaData, *, batch_size: int = 500) -> RekeyReport:
    report = RekeyReport()
    for table, name in encrypted_columns(metadata):
        rekeyed, unreadable = await _rekey_column(db, table, name, batch_size)
        report.rekeyed[f"{table.name}.{name}"] = rekeyed
        report.unreadable[f"{table.name}.{name}"] = unreadable
    return report


async def _rekey_column(db: Database, table: Table, name: str, batch_size: int) -> tuple[int, int]:
    raw = type_coerce(table.c[name], Text)  # the stored ciphertext, not the decrypted value
    ring = pii.keyring()
    stale = and_(raw.is_not(None), ~raw.startswith(f"{ring.active}$", autoescape=True))
    rekeyed = unreadable = 0
    async for session, rows in _batches(db, table, select(raw.label("token")).where(stale), batch_size):
        for row in rows:
            try:
                plaintext = ring.decrypt(row.token)
            except pii.PiiKeyError:
                unreadable += 1
                continue
            # the column type encrypts the plaintext under the active key on the way in
            result = await session.execute(
                update(table).where(_is_row(table, row), raw == row.token).values({name: plaintext})
            )
            rekeyed += result.rowcount  # type: ignore[attr-defined]  # a CursorResult for an UPDATE
    return rekeyed, unreadable


async def reindex(db: Database, metadata: MetaData, *, batch_size: int = 500) -> int:
    """Recompute every blind index under the current CRM_PII_INDEX_KEY; returns rows changed."""
    changed = 0
    for table, source, index in blind_indexes(metadata):
        query = select(table.c[source].label("value"), table.c[index].label("stored"))
        async for session, rows in _batches(db, table, query, batch_size):
            for row in rows:
                fresh = pii.blind_index(row.value)
                if fresh != row.stored:
                    await session.execute(update(table).where(_is_row(table, row)).values({index: fresh}))
                    changed += 1
    return changed


async def _batches(
    db: Database, table: Table, query: Select[Any], batch_size: int
) -> AsyncIterator[tuple[AsyncSession, Sequence[Row[Any]]]]:
    """`query` plus the primary key, in primary-key order, one transaction per batch: a stopped run resumes here.
    Works for composite primary keys too (keyset pagination on the key tuple)."""
    key = list(table.primary_key.columns)
    ordered = query.add_columns(*(column.label(f"_pk_{column.name}") for column in key)).order_by(*key)
    last: tuple[Any, ...] | None = None
    while True:
        async with db.session() as session:
            page = ordered if last is None else ordered.where(_after(key, last))
            rows = (await session.execute(page.limit(batch_size))).all()
            if rows:
                yield session, rows
        if len(rows) < batch_size:
            return
        last = _key_of(table, rows[-1])


def _key_of(table: Table, row: Row[Any]) -> tuple[Any, ...]:
    return tuple(row._mapping[f"_pk_{column.name}"] for column in table.primary_key.columns)


def _is_row(table: Table, row: Row[Any]) -> ColumnElement[bool]:
    return and_(
        *(column == value for column, value in zip(table.primary_key.columns, _key_of(table, row), strict=True))
    )


def _after(key: list[Any], last: tuple[Any, ...]) -> ColumnElement[bool]:
    if len(key) == 1:
        return key[0] > last[0]  # type: ignore[no-any-return]
    return tuple_(*key) > tuple_(*last)
