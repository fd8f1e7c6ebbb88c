"""`crm calendar`: administrators keep the business calendar current through the complaints service's API.

crm calendar import FILE [--year 2027]   a year's official schedule (CSV or YAML) as one change
crm calendar years                        which years are covered, and by which source
crm calendar show 2027 [--calendar office] [--all]   a year as the calendar sees it
crm calendar entries [--year 2027]        the company's own entries
crm calendar set-day 2027-06-01 --holiday --name "company outing"  /  remove-day 2027-06-01
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from crm_cli.http import client_options, refused, service_client

SERVICE = "complaints"  # owns the company calendar; every other service keeps a copy from its events


def add_commands(commands: Any) -> None:
    common = client_options(default_role="admin")
    calendar = commands.add_parser("calendar", help="the business calendar: import a year, show coverage and days")
    sub = calendar.add_subparsers(dest="calendar_command", required=True)

    imp = sub.add_parser("import", parents=[common], help="import a year's schedule from a CSV or YAML file")
    imp.add_argument("file", type=Path)
    imp.add_argument("--year", type=int, default=None, help="the year (default: from the file)")
    imp.add_argument("--format", choices=("csv", "yaml"), default=None, help="default: from the file name")
    imp.add_argument("--note", default="", help="e.g. the notice it comes from")
    imp.set_defaults(func=cmd_import)

    years = sub.add_parser("years", parents=[common], help="years covered and by which source")
    years.set_defaults(func=cmd_years)

    show = sub.add_parser("show", parents=[common], help="a year as a calendar sees it")
    show.add_argument("year", type=int)
    show.add_argument("--calendar", default="office")
    show.add_argument("--all", action="store_true", help="every day, not only holidays and adjusted working days")
    show.set_defaults(func=cmd_show)

    entries = sub.add_parser("entries", parents=[common], help="the company's own day entries")
    entries.add_argument("--year", type=int, default=None)
    entries.set_defaults(func=cmd_entries)

    set_day = sub.add_parser("set-day", parents=[common], help="one company entry: a holiday or a working day")
    set_day.add_argument("date", type=date.fromisoformat)
    kind = set_day.add_mutually_exclusive_group(required=True)
    kind.add_argument("--holiday", dest="working", action="store_false")
    kind.add_argument("--working", dest="working", action="store_true")
    set_day.add_argument("--name", required=True)
    set_day.set_defaults(func=cmd_set_day)

    remove_day = sub.add_parser("remove-day", parents=[common], help="remove one company entry")
    remove_day.add_argument("date", type=date.fromisoformat)
    remove_day.set_defaults(func=cmd_remove_day)


def _changed(result: dict[str, Any]) -> str:
    years = ", ".join(str(y) for y in result.get("changed_years", [])) or "none"
    return f"calendar version {result['version']}; years changed: {years}; open deadlines are being recomputed"


def cmd_import(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        print(f"crm: no such file {args.file}", file=sys.stderr)
        return 2
    fmt = args.format or ("yaml" if args.file.suffix.lower() in (".yaml", ".yml") else "csv")
    body = {"content": args.file.read_text(encoding="utf-8-sig"), "format": fmt, "year": args.year, "note": args.note}
    with service_client(args, SERVICE) as client:
        response = client.post("/calendar/imports", json=body)
    if response.status_code != 200:
        return refused(response, SERVICE)
    result = response.json()
    print(f"imported {result['days']} day(s) for {result['year']}: {_changed(result)}")
    return 0


def cmd_years(args: argparse.Namespace) -> int:
    with service_client(args, SERVICE) as client:
        response = client.get("/calendar")
    if response.status_code != 200:
        return refused(response, SERVICE)
    overview = response.json()
    print(f"calendar version {overview['version']}; calendars: {', '.join(c['name'] for c in overview['calendars'])}")
    for row in overview["coverage"]:
        print(f"  {row['year']}  {row['source']}")
    for name, until in overview["covered_until"].items():
        print(f"{name}: known until {until or 'always (ignores holidays)'}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    with service_client(args, SERVICE) as client:
        response = client.get(
            f"/calendar/years/{args.year}", params={"calendar": args.calendar, "all": str(args.all).lower()}
        )
    if response.status_code != 200:
        return refused(response, SERVICE)
    view = response.json()
    print(
        f"{view['year']} on the {view['calendar']} calendar: "
        f"source {view['source'] or 'UNKNOWN (deadlines provisional)'}; "
        f"{view['working_days']} working days, {view['working_hours']:g} working hours"
    )
    for day in view["days"]:
        kind = "working" if day["working"] else "off"
        print(f"  {day['date']} {day['weekday']}  {kind:<8} {day['name'] or ''}  ({day['source'] or 'guess'})")
    return 0


def cmd_entries(args: argparse.Namespace) -> int:
    with service_client(args, SERVICE) as client:
        response = client.get("/calendar/days", params={"year": args.year} if args.year else None)
    if response.status_code != 200:
        return refused(response, SERVICE)
    for day in response.json()["days"]:
        print(f"{day['date']}  {'working' if day['working'] else 'holiday':<8} {day['name']}")
    return 0


def cmd_set_day(args: argparse.Namespace) -> int:
    with service_client(args, SERVICE) as client:
        response = client.put(
            f"/calendar/days/{args.date.isoformat()}", json={"working": args.working, "name": args.name}
        )
    if response.status_code != 200:
        return refused(response, SERVICE)
    print(_changed(response.json()))
    return 0


def cmd_remove_day(args: argparse.Namespace) -> int:
    with service_client(args, SERVICE) as client:
        response = client.delete(f"/calendar/days/{args.date.isoformat()}")
    if response.status_code != 200:
        return refused(response, SERVICE)
    print(_changed(response.json()))
    return 0
