"""Use cases of the company calendar this service owns (architecture rule 7).

The complaints service owns it because its SLA clocks are the main user of working time and the deadlines a change
moves live here; engagement and surveys keep copies from `calendar.changed.v1`. A change is one transaction: the
new book, its event in the outbox and a recomputation of the open deadlines as a due row. Never commits.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from functools import cache

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from complaints.calendar.models import CalendarRecompute, calendar_book
from complaints.calendar.schemas import (
    CalendarHoursIn,
    CalendarOverview,
    ChangeResult,
    RecomputeRead,
    ScheduleImport,
    YearCoverage,
    YearDay,
    YearScheduleIn,
    YearView,
)
from complaints.settings import complaints_settings
from contracts.events.calendar import CALENDAR_AGGREGATE_ID, CalendarDay, CalendarDefinition
from servicekit.auth import Principal
from servicekit.calendar.book import CalendarBook, CalendarChangeError, definition_of, week_of
from servicekit.calendar.files import parse_schedule
from servicekit.calendar.rules import WEEKDAYS
from servicekit.calendar.store import CalendarHolder, load_book, save_book
from servicekit.clock import now
from servicekit.db import Database, after_commit
from servicekit.errors import ApiError
from servicekit.outbox import record_event

_holder: CalendarHolder | None = None


def seeded(book: CalendarBook) -> CalendarBook:
    """Version 0 (nothing entered yet) takes the settings' time zone and extra dates; entries made later win."""
    settings = complaints_settings()
    office = replace(week_of(book.definitions["office"]), tz=settings.calendar_time_zone)
    days = {d: CalendarDay(date=d, working=False, name="configured holiday") for d in settings.extra_holidays}
    days |= {d: CalendarDay(date=d, working=True, name="configured working day") for d in settings.extra_working_days}
    return replace(
        book, definitions={**book.definitions, "office": definition_of("office", office)}, days=days, _built={}
    )


def install(db: Database) -> CalendarHolder:
    """The process's calendar, reloaded by `refresh` when another replica changed it."""
    global _holder
    _holder = CalendarHolder(db, calendar_book, seed=seeded, today=lambda: db.clock().date())
    return _holder


@cache
def _default_book() -> CalendarBook:
    return seeded(CalendarBook())


def current_book() -> CalendarBook:
    return _holder.book if _holder is not None else _default_book()


async def refresh() -> bool:
    return await _holder.refresh() if _holder is not None else False


# -- reading --------------------------------------------------------------------------------------------------------


async def overview(session: AsyncSession) -> CalendarOverview:
    book = await _stored(session)
    today = now(session).date()
    latest = await session.scalar(select(CalendarRecompute).order_by(CalendarRecompute.requested_at.desc()).limit(1))
    return CalendarOverview(
        version=book.version,
        calendars=[book.definitions[n] for n in book.names],
        coverage=[YearCoverage(year=y, source=s) for y, s in book.coverage().items()],
        covered_until={n: book.calendar(n).covered_until(today) for n in book.names},
        recompute=RecomputeRead.model_validate(latest) if latest else None,
    )


async def company_days(session: AsyncSession, year: int | None) -> list[CalendarDay]:
    book = await _stored(session)
    return [e for d, e in sorted(book.days.items()) if year is None or d.year == year]


async def year_view(session: AsyncSession, year: int, calendar_name: str, every_day: bool) -> YearView:
    book = await _stored(session)
    calendar = _calendar(book, calendar_name)
    days = list(calendar.year_days(year))
    seconds = sum(e - s for info in days for s, e in info.periods)
    shown = [d for d in days if every_day or d.name is not None]
    return YearView(
        year=year,
        calendar=calendar_name,
        source=calendar.year_source(year),
        working_days=sum(1 for d in days if d.working),
        working_hours=seconds / 3600,
        days=[
            YearDay(date=d.day, weekday=WEEKDAYS[d.day.weekday()], working=d.working, name=d.name, source=d.source)
            for d in shown
        ],
    )


def _calendar(book: CalendarBook, name: str):  # type: ignore[no-untyped-def]
    try:
        return book.calendar(name)
    except KeyError:
        raise ApiError(404, "not_found", f"calendar {name} not found") from None


async def _stored(session: AsyncSession, *, for_update: bool = False) -> CalendarBook:
    book = await load_book(session, calendar_book, for_update=for_update)
    return seeded(book) if book.version == 0 else book


