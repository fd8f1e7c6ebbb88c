"""A year's schedule from a small file: CSV or YAML. Pure; errors name the line and the field.

CSV (UTF-8, a header line, `#` comments allowed)::

    date,kind,name
    2027-01-01,holiday,元旦
    2027-02-06..2027-02-13,holiday,春节
    2027-02-14,working_day,春节调休

YAML::

    year: 2027
    days:
      - {date: 2027-01-01, kind: holiday, name: 元旦}
      - {from: 2027-02-06, to: 2027-02-13, kind: holiday, name: 春节}
      - {date: 2027-02-14, kind: working_day, name: 春节调休}

`kind` is `holiday` (also 休, off) or `working_day` (also 班, working). A range gives every date in it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import yaml

from contracts.events.calendar import CalendarDay
from servicekit.calendar.book import CalendarChangeError, check_year_schedule

_KINDS = {"holiday": False, "休": False, "off": False, "working_day": True, "班": True, "working": True}
_MAX_RANGE_DAYS = 62


@dataclass(frozen=True)
class YearSchedule:
    year: int
    days: list[CalendarDay]


def parse_schedule(text: str, *, year: int | None = None, fmt: str | None = None) -> YearSchedule:
    """Parse a schedule file; `year` may come from the file (YAML) or the caller, and they must agree."""
    text = text.lstrip("\ufeff")
    fmt = fmt or ("yaml" if _looks_like_yaml(text) else "csv")
    if fmt == "yaml":
        return _parse_yaml(text, year)
    if fmt == "csv":
        return _parse_csv(text, year)
    raise CalendarChangeError("format", f"unknown format {fmt!r}; use csv or yaml")


def _looks_like_yaml(text: str) -> bool:
    first = next((line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")), "")
    return first.rstrip().endswith(":") or first.startswith(("year:", "days:", "---"))


def _date(value: object, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise CalendarChangeError(where, f"{value!r} is not a date like 2027-01-01") from None


def _span(first: date, last: date, where: str) -> list[date]:
    if last < first:
        raise CalendarChangeError(where, f"range ends {last.isoformat()} before it starts {first.isoformat()}")
    if (last - first).days >= _MAX_RANGE_DAYS:
        raise CalendarChangeError(where, f"range longer than {_MAX_RANGE_DAYS} days")
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _kind(value: object, where: str) -> bool:
    kind = str(value or "").strip().lower()
    if kind not in _KINDS:
        raise CalendarChangeError(where, f"{value!r} is not holiday or working_day")
    return _KINDS[kind]


def _name(value: object, where: str) -> str:
    name = str(value or "").strip()
    if not name or len(name) > 100:
        raise CalendarChangeError(where, "give a name of 1 to 100 characters")
    return name


def _finish(year: int | None, entries: list[tuple[str, CalendarDay]], file_year: int | None = None) -> YearSchedule:
    if year is not None and file_year is not None and year != file_year:
        raise CalendarChangeError("year", f"the file is for {file_year}, not {year}")
    year = year or file_year
    if year is None:
        years = sorted({e.date.year for _, e in entries})
        if len(years) != 1:
            raise CalendarChangeError("year", "say which year the schedule is for")
        year = years[0]
    check_year_schedule(year, [e for _, e in entries], [w for w, _ in entries])
    return YearSchedule(year, [e for _, e in entries])


def _parse_csv(text: str, year: int | None) -> YearSchedule:
    lines = [
        (n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip() and not line.lstrip().startswith("#")
    ]
    if not lines:
        raise CalendarChangeError("file", "the file is empty")
    header_no, header = lines[0]
    columns = [c.strip().lower() for c in next(csv.reader([header]))]
    missing = [c for c in ("date", "kind", "name") if c not in columns]
    if missing:
        raise CalendarChangeError(
            f"line {header_no}", f"the header must name date, kind and name (missing: {', '.join(missing)})"
        )
    entries: list[tuple[str, CalendarDay]] = []
    for number, line in lines[1:]:
        row = next(csv.reader(io.StringIO(line)))
        if len(row) != len(columns):
            raise CalendarChangeError(f"line {number}", f"expected {len(columns)} fields, found {len(row)}")
        values = dict(zip(columns, (v.strip() for v in row), strict=True))
        where = f"line {number}"
        raw = values["date"]
        if ".." in raw:
            first, last = raw.split("..", 1)
            dates = _span(_date(first, f"{where}: date"), _date(last, f"{where}: date"), f"{where}: date")
        else:
            dates = [_date(raw, f"{where}: date")]
        working, name = _kind(values["kind"], f"{where}: kind"), _name(values["name"], f"{where}: name")
        entries.extend((where, CalendarDay(date=d, working=working, name=name)) for d in dates)
    return _finish(year, entries)


def _parse_yaml(text: str, year: int | None) -> YearSchedule:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "file"
        raise CalendarChangeError(where, f"not valid YAML ({getattr(exc, 'problem', None) or exc})") from None
    if not isinstance(document, dict) or not isinstance(document.get("days"), list):
        raise CalendarChangeError("days", "the file needs a `days:` list (and `year:`)")
    file_year = document.get("year")
    if file_year is not None and not isinstance(file_year, int):
        raise CalendarChangeError("year", f"{file_year!r} is not a year")
    entries: list[tuple[str, CalendarDay]] = []
    for i, item in enumerate(document["days"]):
        where = f"days[{i}]"
        if not isinstance(item, dict):
            raise CalendarChangeError(where, "each day is a mapping with date (or from/to), kind and name")
        item_map: dict[str, Any] = item
        if "date" in item_map:
            dates = [_date(item_map["date"], f"{where}.date")]
        elif "from" in item_map and "to" in item_map:
            dates = _span(_date(item_map["from"], f"{where}.from"), _date(item_map["to"], f"{where}.to"), f"{where}.to")
        else:
            raise CalendarChangeError(f"{where}.date", "give date, or from and to")
        working, name = _kind(item_map.get("kind"), f"{where}.kind"), _name(item_map.get("name"), f"{where}.name")
        entries.extend((where, CalendarDay(date=d, working=working, name=name)) for d in dates)
    return _finish(year, entries, file_year)
