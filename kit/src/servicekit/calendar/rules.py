"""The business calendar: working time on named calendars, indexed per year (architecture rule 7; R-15, R-24, R-25).

Pure: no I/O and no clock reading. Every datetime in must be timezone-aware (naive ones raise ValueError);
every datetime out is in UTC.

Which days work, in order of precedence:
1. the company's own entries (a date is a holiday or a working day, with a name: next year's official schedule,
   a company outing);
2. for the years the company entered as a whole schedule: its plain working week;
3. for the years a maintained holiday library covers (China's statutory holidays and adjusted working days, 调休):
   the library;
4. nothing: the year is **unknown**. Its days still follow the plain working week, so a deadline can be computed,
   but `is_provisional` says that it is a guess and the service marks it so.
A calendar that does not follow holidays (a 7x24 hotline) is covered in every year.

Deadlines are computed in constant time: each year is indexed once as the UTC start/end of every working period
with the working time before it, so adding N working hours is two bisections per year crossed, not a walk over days.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal, Protocol, cast
from zoneinfo import ZoneInfo

DayOfWeek = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[DayOfWeek, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Source = Literal["company", "library", "weekly"]

_DAY = timedelta(days=1)
_US = timedelta(microseconds=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_FULL_DAY = 86_400
_MAX_IDLE_YEARS = 10  # a calendar with no working time for ten years is misconfigured, not slow

Periods = tuple[tuple[int, int], ...]  # [start, end) in seconds after local midnight; end may be 86400 (24:00)


def parse_clock(value: time | str, name: str = "period") -> int:
    """Seconds after midnight of "HH:MM" (or a time); "24:00" is the end of the day."""
    if isinstance(value, time):
        return value.hour * 3600 + value.minute * 60 + value.second
    if value in ("24:00", "24:00:00"):
        return _FULL_DAY
    try:
        parsed = time.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: {value!r} is not a time of day like 09:00") from None
    return parsed.hour * 3600 + parsed.minute * 60 + parsed.second


def format_clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}" + (f":{seconds % 60:02d}" if seconds % 60 else "")


def parse_periods(values: Iterable[tuple[time | str, time | str]], name: str = "periods") -> Periods:
    """Sorted, non-overlapping working periods of one day."""
    periods = tuple(sorted((parse_clock(s, name), parse_clock(e, name)) for s, e in values))
    for i, (start, end) in enumerate(periods):
        if not start < end:
            raise ValueError(f"{name}: start {format_clock(start)} must be before end {format_clock(end)}")
        if i + 1 < len(periods) and periods[i + 1][0] < end:
            raise ValueError(f"{name}: {format_clock(start)}-{format_clock(end)} overlaps the next period")
    return periods


def aware(dt: datetime, name: str = "datetime") -> datetime:
    if not isinstance(dt, datetime) or dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {dt!r}")
    return dt


def _us(dt: datetime) -> int:
    return (dt - _EPOCH) // _US


def _from_us(us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=us)


OFFICE_HOURS: Periods = ((9 * 3600, 12 * 3600), (13 * 3600, 18 * 3600))


@dataclass(frozen=True)
class WorkingWeek:
    """The shape of one named calendar: working periods per weekday (Monday first) in a time zone.

    `adjusted_day` are the hours of a day the holiday schedule makes a working day although the week has none
    (an adjusted working Saturday, 调休); by default the first weekday that has hours.
    """

    tz: str = "Asia/Shanghai"
    days: tuple[Periods, ...] = (OFFICE_HOURS,) * 5 + ((), ())
    adjusted_day: Periods | None = None
    follows_holidays: bool = True

    def __post_init__(self) -> None:
        if len(self.days) != 7:
            raise ValueError("days: give the working periods of all seven weekdays, Monday first")
        ZoneInfo(self.tz)  # an unknown zone fails here, not at the first deadline
        if self.adjusted_day is None:
            object.__setattr__(self, "adjusted_day", next((d for d in self.days if d), OFFICE_HOURS))

    @classmethod
    def of(
        cls,
        periods: Iterable[tuple[time | str, time | str]] = (("09:00", "12:00"), ("13:00", "18:00")),
        weekdays: Iterable[int] = range(5),
        *,
        tz: str = "Asia/Shanghai",
        follows_holidays: bool = True,
        by_weekday: Mapping[DayOfWeek, Iterable[tuple[time | str, time | str]]] | None = None,
    ) -> WorkingWeek:
        """The same periods on the given weekdays (0 = Monday), optionally other periods on some days."""
        same = parse_periods(periods)
        chosen = {int(d) for d in weekdays}
        if not chosen <= set(range(7)):
            raise ValueError("weekdays: use 0 (Monday) .. 6 (Sunday)")
        days = [same if i in chosen else () for i in range(7)]
        for day, values in (by_weekday or {}).items():
            days[WEEKDAYS.index(day)] = parse_periods(values, f"hours.{day}")
        return cls(tz=tz, days=tuple(days), adjusted_day=same or None, follows_holidays=follows_holidays)

    @property
    def working_day_length(self) -> timedelta:
        """Working time in one standard working day (8 h in the office): the unit of "N working days"."""
        assert self.adjusted_day is not None
        return timedelta(seconds=sum(e - s for s, e in self.adjusted_day))


SEVEN_BY_TWENTY_FOUR = WorkingWeek(days=(((0, _FULL_DAY),),) * 7, follows_holidays=False)
DEFAULT_WEEKS: dict[str, WorkingWeek] = {"office": WorkingWeek(), "hotline": SEVEN_BY_TWENTY_FOUR}


@dataclass(frozen=True)
class DayEntry:
    """The company's word on one date: a holiday or a working day, with its name."""

    day: date
    working: bool
    name: str


