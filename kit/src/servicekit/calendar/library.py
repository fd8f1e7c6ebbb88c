"""China's statutory holidays and adjusted working days (调休) from the `chinesecalendar` package.

Chosen over `holidays` because it knows what it does not know: it holds only the State Council's published
schedules and raises for any other year, so an unpublished year is reported unknown. `holidays` (0.109) answers
every year up to 2100 and, for years whose schedule is not out yet, extrapolates the holidays by rule and has no
adjusted working days at all: for 2027 it gives a guessed Spring Festival and no working Saturdays, which is
exactly the silent guess the calendar must not make. For the years both cover they agree.
"""

from __future__ import annotations

from datetime import date
from functools import cache

import chinese_calendar


class ChineseHolidays:
    name = "chinesecalendar"

    def covers(self, year: int) -> bool:
        return _covers(year)

    def detail(self, day: date) -> tuple[bool, str | None]:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
        return bool(is_holiday), (str(name) if name is not None else None)

    def years(self) -> range:
        """The years the installed package covers, e.g. range(2004, 2027)."""
        known = [y for y in range(1990, 2100) if _covers(y)]
        return range(known[0], known[-1] + 1) if known else range(0)


@cache
def _covers(year: int) -> bool:
    try:
        chinese_calendar.get_holiday_detail(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


CHINESE_HOLIDAYS = ChineseHolidays()
