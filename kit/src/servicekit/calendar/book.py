"""The company's calendar book: every named calendar, the company's day entries and covered years, at one version.

Pure: changes return a new book with what they changed; nothing here reads the clock or a database. The book is
what `calendar.changed.v1` carries, so the owner and every copy build the same calendars from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from contracts.events.calendar import (
    BusinessCalendarChangedV1,
    CalendarDay,
    CalendarDefinition,
    CoveredYear,
    WorkingPeriod,
)
from servicekit.calendar.library import CHINESE_HOLIDAYS
from servicekit.calendar.rules import (
    DEFAULT_WEEKS,
    WEEKDAYS,
    BusinessCalendar,
    DayEntry,
    HolidaySource,
    Periods,
    WorkingWeek,
    format_clock,
    parse_periods,
)

DEFAULT_CALENDAR = "office"


class CalendarChangeError(ValueError):
    """A change that cannot be applied; `field` names what is wrong (e.g. "days[3].date", "line 7: date")."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _periods_model(periods: Periods) -> list[WorkingPeriod]:
    return [WorkingPeriod(start=format_clock(s), end=format_clock(e)) for s, e in periods]


def definition_of(name: str, week: WorkingWeek) -> CalendarDefinition:
    return CalendarDefinition(
        name=name,
        time_zone=week.tz,
        week={day: _periods_model(p) for day, p in zip(WEEKDAYS, week.days, strict=True) if p},
        adjusted_working_day=_periods_model(week.adjusted_day or ()),
        follows_holidays=week.follows_holidays,
    )


def week_of(definition: CalendarDefinition) -> WorkingWeek:
    def periods(values: list[WorkingPeriod], where: str) -> Periods:
        return parse_periods(((p.start, p.end) for p in values), where)

    days = tuple(periods(definition.week.get(day, []), f"week.{day}") for day in WEEKDAYS)
    adjusted = definition.adjusted_working_day
    return WorkingWeek(
        tz=definition.time_zone,
        days=days,
        adjusted_day=periods(adjusted, "adjusted_working_day") or None if adjusted else None,
        follows_holidays=definition.follows_holidays,
    )


