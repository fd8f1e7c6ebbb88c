"""Each service's stored calendar book on PostgreSQL: the owner's row, copies kept from events, replicas reloading."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from prometheus_client import REGISTRY

from contracts import Envelope
from contracts.events.calendar import CalendarDay
from servicekit.calendar.book import CalendarBook
from servicekit.calendar.store import CalendarHolder, calendar_table, keep_copy, load_book, save_book
from servicekit.db import Database, make_base
from servicekit.testing import create_database

pytestmark = pytest.mark.integration

NOW = datetime(2026, 11, 30, 10, tzinfo=UTC)
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
async def store():
    metadata = make_base().metadata
    table = calendar_table(metadata)
    db = Database(create_database("crm_test_calendar"), service="calendartest")
    async with db.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield db, table
    await db.dispose()


def envelope_of(book: CalendarBook) -> Envelope:
    return Envelope.wrap(
        book.to_event(changed_by="admin", changed_years=[2027]),
        producer="complaints",
        aggregate_id="business-calendar",
        aggregate_version=book.version,
    )


def book_2027() -> CalendarBook:
    days = [CalendarDay(date=date(2027, 1, 1), working=False, name="元旦")]
    return CalendarBook().with_year_schedule(2027, days, entered_by="admin", entered_at=NOW)


async def test_owner_saves_and_loads_the_book(store):
    db, table = store
    async with db.session() as session:
        assert (await load_book(session, table)).version == 0
        await save_book(session, table, book_2027(), NOW)
    async with db.session() as session:
        loaded = await load_book(session, table, for_update=True)
    assert loaded.version == 1 and loaded.calendar().year_source(2027) == "company"


async def test_a_copy_takes_newer_versions_and_ignores_stale_ones(store):
    db, table = store
    first = book_2027()
    second = first.with_day(CalendarDay(date=date(2027, 6, 1), working=False, name="company outing"))
    async with db.session() as session:
        assert await keep_copy(session, table, envelope_of(second))
    async with db.session() as session:
        assert not await keep_copy(session, table, envelope_of(first))  # arrived late: ignored
        assert not await keep_copy(session, table, envelope_of(second))  # redelivered: nothing changes
        copy = await load_book(session, table)
    assert copy.version == 2 and not copy.calendar().is_working_day(date(2027, 6, 1))


async def test_every_replica_reloads_when_the_version_changes_and_coverage_is_exported(store):
    db, table = store
    replica = CalendarHolder(db, table, today=lambda: date(2026, 11, 30))
    start = datetime(2026, 12, 31, 17, 30, tzinfo=SH)
    assert replica.calendar().add_working_time(start, timedelta(hours=1)) == datetime(2027, 1, 1, 9, 30, tzinfo=SH)
    covered = REGISTRY.get_sample_value("crm_business_calendar_covered_until", {"calendar": "office"})
    assert covered == datetime(2027, 1, 1, tzinfo=SH).timestamp()
    assert REGISTRY.get_sample_value("crm_business_calendar_covered_until", {"calendar": "hotline"}) == float("inf")
    assert not await replica.refresh()
    async with db.session() as session:
        await save_book(session, table, book_2027(), NOW)
    assert await replica.refresh()
    assert replica.calendar().add_working_time(start, timedelta(hours=1)) == datetime(2027, 1, 4, 9, 30, tzinfo=SH)
    covered = REGISTRY.get_sample_value("crm_business_calendar_covered_until", {"calendar": "office"})
    assert covered == datetime(2028, 1, 1, tzinfo=SH).timestamp()
