"""The pure business calendar: working hours, holidays, adjusted working days, unknown years (rule 7).

Holiday facts below are chinesecalendar 1.11's data for 2026: Spring Festival off Feb 15-23 with Saturday Feb 14
and Saturday Feb 28 working; National Day off Oct 1-7 with Sunday Sep 20 and Saturday Oct 10 working.
2026-03-06 is an ordinary Friday. The library knows nothing after 2026.
"""

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from contracts.events.calendar import CalendarDay
from servicekit.calendar.book import CalendarBook
from servicekit.calendar.library import CHINESE_HOLIDAYS
from servicekit.calendar.rules import OFFICE_HOURS, BusinessCalendar, DayEntry, WorkingWeek

SH = ZoneInfo("Asia/Shanghai")
H = timedelta(hours=1)
MIN = timedelta(minutes=1)


def sh(m: int, d: int, h: int = 0, mi: int = 0, y: int = 2026) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=SH)


@pytest.fixture(scope="module")
def cal() -> BusinessCalendar:
    return CalendarBook().calendar("office")


def test_defaults(cal):
    assert cal.tz == "Asia/Shanghai" and cal.name == "office"
    assert cal.week.days[:5] == (OFFICE_HOURS,) * 5 and cal.week.days[5:] == ((), ())
    assert cal.working_day_length == 8 * H


def test_three_working_days_from_friday_evening_cross_the_weekend(cal):
    assert cal.add_working_days(sh(3, 6, 17, 30), 3) == sh(3, 11, 17, 30)
    assert cal.add_working_time(sh(3, 6, 17, 30), 24 * H) == sh(3, 11, 17, 30)


def test_start_outside_hours_counts_from_next_opening(cal):
    assert cal.add_working_days(sh(3, 6, 20), 3) == sh(3, 11, 18)
    assert cal.add_working_time(sh(3, 7, 11), 2 * H) == sh(3, 9, 11)  # Saturday start
    assert cal.add_working_time(sh(3, 9, 12, 30), 30 * MIN) == sh(3, 9, 13, 30)  # lunch


def test_nights_and_lunch_are_skipped(cal):
    assert cal.add_working_time(sh(3, 10, 17), 2 * H) == sh(3, 11, 10)
    assert cal.add_working_time(sh(3, 10, 11), 2 * H) == sh(3, 10, 14)


def test_deadline_that_uses_up_a_period_ends_at_its_close(cal):
    assert cal.add_working_time(sh(3, 6, 17), H) == sh(3, 6, 18)
    assert cal.add_working_time(sh(3, 6, 9), 3 * H) == sh(3, 6, 12)


def test_zero_duration_is_next_opening(cal):
    assert cal.add_working_time(sh(3, 6, 19), timedelta(0)) == sh(3, 9, 9)


def test_results_are_utc(cal):
    result = cal.add_working_time(sh(3, 6, 17, 30), H)
    assert result.tzinfo is UTC and result == datetime(2026, 3, 9, 1, 30, tzinfo=UTC)
    assert cal.next_opening(sh(3, 7, 10)).tzinfo is UTC


def test_next_opening(cal):
    assert cal.next_opening(sh(3, 9, 10, 15)) == sh(3, 9, 10, 15)  # inside: itself
    assert cal.next_opening(sh(3, 9, 12)) == sh(3, 9, 13)  # periods are [start, end)
    assert cal.next_opening(sh(3, 7, 10)) == sh(3, 9, 9)  # Saturday -> Monday
    assert cal.next_opening(datetime(2026, 3, 9, 0, 30, tzinfo=UTC)) == sh(3, 9, 9)  # 08:30 local
    assert cal.next_opening(sh(12, 31, 19)) == sh(1, 1, 9, y=2027)  # across the year, into unknown 2027's plain Friday


def test_working_time_between(cal):
    assert cal.working_time_between(sh(3, 6, 17, 30), sh(3, 9, 10)) == 1.5 * H
    assert cal.working_time_between(sh(3, 9, 9), sh(3, 9, 18)) == 8 * H
    assert cal.working_time_between(sh(3, 9, 18), sh(3, 9, 9)) == timedelta(0)
    start = sh(3, 6, 17, 30)
    assert cal.working_time_between(start, cal.add_working_time(start, 37 * H)) == 37 * H
    assert (
        cal.working_time_between(sh(12, 31, 17), sh(1, 4, 10, y=2027)) == 10 * H
    )  # across the year (Jan 1 a plain Friday)


def test_national_day_golden_week_is_skipped(cal):
    assert not any(cal.is_working_day(date(2026, 10, d)) for d in range(1, 8))
    assert cal.add_working_days(sh(9, 30, 17), 1) == sh(10, 8, 17)
    # the check: 2026-09-30 17:30 + 1 working hour -> 2026-10-08 09:30
    assert cal.add_working_time(sh(9, 30, 17, 30), H) == sh(10, 8, 9, 30)


