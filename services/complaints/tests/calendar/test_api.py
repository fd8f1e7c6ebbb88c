"""The company calendar through the complaints API on PostgreSQL (rule 7): administrators enter a year, bad files
change nothing, open deadlines in an unknown year are provisional until the year is entered, then recomputed."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from complaints.calendar import scheduled
from complaints.calendar.models import CalendarRecompute
from servicekit.testing import app_service, bearer, outbox_events

pytestmark = pytest.mark.integration

ADMIN = bearer("ada", "admin")
AGENT = bearer("alice", "complaint_handler", team="east")
SH = ZoneInfo("Asia/Shanghai")
YEAR_2027 = """date,kind,name
2027-01-01,holiday,元旦
2027-01-04,holiday,元旦补休
2027-02-06..2027-02-13,holiday,春节
2027-02-14,working_day,春节调休
"""


@pytest.fixture
async def clean_2027(client):
    yield
    app_service("complaints").clock.reset()
    await client.delete("/calendar/years/2027", headers=ADMIN)  # other tests run on the same database


async def test_everyone_reads_coverage_only_admins_change_it(client):
    overview = (await client.get("/calendar", headers=AGENT)).json()
    assert {c["name"] for c in overview["calendars"]} >= {"office", "hotline"}
    assert {"year": 2026, "source": "library"} in overview["coverage"]
    assert overview["covered_until"]["hotline"] is None
    refused = await client.put("/calendar/days/2027-06-01", json={"working": False, "name": "outing"}, headers=AGENT)
    assert refused.status_code == 403
    assert (await client.get("/calendar")).status_code == 401


@pytest.mark.parametrize(
    ("content", "field"),
    [
        ("date,kind,name\n2027-01-01,holiday,元旦\n2027-01-01,holiday,again\n", "line 3.date"),
        ("date,kind,name\n2027-01-01,holiday,元旦\nnot-a-date,holiday,x\n", "line 3: date"),
        ("date,kind,name\n2027-02-14,working_day,调休\n", "days"),
        ("year: 2027\ndays:\n  - {date: 2028-01-01, kind: holiday, name: x}\n", "days[0].date"),
    ],
)
async def test_a_bad_file_is_a_422_naming_line_and_field_and_changes_nothing(client, content, field):
    before = (await client.get("/calendar", headers=ADMIN)).json()["version"]
    response = await client.post("/calendar/imports", json={"content": content}, headers=ADMIN)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"] == field
    assert (await client.get("/calendar", headers=ADMIN)).json()["version"] == before


async def test_bad_requests_name_the_field(client):
    response = await client.put(
        "/calendar/years/2027", json={"days": [{"date": "2027-01-01", "working": False}]}, headers=ADMIN
    )
    assert response.status_code == 422 and response.json()["error"]["field"] == "days[0].name"
    response = await client.put(
        "/calendar/calendars/night", headers=ADMIN, json={"week": {"mon": [{"start": "18:00", "end": "09:00"}]}}
    )
    assert response.status_code == 422 and "before" in response.json()["error"]["message"]
    assert (await client.get("/calendar/years/2027?calendar=nope", headers=ADMIN)).status_code == 404
    assert (await client.delete("/calendar/days/2031-01-01", headers=ADMIN)).status_code == 404


async def test_provisional_deadline_is_recomputed_when_the_year_is_entered(client, complaint, clean_2027):
    service = app_service("complaints")
    service.clock.set(datetime(2026, 12, 31, 17, 30, tzinfo=SH))
    case = (await client.post("/cases", json=complaint(channel="email"), headers=AGENT)).json()
    report = {t["target"]: t for t in case["sla"]}["investigation_report"]
    # 3 working days from Dec 31 17:30 run into 2027, which no source covers: plain weekdays, marked provisional
    assert report["provisional"] is True
    assert datetime.fromisoformat(report["deadline"]) == datetime(2027, 1, 5, 17, 30, tzinfo=SH)
    assert (await client.get("/calendar/years/2027", headers=AGENT)).json()["source"] is None

    imported = await client.post("/calendar/imports", json={"content": YEAR_2027, "note": "example"}, headers=ADMIN)
    assert imported.status_code == 200, imported.text
    result = imported.json()
    assert result["year"] == 2027 and result["days"] == 11 and result["changed_years"] == [2027]
    await scheduled.recompute_due(service.db)  # what the recompute timer does within seconds

    case = (await client.get(f"/cases/{case['id']}", headers=AGENT)).json()
    report = {t["target"]: t for t in case["sla"]}["investigation_report"]
    assert report["provisional"] is False  # Jan 1 and Jan 4 off, as entered
    assert datetime.fromisoformat(report["deadline"]) == datetime(2027, 1, 7, 17, 30, tzinfo=SH)
    moved = await outbox_events(service, case["id"], "case.sla_deadlines_changed.v1")
    assert len(moved) == 1 and {t["target"] for t in moved[0]["data"]["targets"]} >= {"investigation_report"}
    changed = await outbox_events(service, "business-calendar", "calendar.changed.v1")
    assert changed[-1]["aggregate_version"] == result["version"] and changed[-1]["data"]["changed_years"] == [2027]

    overview = (await client.get("/calendar", headers=AGENT)).json()
    assert {"year": 2027, "source": "company"} in overview["coverage"]
    assert overview["covered_until"]["office"] == "2027-12-31"
    assert overview["recompute"]["state"] == "done" and overview["recompute"]["moved"] >= 1
    year = (await client.get("/calendar/years/2027", headers=AGENT)).json()
    assert year["source"] == "company" and {d["date"] for d in year["days"]} >= {"2027-01-01", "2027-02-14"}
    assert year["working_days"] == 261 - 7 + 1  # 2027 has 261 weekdays; seven of them off; one working Sunday
    days = (await client.get("/calendar/days?year=2027", headers=AGENT)).json()["days"]
    assert len(days) == 11


async def test_a_company_day_and_a_saturday_calendar(client, clean_2027):
    response = await client.put(
        "/calendar/days/2027-06-01", json={"working": False, "name": "company outing"}, headers=ADMIN
    )
    assert response.status_code == 200
    view = (await client.get("/calendar/years/2027", headers=ADMIN)).json()
    assert view["source"] is None  # one entry does not make a year known
    assert {
        "date": "2027-06-01",
        "weekday": "tue",
        "working": False,
        "name": "company outing",
        "source": "company",
    } in view["days"]
    assert (await client.delete("/calendar/days/2027-06-01", headers=ADMIN)).status_code == 200
    week = {d: [{"start": "09:00", "end": "18:00"}] for d in ("mon", "tue", "wed", "thu", "fri")}
    week["sat"] = [{"start": "09:00", "end": "12:00"}]
    response = await client.put("/calendar/calendars/saturday-desk", json={"week": week}, headers=ADMIN)
    assert response.status_code == 200 and response.json()["changed_calendars"] == ["saturday-desk"]
    view = (await client.get("/calendar/years/2026?calendar=saturday-desk", headers=ADMIN)).json()
    assert view["source"] == "library" and view["working_hours"] > 0


async def test_a_newer_change_supersedes_an_unfinished_recompute(complaints_schema):
    # no app running, so no recompute timer: both changes are made before any recompute
    from complaints.calendar import service
    from servicekit.auth import verify_token

    admin = verify_token(ADMIN["Authorization"].removeprefix("Bearer "))
    db = app_service("complaints").db
    for name in ("outing", "outing moved"):
        async with db.session() as session:
            await service.put_day(session, admin, date(2031, 6, 1), False, name)
    async with db.session() as session:
        jobs = (await session.execute(select(CalendarRecompute.version, CalendarRecompute.state))).all()
        await service.delete_day(session, admin, date(2031, 6, 1))
    states = dict(jobs)
    latest = max(states)
    assert states[latest] == "pending" and states[latest - 1] == "superseded"
    assert await scheduled.recompute_due(db) >= 0  # the newest job runs to its end, the superseded one never
