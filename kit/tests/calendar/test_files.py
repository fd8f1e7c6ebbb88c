"""A year's schedule from CSV or YAML: all or nothing, errors name the line and the field."""

from datetime import UTC, date, datetime

import pytest

from servicekit.calendar.book import CalendarBook, CalendarChangeError
from servicekit.calendar.files import parse_schedule

CSV_2027 = """\ufeffdate,kind,name
# the company's 2027 schedule
2027-01-01,holiday,元旦
2027-02-06..2027-02-13,holiday,春节
2027-02-14,working_day,春节调休
2027-10-01..2027-10-07,休,国庆节
2027-10-09,班,国庆节调休
"""

YAML_2027 = """
year: 2027
days:
  - {date: 2027-01-01, kind: holiday, name: New Year's Day}
  - {from: 2027-02-06, to: 2027-02-13, kind: holiday, name: Spring Festival}
  - {date: 2027-02-14, kind: working_day, name: Spring Festival make-up day}
"""


def test_csv_with_ranges_and_chinese_kinds():
    schedule = parse_schedule(CSV_2027)
    assert schedule.year == 2027 and len(schedule.days) == 1 + 8 + 1 + 7 + 1
    days = {d.date: d for d in schedule.days}
    assert not days[date(2027, 2, 10)].working and days[date(2027, 2, 10)].name == "春节"
    assert days[date(2027, 10, 9)].working


def test_yaml():
    schedule = parse_schedule(YAML_2027)
    assert schedule.year == 2027 and len(schedule.days) == 10
    book = CalendarBook().with_year_schedule(
        schedule.year, schedule.days, entered_by="admin", entered_at=datetime(2026, 11, 30, tzinfo=UTC)
    )
    assert book.calendar().year_source(2027) == "company"


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        ("date,kind,name\n2027-01-01,holiday,元旦\n2027-01-01,holiday,again\n", "line 3.date", "twice"),
        ("date,kind,name\n2027-01-01,holiday,元旦\n2027-13-01,holiday,x\n", "line 3: date", "not a date"),
        ("date,kind,name\n2027-01-01,holiday,元旦\n2027-01-02,maybe,x\n", "line 3: kind", "holiday or working_day"),
        ("date,kind,name\n2027-01-01,holiday\n", "line 2", "expected 3 fields"),
        ("date,kind,name\n2027-01-01,holiday,元旦\n2028-01-01,holiday,元旦\n", "year", "which year"),
        ("date,kind\n2027-01-01,holiday\n", "line 1", "missing: name"),
        ("date,kind,name\n2027-02-14,working_day,调休\n", "days", "no holiday"),
        ("date,kind,name\n2027-01-01,holiday,\n", "line 2: name", "1 to 100"),
        (
            "year: 2027\ndays:\n  - {date: 2027-01-01, kind: holiday, name: x}\n"
            "  - {date: 2028-01-01, kind: holiday, name: y}\n",
            "days[1].date",
            "not in 2027",
        ),
        ("year: 2027\ndays:\n  - {date: 2027-01-01, kind: holiday, name: x\n", "line 4", "not valid YAML"),
    ],
)
def test_bad_files_name_the_line_and_field(text, field, message):
    with pytest.raises(CalendarChangeError) as caught:
        parse_schedule(text)
    assert caught.value.field == field and message in caught.value.message


def test_the_year_asked_for_must_match_the_file():
    with pytest.raises(CalendarChangeError, match="for 2027, not 2028"):
        parse_schedule(YAML_2027, year=2028)
    with pytest.raises(CalendarChangeError, match="not in 2028"):
        parse_schedule(CSV_2027, year=2028)