@dataclass(frozen=True)
class CalendarBook:
    version: int = 0
    definitions: dict[str, CalendarDefinition] = field(
        default_factory=lambda: {name: definition_of(name, week) for name, week in DEFAULT_WEEKS.items()}
    )
    days: dict[date, CalendarDay] = field(default_factory=dict)
    company_years: dict[int, CoveredYear] = field(default_factory=dict)
    library: HolidaySource | None = field(default=CHINESE_HOLIDAYS, compare=False)
    _built: dict[str, BusinessCalendar] = field(default_factory=dict, compare=False, repr=False)

    # -- reading ------------------------------------------------------------------------------------------------

    @property
    def names(self) -> list[str]:
        return sorted(self.definitions)

    def calendar(self, name: str = DEFAULT_CALENDAR) -> BusinessCalendar:
        """The named calendar; built once per book (its year indexes are cached inside)."""
        built = self._built.get(name)
        if built is None:
            definition = self.definitions.get(name)
            if definition is None:
                raise KeyError(f"unknown calendar {name!r}; known: {', '.join(self.names)}")
            entries = {d: DayEntry(d, e.working, e.name) for d, e in self.days.items()}
            built = BusinessCalendar(
                week_of(definition),
                name=name,
                entries=entries,
                company_years=frozenset(self.company_years),
                library=self.library,
            )
            self._built[name] = built
        return built

    def coverage(self) -> dict[int, str]:
        """Each year from the first known to the last known and who covers it ("company", "library")."""
        years = set(self.company_years)
        if self.library is not None and hasattr(self.library, "years"):
            years |= set(self.library.years())
        office = self.calendar(DEFAULT_CALENDAR) if DEFAULT_CALENDAR in self.definitions else None
        out: dict[int, str] = {}
        for year in sorted(years):
            source = "company" if year in self.company_years else (office.year_source(year) if office else "library")
            out[year] = source or "unknown"
        return out

    # -- the event ----------------------------------------------------------------------------------------------

    def to_event(
        self,
        *,
        changed_by: str,
        reason: str = "",
        changed_years: Iterable[int] = (),
        changed_calendars: Iterable[str] = (),
    ) -> BusinessCalendarChangedV1:
        return BusinessCalendarChangedV1(
            version=self.version,
            calendars=[self.definitions[n] for n in self.names],
            days=[self.days[d] for d in sorted(self.days)],
            company_years=[self.company_years[y] for y in sorted(self.company_years)],
            changed_years=sorted(set(changed_years)),
            changed_calendars=sorted(set(changed_calendars)),
            changed_by=changed_by,
            reason=reason,
        )

    @classmethod
    def from_event(
        cls, event: BusinessCalendarChangedV1, library: HolidaySource | None = CHINESE_HOLIDAYS
    ) -> CalendarBook:
        return cls(
            version=event.version,
            definitions={c.name: c for c in event.calendars},
            days={d.date: d for d in event.days},
            company_years={y.year: y for y in event.company_years},
            library=library,
        )

    # -- changes (each returns the next version) ------------------------------------------------------------------

    def _next(self, **changes: object) -> CalendarBook:
        return replace(self, version=self.version + 1, _built={}, **changes)  # type: ignore[arg-type]

    def with_year_schedule(
        self, year: int, days: list[CalendarDay], *, entered_by: str, entered_at: datetime, note: str = ""
    ) -> CalendarBook:
        """Replace the company's entries of one year by its whole schedule and mark the year covered.

        All or nothing: a date outside the year, a date twice or a schedule with no holiday is refused."""
        check_year_schedule(year, days)
        kept = {d: e for d, e in self.days.items() if d.year != year}
        kept.update({d.date: d for d in days})
        years = dict(self.company_years)
        years[year] = CoveredYear(year=year, entered_by=entered_by, entered_at=entered_at, note=note)
        return self._next(days=dict(sorted(kept.items())), company_years=years)

    def without_year_schedule(self, year: int) -> CalendarBook:
        """Forget a year's schedule: its entries go and the year is no longer covered by the company."""
        if year not in self.company_years:
            raise CalendarChangeError("year", f"{year} has no company schedule")
        years = {y: c for y, c in self.company_years.items() if y != year}
        return self._next(days={d: e for d, e in self.days.items() if d.year != year}, company_years=years)

    def with_day(self, day: CalendarDay) -> CalendarBook:
        return self._next(days=dict(sorted({**self.days, day.date: day}.items())))

    def without_day(self, day: date) -> CalendarBook:
        if day not in self.days:
            raise CalendarChangeError("date", f"{day.isoformat()} has no company entry")
        return self._next(days={d: e for d, e in self.days.items() if d != day})

    def with_calendar(self, definition: CalendarDefinition) -> CalendarBook:
        try:
            week_of(definition)  # periods that overlap or run backwards are refused here
        except ValueError as exc:
            raise CalendarChangeError("week", str(exc)) from None
        return self._next(definitions={**self.definitions, definition.name: definition})


def check_year_schedule(year: int, days: list[CalendarDay], where: list[str] | None = None) -> None:
    """Refuse a schedule that is not one whole year: `where[i]` names entry i for errors (a line, an index)."""
    where = where or [f"days[{i}]" for i in range(len(days))]
    seen: dict[date, str] = {}
    for i, entry in enumerate(days):
        if entry.date.year != year:
            raise CalendarChangeError(f"{where[i]}.date", f"{entry.date.isoformat()} is not in {year}")
        if entry.date in seen:
            raise CalendarChangeError(
                f"{where[i]}.date", f"{entry.date.isoformat()} is given twice (also {seen[entry.date]})"
            )
        seen[entry.date] = where[i]
    if not any(not e.working for e in days):
        raise CalendarChangeError("days", f"the schedule of {year} names no holiday: give the whole year's schedule")