# -- changes --------------------------------------------------------------------------------------------------------


async def import_schedule(session: AsyncSession, principal: Principal, body: ScheduleImport) -> ChangeResult:
    try:
        schedule = parse_schedule(body.content, year=body.year, fmt=body.format)
    except CalendarChangeError as exc:
        raise ApiError(422, "invalid_schedule", exc.message, field=exc.field) from None
    result = await _change(
        session,
        principal,
        lambda book, at: book.with_year_schedule(
            schedule.year, schedule.days, entered_by=principal.subject, entered_at=at, note=body.note
        ),
        reason=f"schedule of {schedule.year} imported",
        years=[schedule.year],
    )
    return result.model_copy(update={"year": schedule.year, "days": len(schedule.days)})


async def put_year(session: AsyncSession, principal: Principal, year: int, body: YearScheduleIn) -> ChangeResult:
    result = await _change(
        session,
        principal,
        lambda book, at: book.with_year_schedule(
            year, body.days, entered_by=principal.subject, entered_at=at, note=body.note
        ),
        reason=f"schedule of {year} entered",
        years=[year],
    )
    return result.model_copy(update={"year": year, "days": len(body.days)})


async def delete_year(session: AsyncSession, principal: Principal, year: int) -> ChangeResult:
    return await _change(
        session,
        principal,
        lambda book, _: book.without_year_schedule(year),
        reason=f"schedule of {year} removed",
        years=[year],
        missing_is_404=True,
    )


async def put_day(session: AsyncSession, principal: Principal, day: date, working: bool, name: str) -> ChangeResult:
    entry = CalendarDay(date=day, working=working, name=name)
    return await _change(
        session,
        principal,
        lambda book, _: book.with_day(entry),
        reason=f"{day.isoformat()} set: {name}",
        years=[day.year],
    )


async def delete_day(session: AsyncSession, principal: Principal, day: date) -> ChangeResult:
    return await _change(
        session,
        principal,
        lambda book, _: book.without_day(day),
        reason=f"{day.isoformat()} removed",
        years=[day.year],
        missing_is_404=True,
    )


async def put_calendar(session: AsyncSession, principal: Principal, name: str, body: CalendarHoursIn) -> ChangeResult:
    definition = CalendarDefinition(name=name, **body.model_dump())
    return await _change(
        session,
        principal,
        lambda book, _: book.with_calendar(definition),
        reason=f"hours of calendar {name} set",
        calendars=[name],
    )


async def _change(
    session: AsyncSession,
    principal: Principal,
    apply,
    *,
    reason: str,  # type: ignore[no-untyped-def]
    years: list[int] = (),
    calendars: list[str] = (),
    missing_is_404: bool = False,
) -> ChangeResult:
    at = now(session)
    book = await _stored(session, for_update=True)
    try:
        changed: CalendarBook = apply(book, at)
    except CalendarChangeError as exc:
        status, code = (404, "not_found") if missing_is_404 else (422, "invalid_calendar")
        raise ApiError(status, code, exc.message, field=exc.field) from None
    try:
        await save_book(session, calendar_book, changed, at)
        await session.flush()
    except IntegrityError:  # two first-ever changes at once: the other one created the row
        raise ApiError(409, "conflict", "the calendar changed at the same time; retry") from None
    event = changed.to_event(
        changed_by=principal.subject, reason=reason, changed_years=years, changed_calendars=calendars
    )
    await record_event(session, event, aggregate_id=CALENDAR_AGGREGATE_ID, aggregate_version=changed.version)
    # an unfinished recompute of an older version would redo the same cases: the new one covers them all
    await session.execute(
        update(CalendarRecompute)
        .where(CalendarRecompute.state.in_(("pending", "running")))
        .values(state="superseded", next_run_at=None, finished_at=at)
    )
    job = CalendarRecompute(
        id=str(uuid.uuid4()),
        version=changed.version,
        reason=reason,
        requested_by=principal.subject,
        requested_at=at,
        state="pending",
        next_run_at=at,
    )
    session.add(job)
    if _holder is not None:
        holder = _holder
        after_commit(session, lambda: holder.use(changed))  # this replica at once; the others on their next refresh
    return ChangeResult(
        version=changed.version,
        changed_years=sorted(set(years)),
        changed_calendars=sorted(set(calendars)),
        recompute_id=job.id,
    )
