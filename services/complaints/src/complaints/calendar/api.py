"""Thin routes of the company calendar: anyone signed in reads it, administrators change it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from complaints.calendar import service
from complaints.calendar.schemas import (
    CalendarHoursIn,
    CalendarOverview,
    ChangeResult,
    DayIn,
    DayList,
    ScheduleImport,
    YearScheduleIn,
    YearView,
)
from servicekit.auth import CurrentPrincipal, Principal, Role, require_roles
from servicekit.fields import Day
from servicekit.runtime import DbSession

router = APIRouter(prefix="/calendar", tags=["calendar"])

Admin = Annotated[Principal, require_roles(Role.admin)]
Year = Annotated[int, Path(ge=1900, le=2200)]
CalendarName = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_-]*$")]


@router.get("", response_model=CalendarOverview)
async def calendar_overview(session: DbSession, _: CurrentPrincipal) -> object:
    """Calendars, the years covered and by which source, how long each calendar is known, the latest recompute."""
    return await service.overview(session)


@router.get("/days", response_model=DayList)
async def list_company_days(
    session: DbSession, _: CurrentPrincipal, year: Annotated[int | None, Query(ge=1900, le=2200)] = None
) -> object:
    return DayList(days=await service.company_days(session, year))


@router.get("/years/{year}", response_model=YearView)
async def show_year(
    session: DbSession,
    _: CurrentPrincipal,
    year: Year,
    calendar: Annotated[str, Query(min_length=1, max_length=40)] = "office",
    all: Annotated[bool, Query(description="every day, not only the named ones")] = False,
) -> object:
    """A year as a calendar sees it; `source` null means no source covers it and its deadlines are provisional."""
    return await service.year_view(session, year, calendar, all)


@router.put("/years/{year}", response_model=ChangeResult)
async def enter_year_schedule(session: DbSession, principal: Admin, year: Year, body: YearScheduleIn) -> object:
    """The whole schedule of a year (every holiday and adjusted working day); replaces the year's entries."""
    return await service.put_year(session, principal, year, body)


@router.delete("/years/{year}", response_model=ChangeResult)
async def remove_year_schedule(session: DbSession, principal: Admin, year: Year) -> object:
    return await service.delete_year(session, principal, year)


@router.post("/imports", response_model=ChangeResult)
async def import_year_schedule(session: DbSession, principal: Admin, body: ScheduleImport) -> object:
    """A year's schedule from a CSV or YAML file's text; a bad line is a 422 naming the line and field."""
    return await service.import_schedule(session, principal, body)


@router.put("/days/{day}", response_model=ChangeResult)
async def set_company_day(session: DbSession, principal: Admin, day: Day, body: DayIn) -> object:
    """One company entry, e.g. a company outing (holiday) or a stocktaking Saturday (working day)."""
    return await service.put_day(session, principal, day, body.working, body.name)


@router.delete("/days/{day}", response_model=ChangeResult)
async def remove_company_day(session: DbSession, principal: Admin, day: Day) -> object:
    return await service.delete_day(session, principal, day)


@router.put("/calendars/{name}", response_model=ChangeResult)
async def set_calendar_hours(session: DbSession, principal: Admin, name: CalendarName, body: CalendarHoursIn) -> object:
    """Create or change a named calendar's working hours per weekday (e.g. a Saturday half day)."""
    return await service.put_calendar(session, principal, name, body)
