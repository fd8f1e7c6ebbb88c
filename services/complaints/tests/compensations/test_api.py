"""Compensation over HTTP (R-28): approved at once within the proposer's limit, above it by the next level."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from complaints.app import service
from servicekit.testing import bearer

pytestmark = pytest.mark.integration

HANDLER = bearer("alice", "complaint_handler", team="east")
SUPERVISOR = bearer("sue", "supervisor", team="east")


async def test_compensation_within_and_above_the_limit_r28(client, complaint) -> None:
    cid = (await client.post("/cases", json=complaint(), headers=HANDLER)).json()["id"]
    small = await client.post(
        f"/cases/{cid}/compensations", json={"kind": "discount", "amount": "300"}, headers=HANDLER
    )
    assert (small.status_code, small.json()["state"]) == (201, "approved")
    big = (
        await client.post(f"/cases/{cid}/compensations", json={"kind": "refund", "amount": "3000"}, headers=HANDLER)
    ).json()
    assert big["state"] == "pending"
    approved = await client.post(f"/compensations/{big['id']}/approve", headers=SUPERVISOR)
    assert approved.json()["state"] == "approved"
    huge = (
        await client.post(f"/cases/{cid}/compensations", json={"kind": "return", "amount": "30000"}, headers=HANDLER)
    ).json()
    refused = await client.post(f"/compensations/{huge['id']}/approve", headers=SUPERVISOR)
    assert refused.status_code == 403
    assert "5000" in refused.json()["error"]["message"]
    assert (await client.post(f"/compensations/{huge['id']}/approve", headers=bearer("vp", "vice_president"))).json()[
        "state"
    ] == "approved"
    approved_events = await events_of_type("compensation.approved.v1")
    assert {e["data"]["amount"] for e in approved_events if e["data"]["case_id"] == cid} == {
        "300.00",
        "3000.00",
        "30000.00",
    }
    bad = await client.post(f"/cases/{cid}/compensations", json={"kind": "refund", "amount": "-5"}, headers=HANDLER)
    assert (bad.status_code, bad.json()["error"]["field"]) == (422, "amount")


async def events_of_type(event_type: str) -> list[dict]:
    outbox = service.tables.outbox
    async with service.db.session() as session:
        rows = (await session.execute(select(outbox.c.envelope).where(outbox.c.event_type == event_type))).all()
    return [json.loads(row.envelope) for row in rows]