def test_spring_festival_is_skipped(cal):
    assert not any(cal.is_working_day(date(2026, 2, d)) for d in range(15, 24))
    assert cal.add_working_time(sh(2, 14, 17), 2 * H) == sh(2, 24, 10)


def test_adjusted_working_saturday_counts(cal):
    assert date(2026, 10, 10).weekday() == 5 and cal.is_working_day(date(2026, 10, 10))
    assert cal.is_working_day(date(2026, 2, 14)) and cal.is_working_day(date(2026, 9, 20))
    assert cal.add_working_time(sh(10, 9, 17), 2 * H) == sh(10, 10, 10)
    assert cal.add_working_time(sh(2, 13, 17), 2 * H) == sh(2, 14, 10)
    # the check: Friday 2026-10-09 17:30 + 1 working hour -> Saturday 2026-10-10 09:30
    assert cal.add_working_time(sh(10, 9, 17, 30), H) == sh(10, 10, 9, 30)
    assert cal.day(date(2026, 10, 10)).source == "library" and cal.day(date(2026, 10, 10)).name


def test_is_working_day_accepts_aware_datetime_in_calendar_zone(cal):
    assert not cal.is_working_day(datetime(2026, 3, 6, 20, tzinfo=UTC))  # Saturday 04:00 in Shanghai


def test_without_a_holiday_library_uses_weekdays():
    plain = BusinessCalendar()
    assert plain.is_working_day(date(2026, 10, 1))
    assert not plain.is_working_day(date(2026, 10, 10))
    assert plain.year_source(2026) is None  # and it knows that it does not know


def test_a_year_no_source_covers_is_unknown_and_deadlines_in_it_are_provisional(cal):
    assert cal.year_source(2026) == "library" and cal.year_source(2027) is None
    assert cal.is_working_day(date(2030, 10, 1))  # a Tuesday: plain weekdays, the only guess possible
    assert not cal.is_working_day(date(2030, 10, 5))
    # 2026-12-31 17:30 + 1 working hour runs into 2027: computed on weekdays (Jan 1 is a Friday) but provisional
    due = cal.add_working_time(sh(12, 31, 17, 30), H)
    assert due == sh(1, 1, 9, 30, y=2027)
    assert cal.is_provisional(sh(12, 31, 17, 30), due)
    assert not cal.is_provisional(sh(12, 1, 9), cal.add_working_time(sh(12, 1, 9), 8 * H))
    assert cal.unknown_years(sh(12, 31, 17, 30), sh(2, 1, 9, y=2028)) == [2027, 2028]
    assert cal.covered_until(date(2026, 11, 30)) == date(2026, 12, 31)
    assert cal.covered_until(date(2027, 3, 1)) == date(2026, 12, 31)  # already past: the alert is firing


SCHEDULE_2027 = [  # an example year schedule, as an administrator would enter it
    CalendarDay(date=date(2027, 1, 1), working=False, name="元旦"),
    *(CalendarDay(date=date(2027, 2, d), working=False, name="春节") for d in range(6, 14)),
    CalendarDay(date=date(2027, 2, 14), working=True, name="春节调休"),
    CalendarDay(date=date(2027, 2, 20), working=True, name="春节调休"),
]


def test_entering_the_year_removes_the_guess_and_moves_the_deadline():
    book = CalendarBook()
    entered = book.with_year_schedule(2027, SCHEDULE_2027, entered_by="admin", entered_at=sh(11, 30, 10))
    before, after = book.calendar("office"), entered.calendar("office")
    assert entered.version == book.version + 1 and after.year_source(2027) == "company"
    due = after.add_working_time(sh(12, 31, 17, 30), H)
    assert due == sh(1, 4, 9, 30, y=2027)  # after New Year's Day, as entered
    assert not after.is_provisional(sh(12, 31, 17, 30), due)
    # Friday Feb 5 17:00 + 2 working hours: Spring Festival (Feb 6-13) off, Sunday Feb 14 an adjusted working day
    assert after.add_working_time(sh(2, 5, 17, y=2027), 2 * H) == sh(2, 14, 10, y=2027)
    assert before.add_working_time(sh(2, 5, 17, y=2027), 2 * H) == sh(2, 8, 10, y=2027)  # the old guess
    assert after.covered_until(date(2026, 11, 30)) == date(2027, 12, 31)
    assert after.day(date(2027, 2, 8)).name == "春节" and after.day(date(2027, 3, 1)).source == "company"


