"""The calendar's own metrics and its once-per-year warning: coverage must never run out unnoticed."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta

from prometheus_client import Counter, Gauge

from servicekit.calendar.book import CalendarBook

log = logging.getLogger("servicekit.calendar")

COVERED_UNTIL = Gauge(
    "crm_business_calendar_covered_until",
    "End of the last date the calendar knows (Unix seconds); +Inf for a calendar that ignores holidays",
    ["calendar"],
)
PROVISIONAL_DEADLINES = Counter(
    "crm_business_calendar_provisional_deadlines_total",
    "Deadlines computed on plain weekdays because they touch a year no calendar source covers",
    ["calendar"],
)

_warned: set[tuple[str, int]] = set()


def publish_coverage(book: CalendarBook, today: date) -> None:
    for name in book.names:
        calendar = book.calendar(name)
        last = calendar.covered_until(today)
        if last is None:
            COVERED_UNTIL.labels(name).set(float("inf"))
        else:
            end = datetime.combine(last + timedelta(days=1), time(0), calendar.week_zone)
            COVERED_UNTIL.labels(name).set(end.astimezone(UTC).timestamp())
        PROVISIONAL_DEADLINES.labels(name)  # the series exists from the start, at 0


def note_provisional(calendar: str, years: list[int], count: int = 1) -> None:
    """Count provisional deadlines and say once per process and year that the year is unknown."""
    PROVISIONAL_DEADLINES.labels(calendar).inc(count)
    for year in years:
        if (calendar, year) not in _warned:
            _warned.add((calendar, year))
            log.warning(
                "deadline in a year the business calendar does not cover: computed on plain weekdays, marked"
                " provisional; enter the year's schedule (crm calendar import)",
                extra={"calendar": calendar, "year": year},
            )
