"""Alembic per service: `run_env` is the whole body of each service's migrations/env.py.

That env.py names the service's whole metadata (every table, one Base), so `service_metadata` reads it from
there: commands that work over every table of any service (`crm pii rekey`) find them whatever the
service's package layout.
"""

from __future__ import annotations

import asyncio
import runpy
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path

import sqlalchemy as sa
from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection

from servicekit.db import create_engine


def alembic_config(script_location: Path, database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(script_location: Path, database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(script_location, database_url), revision)


# set while service_metadata runs an env.py: run_env hands the metadata over instead of migrating
_metadata_wanted: ContextVar[Callable[[MetaData], None] | None] = ContextVar("metadata_wanted", default=None)


def service_metadata(script_location: Path) -> MetaData:
    """The whole metadata that the service's migrations/env.py gives to `run_env`; nothing is migrated."""
    found: list[MetaData] = []
    token = _metadata_wanted.set(found.append)
    try:
        runpy.run_path(str(script_location / "env.py"))
    finally:
        _metadata_wanted.reset(token)
    if not found:
        raise RuntimeError(f"{script_location / 'env.py'} does not call servicekit.migrations.run_env")
    return found[0]


def run_env(metadata: MetaData) -> None:
    wanted = _metadata_wanted.get()
    if wanted is not None:
        wanted(metadata)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("the Alembic config has no sqlalchemy.url (servicekit.migrations.alembic_config sets it)")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, literal_binds=True, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    asyncio.run(_run_online(url, metadata))


async def _run_online(url: str, metadata: MetaData) -> None:
    engine = create_engine(url)
    async with engine.connect() as connection:
        await connection.run_sync(_migrate, metadata)
        await connection.commit()
    await engine.dispose()


def _migrate(connection: Connection, metadata: MetaData) -> None:
    # batch mode lets ALTERs work on SQLite too
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def create_kit_tables_v1() -> None:
    """The kit's outbox, inbox and number counters as first released, for each service's first migration.

    Frozen: a later change to these tables is a new `…_v2` step that services add in a new revision.
    """
    from alembic import op

    import servicekit.db

    op.create_table(
        "inbox",
        sa.Column("queue", sa.String(length=200), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("event_type", sa.String(length=200), nullable=False),
        sa.Column("processed_at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("queue", "event_id", name=op.f("pk_inbox")),
    )
    op.create_table(
        "number_counters",
        sa.Column("prefix", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("prefix", "year", name=op.f("pk_number_counters")),
    )
    op.create_table(
        "outbox",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("event_type", sa.String(length=200), nullable=False),
        sa.Column("aggregate_id", sa.String(length=100), nullable=False),
        sa.Column("envelope", sa.Text(), nullable=False),
        sa.Column("created_at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("published_at", servicekit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("next_attempt_at", servicekit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("unroutable", sa.Boolean(), server_default=sa.text("(false)"), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_outbox")),
        sa.UniqueConstraint("event_id", name=op.f("uq_outbox_event_id")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbox_unpublished",
            ["seq"],
            unique=False,
            postgresql_where=sa.text("published_at IS NULL"),
            sqlite_where=sa.text("published_at IS NULL"),
        )


def drop_kit_tables_v1() -> None:
    from alembic import op

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_outbox_unpublished",
            postgresql_where=sa.text("published_at IS NULL"),
            sqlite_where=sa.text("published_at IS NULL"),
        )

    op.drop_table("outbox")
    op.drop_table("number_counters")
    op.drop_table("inbox")


def create_calendar_table_v1() -> None:
    """The business-calendar book (servicekit.calendar.store) as first released, for the revision that adds it.

    Frozen like the kit tables above: a later change is a new `…_v2` step."""
    from alembic import op

    import servicekit.db

    op.create_table(
        "business_calendar",
        sa.Column("id", sa.SmallInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("book", sa.Text(), nullable=False),
        sa.Column("updated_at", servicekit.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def drop_calendar_table_v1() -> None:
    from alembic import op

    op.drop_table("business_calendar")
