"""The one business calendar every service uses for working time (architecture rule 7).

`rules` is the pure calendar (named working weeks, day sources, year index); `book` the company's set of calendars
at one version and its changes; `files` a year's schedule from CSV or YAML; `store` the row each service keeps and
the per-process holder; `metrics` coverage and provisional deadlines.
"""

from servicekit.calendar.book import DEFAULT_CALENDAR, CalendarBook, CalendarChangeError
from servicekit.calendar.rules import BusinessCalendar, DayEntry, DayInfo, WorkingWeek

__all__ = [
    "DEFAULT_CALENDAR",
    "BusinessCalendar",
    "CalendarBook",
    "CalendarChangeError",
    "DayEntry",
    "DayInfo",
    "WorkingWeek",
]
