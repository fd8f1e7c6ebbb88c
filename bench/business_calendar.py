"""Business calendar benchmark: ns per deadline, the year index against the period walk it replaced.

Prints, in one run: ns per deadline for 1 working hour, 6 and 30 working days on the new calendar
(servicekit.calendar) and on the old period-walking one (kept below as the baseline); the ratio 30 days / 1 hour
for the new one (aim <= 1.5) and the speed-up at 30 working days (aim >= 5x). With --recompute N it also times
the complaints service recomputing N open cases (three pauses each) after a calendar change, on PostgreSQL.

    .venv/bin/python bench/business_calendar.py [--rounds 20000] [--recompute 100000 --database URL]
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

import chinese_calendar

from servicekit.calendar.book import CalendarBook

SH = ZoneInfo("Asia/Shanghai")


@dataclass
class PeriodWalkCalendar:
    """The calendar before the year index (complaints/business_calendar.py): walks day by day, period by period."""

    periods: tuple[tuple[clock, clock], ...] = ((clock(9), clock(12)), (clock(13), clock(18)))
    weekdays: frozenset[int] = frozenset(range(5))
    _zone: ZoneInfo = SH
    _cache: dict = field(default_factory=dict)

    def is_working_day(self, day: date) -> bool:
        try:
            is_holiday, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:
            name = None
        if name is not None:
            return not is_holiday
        return day.weekday() in self.weekdays

    def working_periods(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        cached = self._cache.get(day)
        if cached is None:
            cached = tuple(
                (datetime.combine(day, s, self._zone).astimezone(UTC), datetime.combine(day, e, self._zone).astimezone(UTC))
                for s, e in self.periods
            ) if self.is_working_day(day) else ()
            self._cache[day] = cached
        return cached

    def _walk(self, start: datetime) -> Iterator[tuple[datetime, datetime]]:
        day = start.astimezone(self._zone).date()
        while True:
            for s, e in self.working_periods(day):
                if e > start:
                    yield max(s, start), e
            day += timedelta(days=1)

    def add_working_time(self, start: datetime, duration: timedelta) -> datetime:
        remaining = duration
        for s, e in self._walk(start.astimezone(UTC)):
            if remaining <= e - s:
                return s + remaining
            remaining -= e - s
        raise AssertionError


def ns_per_deadline(calendar: object, starts: list[datetime], duration: timedelta) -> float:
    add = calendar.add_working_time  # type: ignore[attr-defined]
    for s in starts[:200]:
        add(s, duration)  # warm the caches and the year index
    began = time.perf_counter_ns()
    for s in starts:
        add(s, duration)
    return (time.perf_counter_ns() - began) / len(starts)


def calendar_figures(rounds: int) -> None:
    rng = random.Random(7)
    starts = [datetime(2026, 1, 5, tzinfo=SH) + timedelta(minutes=rng.randrange(0, 200 * 24 * 60)) for _ in range(rounds)]
    new, old = CalendarBook().calendar("office"), PeriodWalkCalendar()
    sizes = {"1 working hour": timedelta(hours=1), "6 working days": 6 * new.working_day_length,
             "30 working days": 30 * new.working_day_length}
    for s in starts[:500]:
        for d in sizes.values():
            assert new.add_working_time(s, d) == old.add_working_time(s, d)  # same results, or the figures are moot
    print(f"{'deadline':<18}{'index ns':>12}{'period walk ns':>17}{'speed-up':>10}")
    figures = {}
    for label, duration in sizes.items():
        n, o = ns_per_deadline(new, starts, duration), ns_per_deadline(old, starts, duration)
        figures[label] = n, o
        print(f"{label:<18}{n:>12,.0f}{o:>17,.0f}{o / n:>9.1f}x")
    one_hour, thirty = figures["1 working hour"][0], figures["30 working days"]
    print(f"ratio 30 working days / 1 working hour (index): {thirty[0] / one_hour:.2f}  (aim <= 1.5)")
    print(f"speed-up at 30 working days: {thirty[1] / thirty[0]:.1f}x  (aim >= 5x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20_000)
    parser.add_argument("--recompute", type=int, default=0, help="open cases to recompute after a calendar change")
    parser.add_argument("--database", default=None, help="PostgreSQL URL for --recompute (default: a new database)")
    args = parser.parse_args()
    calendar_figures(args.rounds)
    if args.recompute:
        from bench_calendar_recompute import recompute_figures  # type: ignore[import-not-found]

        recompute_figures(args.recompute, args.database)


if __name__ == "__main__":
    main()
