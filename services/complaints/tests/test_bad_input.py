"""Bad input is a 422 naming the field, never a 503 or 500: a NUL byte in a name, an unknown time zone, a day
that is a number, a case's owner beyond its column."""

from __future__ import annotations

import pytest

from servicekit.testing import bearer

pytestmark = pytest.mark.integration

ADMIN = bearer("ada", "admin", team="east")
HANDLER = bearer("alice", "complaint_handler", team="east")


async def test_calendar_input_beyond_its_columns_is_422(client) -> None:
    nul = await client.put("/calendar/days/2031-05-06", json={"working": False, "name": "a\x00"}, headers=ADMIN)
    assert (nul.status_code, nul.json()["error"]["field"]) == (422, "name")
    number = await client.put("/calendar/days/0", json={"working": False, "name": "x"}, headers=ADMIN)
    assert (number.status_code, number.json()["error"]["field"]) == (422, "day")
    zone = await client.put(
        "/calendar/calendars/hotline", json={"time_zone": "Mars/Olympus", "week": {}}, headers=ADMIN
    )
    assert (zone.status_code, zone.json()["error"]["field"]) == (422, "time_zone")


async def test_case_input_beyond_its_columns_is_422(client, complaint) -> None:
    created = await client.post("/cases", json=complaint(), headers=HANDLER)
    assert created.status_code == 201, created.text
    case_id = created.json()["id"]
    owner = await client.post(
        f"/cases/{case_id}/reassign", json={"department": "marketing", "owner": "o\x00"}, headers=HANDLER
    )
    assert (owner.status_code, owner.json()["error"]["field"]) == (422, "owner")
    content = await client.post("/cases", json=complaint(content="c" * 8001), headers=HANDLER)
    assert (content.status_code, content.json()["error"]["field"]) == (422, "content")
