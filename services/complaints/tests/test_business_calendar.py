"""Business calendar (architecture rule 7): working hours, holidays and 调休 from chinesecalendar.

Holiday facts used below are chinesecalendar 1.11's data for 2026: Spring Festival off Feb 15-23
with Saturday Feb 14 and Saturday Feb 28 working; National Day off Oct 1-7 with Sunday Sep 20 and
Saturday Oct 10 working. 2026-03-06 is an ordinary Friday.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from complaints.business_calendar import BusinessCalendar

SH = ZoneInfo("Asia/Shanghai")
H = timedelta(hours=1)


def sh(m: int, d: int, h: int = 0, mi: int = 0, y: int = 2026) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=SH)


@pytest.fixture(scope="module")
def cal() -> BusinessCalendar:
    return BusinessCalendar()


def test_defaults(cal):
    assert cal.tz == "Asia/Shanghai"
    assert cal.periods == ((time(9), time(12)), (time(13), time(18)))
    assert cal.working_day_length == 8 * H


def test_three_working_days_from_friday_evening_cross_the_weekend(cal):
    # Fri 17:30 + 3 working days -> same wall time on Wednesday, Sat/Sun skipped
    assert cal.add_working_days(sh(3, 6, 17, 30), 3) == sh(3, 11, 17, 30)
    assert cal.add_working_time(sh(3, 6, 17, 30), 24 * H) == sh(3, 11, 17, 30)


def test_start_outside_hours_counts_from_next_opening(cal):
    # Fri 20:00: counting starts Mon 09:00, three full days end at Wednesday's close
    assert cal.add_working_days(sh(3, 6, 20), 3) == sh(3, 11, 18)
    assert cal.add_working_time(sh(3, 7, 11), 2 * H) == sh(3, 9, 11)  # Saturday start
    assert cal.add_working_time(sh(3, 9, 12, 30), 30 * timedelta(minutes=1)) == sh(3, 9, 13, 30)  # lunch


def test_nights_and_lunch_are_skipped(cal):
    assert cal.add_working_time(sh(3, 10, 17), 2 * H) == sh(3, 11, 10)
    assert cal.add_working_time(sh(3, 10, 11), 2 * H) == sh(3, 10, 14)


def test_deadline_that_uses_up_a_period_ends_at_its_close(cal):
    assert cal.add_working_time(sh(3, 6, 17), H) == sh(3, 6, 18)


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


def test_working_time_between(cal):
    assert cal.working_time_between(sh(3, 6, 17, 30), sh(3, 9, 10)) == 1.5 * H
    assert cal.working_time_between(sh(3, 9, 9), sh(3, 9, 18)) == 8 * H
    assert cal.working_time_between(sh(3, 9, 18), sh(3, 9, 9)) == timedelta(0)
    start = sh(3, 6, 17, 30)
    assert cal.working_time_between(start, cal.add_working_time(start, 37 * H)) == 37 * H


def test_national_day_golden_week_is_skipped(cal):
    assert not any(cal.is_working_day(date(2026, 10, d)) for d in range(1, 8))
    # Wed Sep 30 17:00 + 1 working day: 1 h on Sep 30, then Thursday Oct 8 from 09:00
    assert cal.add_working_days(sh(9, 30, 17), 1) == sh(10, 8, 17)


def test_spring_festival_is_skipped(cal):
    assert not any(cal.is_working_day(date(2026, 2, d)) for d in range(15, 24))
    assert cal.add_working_time(sh(2, 14, 17), 2 * H) == sh(2, 24, 10)


def test_adjusted_working_saturday_counts(cal):
    # 调休: Saturday Oct 10 and Saturday Feb 14 2026 are working days, Sunday Sep 20 too
    assert date(2026, 10, 10).weekday() == 5 and cal.is_working_day(date(2026, 10, 10))
    assert cal.is_working_day(date(2026, 2, 14)) and cal.is_working_day(date(2026, 9, 20))
    assert cal.add_working_time(sh(10, 9, 17), 2 * H) == sh(10, 10, 10)
    assert cal.add_working_time(sh(2, 13, 17), 2 * H) == sh(2, 14, 10)


def test_is_working_day_accepts_aware_datetime_in_calendar_zone(cal):
    # 2026-03-06 20:00 UTC is Saturday 04:00 in Shanghai
    assert not cal.is_working_day(datetime(2026, 3, 6, 20, tzinfo=UTC))


def test_without_chinese_holidays_uses_weekdays():
    plain = BusinessCalendar(use_chinese_holidays=False)
    assert plain.is_working_day(date(2026, 10, 1))
    assert not plain.is_working_day(date(2026, 10, 10))


def test_years_outside_the_library_fall_back_to_weekdays(cal):
    # chinesecalendar 1.11 raises NotImplementedError beyond 2026: plain Mon-Fri
    assert cal.is_working_day(date(2030, 10, 1))  # a Tuesday
    assert not cal.is_working_day(date(2030, 10, 5))  # a Saturday


def test_company_extra_holiday_and_working_day_override_the_library():
    company = BusinessCalendar(extra_holidays={date(2026, 3, 9)}, extra_working_days={"2026-10-02"})
    assert not company.is_working_day(date(2026, 3, 9))
    assert company.add_working_time(sh(3, 6, 17), 2 * H) == sh(3, 10, 10)
    assert company.is_working_day(date(2026, 10, 2))  # library says National Day, company works
    assert company.add_working_time(sh(9, 30, 17), 2 * H) == sh(10, 2, 10)


def test_configurable_hours_weekdays_and_zone():
    cal = BusinessCalendar(tz="Europe/Berlin", periods=[("08:00", "16:00")], weekdays={0, 1, 2, 3, 4, 5},
                           use_chinese_holidays=False)
    berlin = ZoneInfo("Europe/Berlin")
    assert cal.working_day_length == 8 * H
    assert cal.add_working_time(datetime(2026, 3, 6, 15, tzinfo=berlin), 2 * H) == datetime(2026, 3, 7, 9, tzinfo=berlin)


def test_naive_datetimes_are_rejected(cal):
    naive = datetime(2026, 3, 9, 10)
    with pytest.raises(ValueError, match="timezone-aware"):
        cal.add_working_time(naive, H)
    with pytest.raises(ValueError, match="timezone-aware"):
        cal.next_opening(naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        cal.working_time_between(naive, sh(3, 9, 12))
    with pytest.raises(ValueError, match="timezone-aware"):
        cal.is_working_day(naive)


def test_bad_config_is_rejected():
    with pytest.raises(ValueError, match="overlaps"):
        BusinessCalendar(periods=[("09:00", "13:00"), ("12:00", "18:00")])
    with pytest.raises(ValueError, match="before"):
        BusinessCalendar(periods=[("18:00", "09:00")])
    with pytest.raises(ValueError, match="overlap"):
        BusinessCalendar(extra_holidays={date(2026, 1, 5)}, extra_working_days={date(2026, 1, 5)})
    with pytest.raises(ValueError, match="negative"):
        BusinessCalendar().add_working_time(sh(3, 9, 10), -H)
    with pytest.raises(ValueError, match="no working time"):
        BusinessCalendar(weekdays=set(), use_chinese_holidays=False).next_opening(sh(3, 9, 10))


def test_adding_six_days_steps_by_days_not_minutes(monkeypatch):
    cal = BusinessCalendar()
    calls = []
    original = BusinessCalendar.working_periods
    monkeypatch.setattr(BusinessCalendar, "working_periods", lambda self, d: calls.append(d) or original(self, d))
    assert cal.add_working_days(sh(3, 6, 17, 30), 6) == sh(3, 16, 17, 30)
    assert len(calls) <= 12  # one look-up per calendar day crossed
    assert len(cal._cache) == len(set(calls))  # cached per date
