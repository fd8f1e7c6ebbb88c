"""The calendar book: changes make a new version, the event carries the whole book, copies rebuild the same."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from contracts import Envelope
from contracts.events.calendar import BusinessCalendarChangedV1, CalendarDay, CalendarDefinition, WorkingPeriod
from servicekit.calendar.book import CalendarBook, CalendarChangeError

NOW = datetime(2026, 11, 30, 10, tzinfo=UTC)
SH = ZoneInfo("Asia/Shanghai")
NEW_YEAR = [CalendarDay(date=date(2027, 1, 1), working=False, name="元旦")]


def test_defaults_are_office_and_hotline_at_version_zero():
    book = CalendarBook()
    assert book.version == 0 and book.names == ["hotline", "office"]
    assert book.coverage()[2026] == "library" and 2027 not in book.coverage()


def test_year_schedule_replaces_that_year_only_and_bumps_the_version():
    outing = CalendarDay(date=date(2027, 6, 1), working=False, name="company outing")
    kept = CalendarDay(date=date(2026, 12, 24), working=False, name="party")
    book = CalendarBook().with_day(outing).with_day(kept)
    assert book.version == 2
    book = book.with_year_schedule(2027, NEW_YEAR, entered_by="admin", entered_at=NOW)
    assert book.version == 3 and set(book.days) == {date(2026, 12, 24), date(2027, 1, 1)}
    assert book.coverage()[2027] == "company"
    assert book.without_year_schedule(2027).calendar().year_source(2027) is None


def test_event_round_trip_builds_the_same_calendars():
    book = CalendarBook().with_year_schedule(2027, NEW_YEAR, entered_by="admin", entered_at=NOW)
    event = book.to_event(changed_by="admin", changed_years=[2027])
    envelope = Envelope.wrap(
        event, producer="complaints", aggregate_id="business-calendar", aggregate_version=book.version
    )
    copy = CalendarBook.from_event(BusinessCalendarChangedV1.model_validate(envelope.data))
    start = datetime(2026, 12, 31, 17, 30, tzinfo=SH)
    assert copy.version == book.version == event.version
    assert copy.calendar().add_working_time(start, timedelta(hours=1)) == book.calendar().add_working_time(
        start, timedelta(hours=1)
    )
    assert copy.calendar().year_source(2027) == "company" and copy.company_years[2027].entered_by == "admin"


def test_a_new_calendar_and_bad_hours():
    saturday_desk = CalendarDefinition(
        name="saturday-desk",
        week={"mon": [WorkingPeriod(start="09:00", end="18:00")], "sat": [WorkingPeriod(start="09:00", end="12:00")]},
    )
    book = CalendarBook().with_calendar(saturday_desk)
    assert "saturday-desk" in book.names and book.calendar("saturday-desk").working_day_length == timedelta(hours=9)
    overlapping = CalendarDefinition(
        name="bad", week={"mon": [WorkingPeriod(start="09:00", end="13:00"), WorkingPeriod(start="12:00", end="18:00")]}
    )
    with pytest.raises(CalendarChangeError, match="overlaps"):
        book.with_calendar(overlapping)
    with pytest.raises(KeyError, match="unknown calendar"):
        book.calendar("nope")


def test_removing_what_is_not_there_is_refused():
    with pytest.raises(CalendarChangeError) as caught:
        CalendarBook().without_day(date(2027, 1, 1))
    assert caught.value.field == "date"
    with pytest.raises(CalendarChangeError, match="no company schedule"):
        CalendarBook().without_year_schedule(2030)
