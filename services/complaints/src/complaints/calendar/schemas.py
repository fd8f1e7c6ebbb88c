"""HTTP models of the calendar API; the calendar's own shapes come from the contract (`contracts.events.calendar`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints

from contracts.events.calendar import CalendarDay, CalendarDefinition, Weekday, WorkingPeriod
from servicekit.fields import Name, RawText, Text, TimeZone


class YearCoverage(BaseModel):
    year: int
    source: str = Field(description="company | library | unknown")


class RecomputeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    version: int
    state: str
    total: int
    done: int
    moved: int
    requested_at: datetime
    finished_at: datetime | None


class CalendarOverview(BaseModel):
    version: int
    calendars: list[CalendarDefinition]
    coverage: list[YearCoverage]
    covered_until: dict[str, date | None] = Field(description="per calendar; null = never ends (ignores holidays)")
    recompute: RecomputeRead | None = Field(description="the latest recomputation of open deadlines")


class DayList(BaseModel):
    days: list[CalendarDay]


class YearDay(BaseModel):
    date: date
    weekday: Weekday
    working: bool
    name: str | None
    source: str | None = Field(description="company | library | weekly; null = a guess in an unknown year")


class YearView(BaseModel):
    year: int
    calendar: str
    source: str | None = Field(description="who covers the year; null = unknown: its deadlines are provisional")
    working_days: int
    working_hours: float
    days: list[YearDay] = Field(description="holidays and adjusted working days (every day with ?all=true)")


class YearScheduleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    days: list[CalendarDay] = Field(max_length=366)
    note: Annotated[Text, StringConstraints(max_length=500)] = ""


class ScheduleImport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    content: Annotated[RawText, StringConstraints(min_length=1, max_length=200_000)] = Field(
        description="the file's text: CSV or YAML"
    )
    format: Literal["csv", "yaml"] | None = Field(default=None, description="default: guessed from the content")
    year: int | None = Field(default=None, ge=1900, le=2200, description="default: the file's year")
    note: Annotated[Text, StringConstraints(max_length=500)] = ""


class DayIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    working: StrictBool
    name: Name


class CalendarHoursIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    time_zone: TimeZone = "Asia/Shanghai"
    week: dict[Weekday, list[WorkingPeriod]]
    adjusted_working_day: list[WorkingPeriod] | None = None
    follows_holidays: StrictBool = True


class ChangeResult(BaseModel):
    version: int
    changed_years: list[int]
    changed_calendars: list[str]
    recompute_id: str
    year: int | None = None
    days: int | None = None
