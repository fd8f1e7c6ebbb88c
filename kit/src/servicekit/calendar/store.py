"""Where a service keeps its calendar book: one row holding the latest version, and the copy kept from events.

The owning service writes the row when an administrator changes the calendar; every other service writes it from
`calendar.changed.v1` (a stale version is ignored, so order and redelivery do not matter). Each process holds the
book in memory and reloads it when the stored version changes, so every replica follows within one refresh.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import Column, Integer, MetaData, SmallInteger, Table, Text, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Envelope
from contracts.events.calendar import BusinessCalendarChangedV1
from servicekit.calendar.book import CalendarBook
from servicekit.calendar.library import CHINESE_HOLIDAYS
from servicekit.calendar.metrics import publish_coverage
from servicekit.calendar.rules import BusinessCalendar
from servicekit.db import Database, UTCDateTime, utcnow

log = logging.getLogger("servicekit.calendar")

_ROW = 1


def calendar_table(metadata: MetaData) -> Table:
    return Table(
        "business_calendar",
        metadata,
        Column("id", SmallInteger, primary_key=True),
        Column("version", Integer, nullable=False),
        Column("book", Text, nullable=False),  # the calendar.changed.v1 payload of that version
        Column("updated_at", UTCDateTime, nullable=False),
    )


def _book_json(book: CalendarBook) -> str:
    return book.to_event(changed_by="").model_dump_json()


async def stored_version(session: AsyncSession, table: Table) -> int:
    return (await session.scalar(select(table.c.version).where(table.c.id == _ROW))) or 0


async def load_book(session: AsyncSession, table: Table, *, for_update: bool = False) -> CalendarBook:
    """The stored book, or the defaults (office and hotline, no company entries) at version 0."""
    query = select(table.c.book).where(table.c.id == _ROW)
    if for_update:
        query = query.with_for_update()
    raw = await session.scalar(query)
    if raw is None:
        return CalendarBook()
    return CalendarBook.from_event(BusinessCalendarChangedV1.model_validate_json(raw), CHINESE_HOLIDAYS)


async def save_book(session: AsyncSession, table: Table, book: CalendarBook, now: datetime) -> None:
    values = {"version": book.version, "book": _book_json(book), "updated_at": now}
    changed = await session.execute(update(table).where(table.c.id == _ROW), values)
    if not changed.rowcount:  # type: ignore[attr-defined]
        await session.execute(insert(table).values(id=_ROW, **values))


async def keep_copy(session: AsyncSession, table: Table, envelope: Envelope) -> bool:
    """Store the calendar an event carries unless ours is as new; True when the copy changed."""
    event = BusinessCalendarChangedV1.model_validate(envelope.data)
    current = await session.scalar(select(table.c.version).where(table.c.id == _ROW).with_for_update())
    if current is not None and current >= event.version:
        log.info("stale calendar version ignored", extra={"version": event.version, "stored": current})
        return False
    values = {"version": event.version, "book": event.model_dump_json(), "updated_at": utcnow()}
    if current is None:
        await session.execute(insert(table).values(id=_ROW, **values))
    else:
        await session.execute(update(table).where(table.c.id == _ROW), values)
    log.info("business calendar copy updated", extra={"version": event.version, "years": event.changed_years})
    return True


class CalendarHolder:
    """A process's current calendar book; `refresh` reloads it when another replica or an event changed it."""

    def __init__(
        self,
        db: Database,
        table: Table,
        *,
        today: Callable[[], date] | None = None,
        seed: Callable[[CalendarBook], CalendarBook] | None = None,
    ) -> None:
        self.db = db
        self.table = table
        self.book = seed(CalendarBook()) if seed else CalendarBook()
        self._seed = seed
        self._today = today or (lambda: utcnow().date())
        publish_coverage(self.book, self._today())

    def calendar(self, name: str = "office") -> BusinessCalendar:
        return self.book.calendar(name)

    async def refresh(self) -> bool:
        """Reload when the stored version differs from the one in memory; True when it did."""
        async with self.db.session() as session:
            version = await stored_version(session, self.table)
            if version == self.book.version:
                publish_coverage(self.book, self._today())  # today moves on even when the book does not
                return False
            book = await load_book(session, self.table)
        self.use(book)
        return True

    def use(self, book: CalendarBook) -> None:
        self.book = self._seed(book) if self._seed and book.version == 0 else book
        publish_coverage(self.book, self._today())
        log.info("business calendar loaded", extra={"version": book.version, "coverage": book.coverage()})
