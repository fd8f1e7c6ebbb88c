"""R-09 key rotation: re-encrypt every ciphertext that is not under the active key.

Rotation: put the new key first in CRM_PII_KEYS (it encrypts), keep the old ones after it
(they still decrypt), run `crm pii rekey`, then drop the old keys. Rows are found by their
key-id prefix (`Keyring.needs_rekey` in SQL), re-encrypted in batches of one transaction each,
so the run can be stopped and started again (resumable) and a second run finds nothing
(idempotent). An update only lands if the row still holds the ciphertext that was read, so a
concurrent write is never overwritten.

The blind-index key (CRM_PII_INDEX_KEY) does not rotate with these keys: every stored index
would have to be recomputed at once, and until then exact lookups and duplicate checks would
miss. `reindex` does that recomputation (cheap: one HMAC per contact point) for a planned change
of the index key, run right after the new CRM_PII_INDEX_KEY is in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import MetaData, Table, Text, select, type_coerce, update

from servicekit import pii
from servicekit.db import Database

# (table, plaintext column, index column): the blind indexes this service keeps
BLIND_INDEXES = (("contact_points", "value", "value_index"),)


@dataclass
class RekeyReport:
    rekeyed: dict[str, int] = field(default_factory=dict)  # "table.column" -> rows re-encrypted
    unreadable: dict[str, int] = field(default_factory=dict)  # under a key this process does not hold
    reindexed: int = 0

    @property
    def total(self) -> int:
        return sum(self.rekeyed.values())


def encrypted_columns(metadata: MetaData) -> list[tuple[Table, str]]:
    return [
        (table, column.name)
        for table in metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, pii.EncryptedText)
    ]


async def rekey(db: Database, metadata: MetaData, *, batch_size: int = 500) -> RekeyReport:
    report = RekeyReport()
    for table, name in encrypted_columns(metadata):
        rekeyed, unreadable = await _rekey_column(db, table, name, batch_size)
        report.rekeyed[f"{table.name}.{name}"] = rekeyed
        report.unreadable[f"{table.name}.{name}"] = unreadable
    return report


async def _rekey_column(db: Database, table: Table, name: str, batch_size: int) -> tuple[int, int]:
    [pk] = table.primary_key.columns
    raw = type_coerce(table.c[name], Text)  # the stored ciphertext, not the decrypted value
    ring = pii.keyring()
    rekeyed = unreadable = 0
    last = None
    while True:
        async with db.session() as session:  # one transaction per batch: a stopped run resumes here
            query = (
                select(pk, raw.label("token"))
                .where(raw.is_not(None), ~raw.startswith(f"{ring.active}$", autoescape=True))
                .order_by(pk)
                .limit(batch_size)
            )
            if last is not None:
                query = query.where(pk > last)
            rows = (await session.execute(query)).all()
            for row in rows:
                try:
                    plaintext = ring.decrypt(row.token)
                except pii.PiiKeyError:
                    unreadable += 1
                    continue
                # the column type encrypts the plaintext under the active key on the way in
                result = await session.execute(
                    update(table).where(pk == row[0], raw == row.token).values({name: plaintext})
                )
                rekeyed += result.rowcount
        if len(rows) < batch_size:
            return rekeyed, unreadable
        last = rows[-1][0]


async def reindex(db: Database, metadata: MetaData, *, batch_size: int = 500) -> int:
    """Recompute every blind index under the current CRM_PII_INDEX_KEY; returns rows changed."""
    changed = 0
    for table_name, source, index in BLIND_INDEXES:
        table = metadata.tables[table_name]
        [pk] = table.primary_key.columns
        last = None
        while True:
            async with db.session() as session:
                query = select(pk, table.c[source], table.c[index]).order_by(pk).limit(batch_size)
                if last is not None:
                    query = query.where(pk > last)
                rows = (await session.execute(query)).all()
                for row in rows:
                    fresh = pii.blind_index(row[1])
                    if fresh != row[2]:
                        await session.execute(update(table).where(pk == row[0]).values({index: fresh}))
                        changed += 1
            if len(rows) < batch_size:
                break
            last = rows[-1][0]
    return changed
