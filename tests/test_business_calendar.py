"""One business calendar across services (rule 7), on PostgreSQL and RabbitMQ: a year entered through the complaints
API recomputes an open case's deadline there, and the engagement service's own copy follows through the event."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from servicekit.testing import app_service, bearer, eventually, service_client

pytestmark = pytest.mark.integration

ADMIN = bearer("ada", "admin")
AGENT = bearer("alice", "complaint_handler", team="east")
SH = ZoneInfo("Asia/Shanghai")
NEW_YEAR = "  - {date: 2027-01-01, kind: holiday, name: 元旦}\n  - {date: 2027-01-04, kind: holiday, name: 元旦}\n"
YEAR_2027 = "year: 2027\ndays:\n" + NEW_YEAR


async def test_a_year_entered_once_reaches_every_service_that_computes_working_time():
    complaints_service = app_service("complaints")
    async with (
        service_client("complaints", broker=True) as complaints,
        service_client("engagement", broker=True) as engagement,
    ):
        copy = (await engagement.get("/calendar", headers=AGENT)).json()
        assert copy["coverage"]["2026"] == "library" and "2027" not in copy["coverage"]

        complaints_service.clock.set(datetime(2026, 12, 31, 17, 30, tzinfo=SH))
        try:
            case = (
                await complaints.post(
                    "/cases",
                    headers=AGENT,
                    json={"kind": "complaint", "customer_id": "c-calendar-1", "channel": "email", "content": "迟到"},
                )
            ).json()
            assert {t["target"]: t for t in case["sla"]}["investigation_report"]["provisional"] is True

            imported = await complaints.post("/calendar/imports", json={"content": YEAR_2027}, headers=ADMIN)
            assert imported.status_code == 200, imported.text
            version = imported.json()["version"]

            async def recomputed() -> bool:  # by the service's own recompute timer
                detail = (await complaints.get(f"/cases/{case['id']}", headers=AGENT)).json()
                return not {t["target"]: t for t in detail["sla"]}["investigation_report"]["provisional"]

            assert await eventually(recomputed, timeout=20)
            detail = (await complaints.get(f"/cases/{case['id']}", headers=AGENT)).json()
            report = {t["target"]: t for t in detail["sla"]}["investigation_report"]
            assert datetime.fromisoformat(report["deadline"]) == datetime(2027, 1, 7, 17, 30, tzinfo=SH)

            async def copied() -> bool:  # relay -> crm.events -> engagement.calendar -> its table -> its holder
                body = (await engagement.get("/calendar", headers=AGENT)).json()
                return body["version"] == version and body["coverage"].get("2027") == "company"

            assert await eventually(copied, timeout=20)
            holder = app_service("engagement").app.state.calendar
            start = datetime(2026, 12, 31, 17, 30, tzinfo=SH)
            assert holder.calendar("office").add_working_days(start, 3) == datetime(2027, 1, 7, 17, 30, tzinfo=SH)
        finally:
            complaints_service.clock.reset()
            await complaints.delete("/calendar/years/2027", headers=ADMIN)
