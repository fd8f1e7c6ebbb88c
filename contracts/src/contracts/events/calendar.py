"""The company's business calendar: named working weeks, its own day entries and the years it entered.

The complaints service owns it (administrators keep it current through its API and `crm calendar`); every change
publishes the whole calendar, so any service computing working time keeps its own copy from the latest version
(aggregate `business-calendar`, aggregate_version = the calendar's version; older versions are ignored).
"""

from __future__ import annotations

import re
from datetime import date as Date
from datetime import datetime
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from contracts.envelope import Event

CALENDAR_AGGREGATE_ID = "business-calendar"
_CLOCK = re.compile(r"^(([01]\d|2[0-3]):[0-5]\d|24:00)$")

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class WorkingPeriod(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    start: str = Field(description="local time HH:MM")
    end: str = Field(description="local time HH:MM; 24:00 is the end of the day")

    @field_validator("start", "end")
    @classmethod
    def _clock(cls, value: str) -> str:
        if not _CLOCK.match(value):
            raise ValueError("must be a time of day HH:MM (00:00 .. 24:00)")
        return value


class CalendarDefinition(BaseModel):
    """One named calendar (`office`, `hotline`, ...): working periods per weekday in a time zone."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_-]*$")
    time_zone: str = Field(default="Asia/Shanghai", max_length=64)
    week: dict[Weekday, list[WorkingPeriod]] = Field(description="working periods per weekday; a missing day is off")
    adjusted_working_day: list[WorkingPeriod] | None = Field(
        default=None, description="hours of a holiday-schedule working day that the week has off (调休)"
    )
    follows_holidays: bool = Field(default=True, description="false for a 7x24 line that ignores holidays")


class CalendarDay(BaseModel):
    """The company's own word on one date."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    date: Date
    working: bool = Field(description="true: a working day (e.g. an adjusted Saturday); false: a holiday")
    name: str = Field(min_length=1, max_length=100)


class CoveredYear(BaseModel):
    """A year whose whole schedule the company entered, so the calendar knows every day of it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    year: int = Field(ge=1900, le=2200)
    entered_by: str
    entered_at: datetime
    note: str = ""


class BusinessCalendarChangedV1(Event):
    """The company calendar after a change: every calendar, day entry and covered year (a full snapshot)."""

    event_type: ClassVar[str] = "calendar.changed.v1"
    aggregate: ClassVar[str] = "calendar"  # one aggregate: aggregate_id "business-calendar"

    version: int = Field(ge=1)
    calendars: list[CalendarDefinition]
    days: list[CalendarDay]
    company_years: list[CoveredYear]
    changed_years: list[int] = Field(default_factory=list, description="years whose days changed")
    changed_calendars: list[str] = Field(default_factory=list, description="calendars whose hours changed")
    changed_by: str
    reason: str = ""
