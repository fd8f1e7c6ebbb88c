"""Wiring for a service that keeps a copy of the company calendar (every service computing working time but its
owner): the consumer of `calendar.changed.v1`, the per-process reload, and a read-only `GET /calendar`.

    calendar = keep_calendar_copy(service, calendar_table(Base.metadata))
    due = calendar.calendar("office").add_working_days(start, 3)
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Envelope
from servicekit.auth import CurrentPrincipal
from servicekit.calendar.store import CalendarHolder, keep_copy

if TYPE_CHECKING:
    from servicekit.runtime import ServiceRuntime

REFRESH_SECONDS = 10.0


class CalendarCopyRead(BaseModel):
    version: int
    calendars: list[str]
    coverage: dict[int, str]
    covered_until: dict[str, date | None]


def keep_calendar_copy(service: ServiceRuntime, table: Table, *, purpose: str = "calendar") -> CalendarHolder:
    holder = CalendarHolder(service.db, table, today=lambda: service.db.clock().date())

    async def on_calendar_changed(session: AsyncSession, envelope: Envelope) -> None:
        await keep_copy(session, table, envelope)

    service.consume(purpose, on_calendar_changed)
    service.every("calendar refresh", REFRESH_SECONDS, holder.refresh)
    router = APIRouter(tags=["calendar"])

    @router.get("/calendar", response_model=CalendarCopyRead)
    async def calendar_copy(_: CurrentPrincipal) -> CalendarCopyRead:
        """This service's copy of the business calendar: its version and the years it covers."""
        await holder.refresh()
        book = holder.book
        today = service.db.clock().date()
        return CalendarCopyRead(
            version=book.version,
            calendars=book.names,
            coverage=book.coverage(),
            covered_until={n: book.calendar(n).covered_until(today) for n in book.names},
        )

    service.include_router(router)
    return holder
