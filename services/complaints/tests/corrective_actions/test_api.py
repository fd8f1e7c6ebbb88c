"""Corrective actions over HTTP (R-31): tracked to done, overdue ones listed."""

from __future__ import annotations

import pytest

from servicekit.testing import bearer

pytestmark = pytest.mark.integration

HANDLER = bearer("alice", "complaint_handler", team="east")
SUPERVISOR = bearer("sue", "supervisor", team="east")


async def test_corrective_actions_are_tracked_to_done_r31(client, complaint) -> None:
    cid = (await client.post("/cases", json=complaint(), headers=HANDLER)).json()["id"]
    action = (
        await client.post(
            f"/cases/{cid}/corrective-actions",
            json={"description": "改进包装", "owner": "rick", "due_date": "2020-01-31"},
            headers=HANDLER,
        )
    ).json()
    overdue = (await client.get("/corrective-actions?overdue=true", headers=SUPERVISOR)).json()
    assert action["id"] in {a["id"] for a in overdue}
    done = (await client.post(f"/corrective-actions/{action['id']}/complete", headers=HANDLER)).json()
    assert done["status"] == "done"
    assert (await client.post(f"/corrective-actions/{action['id']}/complete", headers=HANDLER)).status_code == 409