@dataclass(frozen=True)
class DayInfo:
    """How a calendar sees one date, and which source said so (None = an unknown year's guess)."""

    day: date
    working: bool
    name: str | None
    source: Source | None
    periods: Periods


class HolidaySource(Protocol):
    """A maintained holiday library: which years it knows, and each date's (is_holiday, name) in them."""

    name: str

    def covers(self, year: int) -> bool: ...

    def detail(self, day: date) -> tuple[bool, str | None]: ...


@dataclass
class _YearIndex:
    """Every working period of one local year as UTC microseconds, with the working time before each."""

    starts: list[int]
    ends: list[int]
    before: list[int]  # working microseconds in the year before period i starts
    after: list[int]  # ... when period i ends
    total: int

    def worked_until(self, t: int) -> int:
        i = bisect_right(self.starts, t) - 1
        if i < 0:
            return 0
        return self.before[i] + min(t, self.ends[i]) - self.starts[i]

    def moment_of(self, worked: int) -> int:
        """The instant when `worked` (> 0, <= total) working microseconds of the year have passed.

        bisect_left: a deadline that uses up a period exactly ends at its close, not at the next opening."""
        i = bisect_left(self.after, worked)
        return self.starts[i] + worked - self.before[i]


@dataclass
class BusinessCalendar:
    """One named calendar: a working week plus the day sources above; computes deadlines in working time."""

    week: WorkingWeek = field(default_factory=WorkingWeek)
    name: str = "office"
    entries: Mapping[date, DayEntry] = field(default_factory=dict)
    company_years: frozenset[int] = frozenset()
    library: HolidaySource | None = None
    _zone: ZoneInfo = field(init=False, repr=False, compare=False)
    _years: dict[int, _YearIndex] = field(init=False, repr=False, compare=False, default_factory=dict)
    _last_year: tuple[int, int, int] = field(init=False, repr=False, compare=False, default=(0, 0, 0))

    def __post_init__(self) -> None:
        self._zone = ZoneInfo(self.week.tz)
        if not isinstance(self.entries, dict):
            given = cast("Iterable[DayEntry]", self.entries)  # callers may pass a sequence of entries
            self.entries = {e.day: e for e in given}
        self.company_years = frozenset(self.company_years)

    # -- days ---------------------------------------------------------------------------------------------------

    @property
    def tz(self) -> str:
        return self.week.tz

    @property
    def working_day_length(self) -> timedelta:
        return self.week.working_day_length

    @property
    def week_zone(self) -> ZoneInfo:
        return self._zone

    def local_date(self, dt: datetime) -> date:
        return aware(dt).astimezone(self._zone).date()

    def year_source(self, year: int) -> Source | None:
        """Who covers a year: the company's schedule, the library, every year (7x24), or nobody (None)."""
        if not self.week.follows_holidays:
            return "weekly"
        if year in self.company_years:
            return "company"
        if self.library is not None and self.library.covers(year):
            return "library"
        return None

    def day(self, day: date) -> DayInfo:
        plain = self.week.days[day.weekday()]
        source = self.year_source(day.year)
        if not self.week.follows_holidays:
            return DayInfo(day, bool(plain), None, source, plain)
        entry = self.entries.get(day)
        if entry is not None:
            return DayInfo(day, entry.working, entry.name, "company", self._periods(entry.working, plain))
        if source == "library" and self.library is not None:
            # (is_holiday, name): a name marks a statutory holiday or an adjusted working day (调休)
            is_holiday, name = self.library.detail(day)
            if name is not None:
                return DayInfo(day, not is_holiday, name, source, self._periods(not is_holiday, plain))
        return DayInfo(day, bool(plain), None, source, plain)

    def _periods(self, working: bool, plain: Periods) -> Periods:
        if not working:
            return ()
        return plain or self.week.adjusted_day or ()

    def is_working_day(self, day: date | datetime) -> bool:
        if isinstance(day, datetime):
            day = self.local_date(day)
        return self.day(day).working

    def working_periods(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """The UTC [start, end) working periods of a local date."""
        return tuple((self._instant(day, s), self._instant(day, e)) for s, e in self.day(day).periods)

    def _instant(self, day: date, seconds: int) -> datetime:
        if seconds >= _FULL_DAY:
            day, seconds = day + _DAY, seconds - _FULL_DAY
        wall = time(seconds // 3600, seconds % 3600 // 60, seconds % 60)
        return datetime.combine(day, wall, self._zone).astimezone(UTC)

    def year_days(self, year: int) -> Iterator[DayInfo]:
        day = date(year, 1, 1)
        while day.year == year:
            yield self.day(day)
            day += _DAY

    # -- coverage -----------------------------------------------------------------------------------------------

    def is_provisional(self, start: datetime, end: datetime) -> bool:
        """True when working time between the two instants depends on a year no source covers."""
        return bool(self.unknown_years(start, end))

    def unknown_years(self, start: datetime, end: datetime) -> list[int]:
        first, last = sorted((self.local_date(start).year, self.local_date(end).year))
        return [y for y in range(first, last + 1) if self.year_source(y) is None]

    def covered_until(self, today: date) -> date | None:
        """The last date of the unbroken run of covered years from `today`'s year; None = never ends (7x24).

        Today's own year unknown -> the day before it began, i.e. already in the past."""
        if not self.week.follows_holidays:
            return None
        year = today.year
        while self.year_source(year) is not None and year < today.year + 200:
            year += 1
        return date(year, 1, 1) - _DAY

    # -- the year index -----------------------------------------------------------------------------------------

    def _index(self, year: int) -> _YearIndex:
        index = self._years.get(year)
        if index is None:
            starts: list[int] = []
            ends: list[int] = []
            before: list[int] = []
            after: list[int] = []
            total = 0
            for info in self.year_days(year):
                for s, e in info.periods:
                    start, end = _us(self._instant(info.day, s)), _us(self._instant(info.day, e))
                    starts.append(start)
                    ends.append(end)
                    before.append(total)
                    total += end - start
                    after.append(total)
            index = self._years[year] = _YearIndex(starts, ends, before, after, total)
        return index

    def _year_of(self, dt: datetime, t: int) -> int:
        # the last year asked about answers most calls without a time-zone conversion
        year, low, high = self._last_year
        if low <= t < high:
            return year
        year = dt.astimezone(self._zone).year
        self._last_year = (year, _us(self._instant(date(year, 1, 1), 0)), _us(self._instant(date(year + 1, 1, 1), 0)))
        return year

    # -- working time -------------------------------------------------------------------------------------------

    def next_opening(self, dt: datetime) -> datetime:
        """`dt` itself when inside working hours, else the start of the next working period (UTC)."""
        dt = aware(dt, "dt")
        t = _us(dt)
        year = self._year_of(dt, t)
        for _ in range(_MAX_IDLE_YEARS + 1):
            index = self._index(year)
            i = bisect_right(index.ends, t)  # the first period that ends after t
            if i < len(index.starts):
                return _from_us(max(index.starts[i], t))
            year += 1
        raise ValueError(
            f"calendar {self.name!r} has no working time within {_MAX_IDLE_YEARS} years of {dt.isoformat()}"
        )

    def add_working_time(self, start: datetime, duration: timedelta) -> datetime:
        """The moment when `duration` of working time has elapsed since `start` (UTC).

        A start outside working hours counts from the next opening. A deadline that uses up a period exactly
        ends at that period's close (Friday 18:00), not at the next opening.
        """
        start = aware(start, "start")
        if duration < timedelta(0):
            raise ValueError("duration must not be negative")
        if not duration:
            return self.next_opening(start)
        remaining, t, idle = duration // _US, _us(start), 0
        year = self._year_of(start, t)
        while idle <= _MAX_IDLE_YEARS:
            index = self._index(year)
            target = index.worked_until(t) + remaining
            if target <= index.total:
                return _from_us(index.moment_of(target))
            remaining = target - index.total
            idle = idle + 1 if index.total == 0 else 0
            t, year = -(2**62), year + 1
        raise ValueError(
            f"calendar {self.name!r} has no working time within {_MAX_IDLE_YEARS} years of {start.isoformat()}"
        )

    def add_working_days(self, start: datetime, days: float) -> datetime:
        """N working days = N x `working_day_length` of working time (R-15, R-24, R-25).

        A start inside working hours lands on the same wall time N working days later (Fri 17:30 + 3 -> Wed
        17:30); a start outside working hours lands at the close of the Nth working day (Fri 20:00 + 3 -> Wed 18:00).
        """
        return self.add_working_time(start, self.working_day_length * days)

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time in [start, end); zero when end <= start."""
        start, end = aware(start, "start"), aware(end, "end")
        if end <= start:
            return timedelta(0)
        a, b = _us(start), _us(end)
        first, last = self._year_of(start, a), self._year_of(end, b)
        total = 0
        for year in range(first, last + 1):
            index = self._index(year)
            low = index.worked_until(a) if year == first else 0
            high = index.worked_until(b) if year == last else index.total
            total += high - low
        return timedelta(microseconds=total)


__all__ = [
    "DEFAULT_WEEKS",
    "OFFICE_HOURS",
    "SEVEN_BY_TWENTY_FOUR",
    "WEEKDAYS",
    "BusinessCalendar",
    "DayEntry",
    "DayInfo",
    "DayOfWeek",
    "HolidaySource",
    "Periods",
    "Source",
    "WorkingWeek",
    "aware",
    "format_clock",
    "parse_clock",
    "parse_periods",
]
