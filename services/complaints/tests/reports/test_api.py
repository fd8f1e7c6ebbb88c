"""The monthly review over HTTP (R-32): JSON and CSV, for reviewers only."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from complaints.settings import complaints_settings
from servicekit.testing import bearer

pytestmark = pytest.mark.integration

HANDLER = bearer("alice", "complaint_handler", team="east")
SUPERVISOR = bearer("sue", "supervisor", team="east")


async def test_monthly_review_json_and_csv_r32(client, complaint) -> None:
    cid = (await client.post("/cases", json=complaint(), headers=HANDLER)).json()["id"]
    for action in ("acknowledge", "investigate", "mark-unfounded"):
        await client.post(f"/cases/{cid}/{action}", json={}, headers=HANDLER)
    # the review counts months in the company's time zone, not the machine's
    month = datetime.now(ZoneInfo(complaints_settings().calendar_time_zone)).strftime("%Y-%m")
    report = await client.get(f"/reports/monthly?month={month}", headers=SUPERVISOR)
    assert report.status_code == 200
    rows = report.json()["rows"]
    assert sum(r["unfounded"] for r in rows) >= 1
    assert all(0 <= r["timeliness"] <= 1 for r in rows)
    as_csv = await client.get(f"/reports/monthly?month={month}&format=csv", headers=SUPERVISOR)
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert (
        as_csv.text.splitlines()[0]
        == "department,owner,closed,resolved_within_sla,timeliness,reopened,unfounded,compensation_total"
    )
    assert (await client.get("/reports/monthly?month=2026-13", headers=SUPERVISOR)).json()["error"]["field"] == "month"
    assert (await client.get(f"/reports/monthly?month={month}", headers=HANDLER)).status_code == 403
