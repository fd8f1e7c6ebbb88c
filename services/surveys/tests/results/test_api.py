"""Results over HTTP: the month's CSAT and response rate, and the staff scorecard each principal may see, as JSON
and CSV (R-34, R-51). Figures only: no customer, contact or comment appears."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime

import pytest
from survey_helpers import close_case, invitation_of_case, link_of

from servicekit.testing import bearer

pytestmark = [pytest.mark.integration]


def form(level: str) -> dict[str, str]:
    return {"attitude": level, "skill": level, "response_time": level, "promises": level, "comment": "张三 138"}


async def test_scorecards_show_staff_their_own_and_managers_their_team(client, clock):
    year = random.randint(2100, 9000)  # a month no other test writes to
    clock.set(datetime(year, 5, 10, 4, 0, tzinfo=UTC))
    team, other = f"t-{uuid.uuid4().hex[:6]}", f"t-{uuid.uuid4().hex[:6]}"
    for staff, staff_team, level in (
        ("ann", team, "very_satisfied"),
        ("ann", team, "poor"),
        ("bob", other, "satisfied"),
    ):
        invitation = await invitation_of_case(
            await close_case(str(uuid.uuid4()), clock(), owner=staff, team=staff_team)
        )
        assert (await client.post(await link_of(invitation.id), data=form(level))).status_code == 200
    await close_case(str(uuid.uuid4()), clock(), owner="ann", team=team)  # invited, never answered
    month = f"{year}-05"

    own = (
        await client.get("/results/staff", params={"month": month}, headers=bearer("ann", "agent", team=team))
    ).json()
    assert {(r["staff"], r["item"]) for r in own["rows"]} == {("ann", i) for i in form("x") if i != "comment"}
    attitude = next(r for r in own["rows"] if r["item"] == "attitude")
    assert (attitude["answers"], attitude["csat"], attitude["levels"]) == (2, 0.5, {"poor": 1, "very_satisfied": 1})
    manager = bearer("meg", "manager", team=other)
    theirs = (await client.get("/results/staff", params={"month": month}, headers=manager)).json()
    assert {r["staff"] for r in theirs["rows"]} == {"bob"}

    exported = await client.get("/results/staff.csv", params={"month": month}, headers=bearer("vp", "vice_president"))
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    lines = exported.text.splitlines()
    assert lines[0].startswith("month,staff,team,item") and len(lines) == 1 + 8
    assert "张三" not in exported.text and "138" not in exported.text

    summary = (await client.get("/results/summary", params={"month": month}, headers=manager)).json()
    assert (summary["invitations"], summary["responses"], summary["response_rate"]) == (4, 3, 0.75)
    assert summary["overall"]["csat"] == round(8 / 12, 4)
    csv = await client.get("/results/summary.csv", params={"month": month}, headers=manager)
    assert csv.status_code == 200 and "(response rate),3,0.75" in csv.text


async def test_a_bad_month_is_refused_naming_it(client):
    refused = await client.get("/results/staff", params={"month": "2026-13"}, headers=bearer("ann", "agent"))
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "month"