def test_company_entries_override_the_library():
    company = BusinessCalendar(
        library=CHINESE_HOLIDAYS,
        entries=[DayEntry(date(2026, 3, 9), False, "company outing"), DayEntry(date(2026, 10, 2), True, "stocktake")],
    )
    assert not company.is_working_day(date(2026, 3, 9))
    assert company.add_working_time(sh(3, 6, 17), 2 * H) == sh(3, 10, 10)
    assert company.is_working_day(date(2026, 10, 2))  # library says National Day, company works
    assert company.add_working_time(sh(9, 30, 17), 2 * H) == sh(10, 2, 10)
    assert company.day(date(2026, 3, 9)).name == "company outing"


def test_hotline_runs_seven_by_twenty_four_and_ignores_holidays():
    hotline = CalendarBook().calendar("hotline")
    assert hotline.add_working_time(sh(10, 1, 23), 2 * H) == sh(10, 2, 1)  # National Day, at night
    assert hotline.working_time_between(sh(2, 14), sh(2, 24)) == 240 * H
    assert hotline.working_day_length == 24 * H
    assert not hotline.is_provisional(sh(1, 1, y=2030), sh(1, 1, y=2031))
    assert hotline.covered_until(date(2026, 11, 30)) is None


def test_working_periods_may_differ_by_weekday():
    week = WorkingWeek.of(by_weekday={"sat": [("09:00", "12:00")]}, weekdays=range(5))
    half_saturday = BusinessCalendar(week)
    assert half_saturday.add_working_time(sh(3, 6, 17), 2 * H) == sh(3, 7, 10)  # Friday -> Saturday morning
    assert half_saturday.add_working_time(sh(3, 7, 11), 2 * H) == sh(3, 9, 10)  # Saturday closes at noon
    assert half_saturday.working_day_length == 8 * H


def test_configurable_hours_weekdays_and_zone():
    cal = BusinessCalendar(WorkingWeek.of([("08:00", "16:00")], {0, 1, 2, 3, 4, 5}, tz="Europe/Berlin"))
    berlin = ZoneInfo("Europe/Berlin")
    assert cal.working_day_length == 8 * H
    assert cal.add_working_time(datetime(2026, 3, 6, 15, tzinfo=berlin), 2 * H) == datetime(
        2026, 3, 7, 9, tzinfo=berlin
    )
    # the night the clocks go forward (2026-03-29) still gives whole working days
    assert cal.add_working_days(datetime(2026, 3, 27, 16, tzinfo=berlin), 1) == datetime(2026, 3, 28, 16, tzinfo=berlin)


def test_naive_datetimes_are_rejected(cal):
    naive = datetime(2026, 3, 9, 10)
    for call in (
        lambda: cal.add_working_time(naive, H),
        lambda: cal.next_opening(naive),
        lambda: cal.working_time_between(naive, sh(3, 9, 12)),
        lambda: cal.is_working_day(naive),
    ):
        with pytest.raises(ValueError, match="timezone-aware"):
            call()


def test_bad_config_is_rejected():
    with pytest.raises(ValueError, match="overlaps"):
        WorkingWeek.of([("09:00", "13:00"), ("12:00", "18:00")])
    with pytest.raises(ValueError, match="before"):
        WorkingWeek.of([("18:00", "09:00")])
    with pytest.raises(ValueError, match="time of day"):
        WorkingWeek.of([("9h", "18:00")])
    with pytest.raises(ValueError, match="negative"):
        BusinessCalendar().add_working_time(sh(3, 9, 10), -H)
    with pytest.raises(ValueError, match="no working time"):
        BusinessCalendar(WorkingWeek.of(weekdays=set())).next_opening(sh(3, 9, 10))
    with pytest.raises(ValueError, match="no working time"):
        BusinessCalendar(WorkingWeek.of(weekdays=set())).add_working_time(sh(3, 9, 10), H)


def _walk_reference(cal: BusinessCalendar, start: datetime, duration: timedelta) -> datetime:
    """The period-walking algorithm the index replaced, as the reference for equal results."""
    day, remaining = cal.local_date(start), duration
    while True:
        for s, e in cal.working_periods(day):
            if e > start:
                s = max(s, start)
                if remaining <= e - s:
                    return s + remaining
                remaining -= e - s
        day += timedelta(days=1)


def test_the_index_gives_the_period_walk_results_exactly(cal):
    rng = random.Random(20261130)
    for _ in range(2000):
        start = sh(1, 1) + timedelta(minutes=rng.randrange(0, 366 * 24 * 60), seconds=rng.choice((0, 0, 17)))
        duration = rng.choice((H, 8 * H, 48 * H, 240 * H, timedelta(minutes=rng.randrange(1, 20000))))
        due = cal.add_working_time(start, duration)
        assert due == _walk_reference(cal, start, duration), (start, duration)
        assert cal.working_time_between(start, due) == duration


def test_each_year_is_indexed_once(cal):
    fresh = CalendarBook().calendar("office")
    fresh.add_working_days(sh(3, 6, 17, 30), 30)
    fresh.add_working_time(sh(5, 6, 10), H)
    assert sorted(fresh._years) == [2026]
