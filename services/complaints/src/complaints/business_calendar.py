"""Business calendar for deadlines in working time (architecture reliability rule 7; R-15, R-24, R-25).

Pure: no I/O and no clock reading. Every datetime in must be timezone-aware (naive ones raise
ValueError); every datetime out is in UTC.

Which days work, in order of precedence:
1. ``extra_working_days`` / ``extra_holidays`` configured by the company;
2. with ``use_chinese_holidays`` (default), the ``chinesecalendar`` package: a statutory holiday
   (e.g. National Day, 2026-10-01..07) is off and an adjusted working day (调休, e.g. Saturday
   2026-10-10) is on;
3. otherwise the configured working weekdays (Mon-Fri by default).
For years the library does not cover (it raises NotImplementedError; 1.11 covers 2004-2026) the
calendar silently falls back to step 3, so configure ``extra_*`` for such years or upgrade the package.

Every working day has the same working periods (default 09:00-12:00 and 13:00-18:00 local time).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

_DAY = timedelta(days=1)
_MAX_IDLE_DAYS = 3660  # a calendar with no working day for ten years is misconfigured, not slow


def _as_time(value: time | str) -> time:
    return value if isinstance(value, time) else time.fromisoformat(value)


def _as_dates(values) -> frozenset[date]:
    return frozenset(v if isinstance(v, date) else date.fromisoformat(v) for v in values)


def _aware(dt: datetime, name: str = "datetime") -> datetime:
    if not isinstance(dt, datetime) or dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {dt!r}")
    return dt.astimezone(UTC)


@dataclass(frozen=True)
class BusinessCalendar:
    """Working hours, public holidays and China's adjusted working days; config-driven (rule 7).

    Accepts plain config values too: periods as ``("09:00", "12:00")`` and dates as ISO strings,
    so ``BusinessCalendar(**config_dict)`` works.
    """

    tz: str = "Asia/Shanghai"
    periods: tuple[tuple[time, time], ...] = ((time(9), time(12)), (time(13), time(18)))
    weekdays: frozenset[int] = frozenset(range(5))  # Monday=0
    extra_holidays: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset()
    use_chinese_holidays: bool = True
    _zone: ZoneInfo = field(init=False, repr=False, compare=False)
    _cache: dict = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        periods = tuple(sorted((_as_time(s), _as_time(e)) for s, e in self.periods))
        if not periods:
            raise ValueError("periods: at least one working period is required")
        for (s, e), nxt in zip(periods, periods[1:] + ((None, None),)):
            if not s < e:
                raise ValueError(f"periods: start {s} must be before end {e}")
            if nxt[0] is not None and nxt[0] < e:
                raise ValueError(f"periods: {s}-{e} overlaps the next period")
        weekdays = frozenset(int(d) for d in self.weekdays)
        if not weekdays <= set(range(7)):
            raise ValueError("weekdays: use 0 (Monday) .. 6 (Sunday)")
        holidays, workdays = _as_dates(self.extra_holidays), _as_dates(self.extra_working_days)
        if holidays & workdays:
            raise ValueError(f"extra_holidays and extra_working_days overlap: {sorted(holidays & workdays)}")
        for name, value in (("periods", periods), ("weekdays", weekdays), ("extra_holidays", holidays),
                            ("extra_working_days", workdays), ("_zone", ZoneInfo(self.tz))):
            object.__setattr__(self, name, value)  # normalise config values on a frozen instance

    @property
    def working_day_length(self) -> timedelta:
        """Working time in one full working day (8 h by default): the unit of "N working days"."""
        ref = date(2000, 1, 1)
        return sum((datetime.combine(ref, e) - datetime.combine(ref, s) for s, e in self.periods), timedelta())

    def local_date(self, dt: datetime) -> date:
        return _aware(dt).astimezone(self._zone).date()

    def is_working_day(self, day: date | datetime) -> bool:
        """Company overrides first, then the holiday library, then the working weekdays."""
        if isinstance(day, datetime):
            day = self.local_date(day)
        if day in self.extra_working_days:
            return True
        if day in self.extra_holidays:
            return False
        if self.use_chinese_holidays:
            try:
                # (is_holiday, name): a name marks a statutory holiday or an adjusted working day (调休)
                is_holiday, name = chinese_calendar.get_holiday_detail(day)
            except NotImplementedError:
                name = None  # year outside the library's data: plain weekdays (documented above)
            if name is not None:
                return not is_holiday
        return day.weekday() in self.weekdays

    def working_periods(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """The UTC [start, end) working periods of a local date; cached per date (hot path)."""
        cached = self._cache.get(day)
        if cached is None:
            cached = tuple(
                (datetime.combine(day, s, self._zone).astimezone(UTC), datetime.combine(day, e, self._zone).astimezone(UTC))
                for s, e in self.periods
            ) if self.is_working_day(day) else ()
            self._cache[day] = cached
        return cached

    def _walk(self, start: datetime):
        """Yield the working periods (UTC) that end after ``start``, clipped to begin at ``start``."""
        day, idle = self.local_date(start), 0
        while idle < _MAX_IDLE_DAYS:
            periods = self.working_periods(day)
            idle = 0 if periods else idle + 1
            for s, e in periods:
                if e > start:
                    yield max(s, start), e
            day += _DAY
        raise ValueError(f"calendar has no working time within {_MAX_IDLE_DAYS} days of {start.isoformat()}")

    def next_opening(self, dt: datetime) -> datetime:
        """``dt`` itself when inside working hours, else the start of the next working period (UTC)."""
        return next(self._walk(_aware(dt, "dt")))[0]

    def add_working_time(self, start: datetime, duration: timedelta) -> datetime:
        """The moment when ``duration`` of working time has elapsed since ``start`` (UTC).

        A start outside working hours counts from the next opening; steps period by period, never
        minute by minute. A deadline that uses up a period exactly ends at that period's close
        (Friday 18:00), not at the next opening.
        """
        if duration < timedelta(0):
            raise ValueError("duration must not be negative")
        remaining = duration
        for s, e in self._walk(_aware(start, "start")):
            if remaining <= e - s:
                return s + remaining
            remaining -= e - s
        raise AssertionError("unreachable")  # _walk raises before it ends

    def add_working_days(self, start: datetime, days: float) -> datetime:
        """N working days = N x ``working_day_length`` of working time (R-15, R-24, R-25).

        Since every working day has the same periods, a start inside working hours lands on the same
        wall time N working days later (Fri 17:30 + 3 -> Wed 17:30); a start outside working hours
        lands at the close of the Nth working day (Fri 20:00 + 3 -> Wed 18:00).
        """
        return self.add_working_time(start, self.working_day_length * days)

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time in [start, end); zero when end <= start."""
        start, end = _aware(start, "start"), _aware(end, "end")
        total, day, last = timedelta(), self.local_date(start), self.local_date(end)
        while day <= last:
            for s, e in self.working_periods(day):
                lo, hi = max(s, start), min(e, end)
                if hi > lo:
                    total += hi - lo
            day += _DAY
        return total
