"""The service clock (servicekit.clock): one clock per service, read from a session or the database, set by tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from servicekit.clock import Clock, clock_of, now, utcnow
from servicekit.db import Database
from servicekit.testing import KitDb

NOON = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)


def test_a_clock_is_fixed_moved_and_reset() -> None:
    clock = Clock()
    assert abs(clock() - utcnow()) < timedelta(seconds=5)
    clock.set(NOON)
    assert clock() == NOON
    clock.set(lambda: NOON + timedelta(hours=1))
    assert clock() == NOON + timedelta(hours=1)
    clock.reset()
    assert abs(clock() - utcnow()) < timedelta(seconds=5)
    with pytest.raises(ValueError):
        clock.set(datetime(2026, 1, 1))  # naive


async def test_handlers_and_jobs_read_the_clock_of_their_database(kit_db: KitDb) -> None:
    kit_db.db.clock.set(NOON)
    try:
        assert kit_db.db.clock() == NOON  # a scheduled job given the Database
        async with kit_db.db.session() as session:
            assert now(session) == NOON  # a handler or use case given a session
            assert clock_of(session) is kit_db.db.clock
    finally:
        kit_db.db.clock.reset()


async def test_an_injected_clock_reaches_the_runtime_and_its_sessions(kit_db: KitDb) -> None:
    from servicekit.runtime import ServiceRuntime
    from servicekit.settings import ServiceSettings

    settings = ServiceSettings(name="kittest", database_url=kit_db.db.url, port=1)
    service = ServiceRuntime(
        "kittest", metadata=kit_db.tables.outbox.metadata, tables=kit_db.tables, settings=settings, clock=lambda: NOON
    )
    try:
        assert service.clock() == NOON and service.db.clock is service.clock
        async with service.db.session() as session:
            assert now(session) == NOON
    finally:
        await service.db.dispose()


async def test_a_session_from_elsewhere_reads_the_real_time(tmp_path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path}/x.db", service="elsewhere")
    try:
        async with db.sessions() as session:  # not opened through Database.session(): no clock in its info
            assert abs(now(session) - utcnow()) < timedelta(seconds=5)
    finally:
        await db.dispose()
