"""Cases over HTTP on PostgreSQL and RabbitMQ: lifecycle, SLA, escalation, access, pausing, severity, queues."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from complaints.app import service
from servicekit.testing import Observer, bearer, eventually, outbox_events

pytestmark = pytest.mark.integration

HANDLER = bearer("alice", "complaint_handler", team="east")
OTHER_TEAM = bearer("bob", "complaint_handler", team="west")
MANAGER = bearer("meg", "manager", team="east")


async def test_complaint_lifecycle_with_timeline_and_sla(client, complaint) -> None:
    created = await client.post("/cases", json=complaint(), headers=HANDLER)
    assert created.status_code == 201
    case = created.json()
    assert case["number"].startswith("TS-")
    assert {t["target"] for t in case["sla"]} == {"first_response", "investigation_report", "resolution"}
    cid = case["id"]
    for action in ("acknowledge", "investigate", "report", "propose-resolution", "accept", "close"):
        response = await client.post(f"/cases/{cid}/{action}", json={"note": f"step {action}"}, headers=HANDLER)
        assert response.status_code == 200, response.json()
    final = (await client.get(f"/cases/{cid}", headers=HANDLER)).json()
    assert (final["state"], final["close_outcome"]) == ("closed", "resolved")
    assert [e["action"] for e in final["timeline"]] == [
        "open",
        "acknowledge",
        "investigate",
        "report",
        "propose_resolution",
        "accept",
        "close",
    ]
    assert {t["target"]: t["state"] for t in final["sla"]} == {
        "first_response": "met",
        "investigation_report": "met",
        "resolution": "met",
    }
    types = [e["type"] for e in await outbox_events(service, cid)]
    for expected in (
        "case.received.v1",
        "case.acknowledged.v1",
        "case.investigation_reported.v1",
        "case.resolution_proposed.v1",
        "case.resolved.v1",
        "case.closed.v1",
    ):
        assert expected in types


async def test_illegal_transition_is_409_with_the_allowed_actions(client, complaint) -> None:
    cid = (await client.post("/cases", json=complaint(), headers=HANDLER)).json()["id"]
    response = await client.post(f"/cases/{cid}/close", json={}, headers=HANDLER)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "illegal_transition"
    assert "allowed: acknowledge" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"channel": "pigeon"}, "channel"),
        ({"content": ""}, "content"),
        ({"kind": "praise"}, "kind"),
        ({"cause_category": "weather"}, "cause_category"),
        ({"severity": "apocalyptic"}, "severity"),
        ({"received_at": "2026-01-01T09:00:00"}, "received_at"),
        ({"surprise": 1}, "surprise"),
    ],
)
async def test_invalid_case_is_422_naming_the_field(client, complaint, payload: dict, field: str) -> None:
    response = await client.post("/cases", json=complaint(**payload), headers=HANDLER)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field


async def test_future_receipt_is_refused(client, complaint) -> None:
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    response = await client.post("/cases", json=complaint(received_at=future), headers=HANDLER)
    assert (response.status_code, response.json()["error"]["field"]) == (422, "received_at")


async def test_serious_complaint_reaches_the_vice_president_r26(client, complaint) -> None:
    async with Observer("case.escalated.v1") as observer:
        cid = (await client.post("/cases", json=complaint(severity="serious"), headers=HANDLER)).json()["id"]

        async def escalation() -> list:
            return [json.loads(m.body) for m in await observer.drain() if json.loads(m.body)["aggregate_id"] == cid]

        [published] = await eventually(escalation)
    assert "vice_president" in published["data"]["to_roles"]
    assert published["data"]["reason"] == "serious_complaint"


async def test_rejected_resolution_opens_a_linked_case_r29(client, complaint) -> None:
    cid = (await client.post("/cases", json=complaint(), headers=HANDLER)).json()["id"]
    for action in ("acknowledge", "investigate", "propose-resolution"):
        await client.post(f"/cases/{cid}/{action}", json={}, headers=HANDLER)
    rejected = (
        await client.post(f"/cases/{cid}/reject", json={"note": "customer wants a refund"}, headers=HANDLER)
    ).json()
    assert (rejected["state"], rejected["close_outcome"]) == ("closed", "rejected")
    follow_up = (await client.get(f"/cases/{rejected['reopened_as']}", headers=HANDLER)).json()
    assert follow_up["reopened_from"] == cid
    assert follow_up["state"] == "received"
    assert follow_up["content"].startswith(f"[{rejected['number']}]")
    assert follow_up["chain"] == [rejected["number"], follow_up["number"]]
    [reopened] = await outbox_events(service, cid, "case.reopened.v1")
    assert reopened["data"]["new_case_id"] == follow_up["id"]


async def test_another_teams_agent_cannot_read_or_act_on_a_case(client, complaint) -> None:
    cid = (await client.post("/cases", json=complaint(), headers=HANDLER)).json()["id"]
    assert (await client.get(f"/cases/{cid}", headers=OTHER_TEAM)).status_code == 404
    assert (await client.post(f"/cases/{cid}/acknowledge", json={}, headers=OTHER_TEAM)).status_code == 404
    listed = (await client.get("/cases?limit=500", headers=OTHER_TEAM)).json()["items"]
    assert cid not in {c["id"] for c in listed}
    assert (await client.get(f"/cases/{cid}", headers=MANAGER)).status_code == 200


async def test_waiting_on_the_customer_pauses_the_clock(client, complaint) -> None:
    cid = (await client.post("/cases", json=complaint(), headers=HANDLER)).json()["id"]
    await client.post(f"/cases/{cid}/acknowledge", json={}, headers=HANDLER)
    before = {t["target"]: t["deadline"] for t in (await client.get(f"/cases/{cid}", headers=HANDLER)).json()["sla"]}
    paused = (await client.post(f"/cases/{cid}/wait-on-customer", json={}, headers=HANDLER)).json()
    assert paused["paused"] is True
    assert (await client.post(f"/cases/{cid}/wait-on-customer", json={}, headers=HANDLER)).status_code == 409
    resumed = (await client.post(f"/cases/{cid}/resume", json={}, headers=HANDLER)).json()
    after = {t["target"]: t["deadline"] for t in resumed["sla"]}
    assert resumed["paused"] is False
    assert after["resolution"] >= before["resolution"]
    actions = [e["action"] for e in resumed["timeline"]]
    assert actions[-2:] == ["wait_on_customer", "resume"]


async def test_severity_change_recomputes_deadlines_tighter(client, complaint) -> None:
    case = (await client.post("/cases", json=complaint(), headers=HANDLER)).json()
    before = {t["target"]: t["deadline"] for t in case["sla"]}
    serious = (await client.post(f"/cases/{case['id']}/severity", json={"severity": "serious"}, headers=HANDLER)).json()
    after = {t["target"]: t["deadline"] for t in serious["sla"]}
    assert after["resolution"] < before["resolution"]
    assert after["first_response"] == before["first_response"]
    assert len(await outbox_events(service, case["id"], "case.escalated.v1")) == 1


async def test_service_request_needs_manager_dispatch_and_approval_r21(client, complaint) -> None:
    cid = (await client.post("/cases", json=complaint(kind="service_request"), headers=HANDLER)).json()["id"]
    assert (
        await client.post(f"/cases/{cid}/dispatch", json={"technician": "tom", "mode": "remote"}, headers=HANDLER)
    ).status_code == 403
    assert (
        await client.post(f"/cases/{cid}/dispatch", json={"technician": "tom", "mode": "remote"}, headers=MANAGER)
    ).json()["approval_needed"]
    blocked = await client.post(f"/cases/{cid}/start-service", json={}, headers=HANDLER)
    assert (blocked.status_code, blocked.json()["error"]["code"]) == (409, "approval_required")
    assert (await client.post(f"/cases/{cid}/approve-service", json={}, headers=MANAGER)).status_code == 200
    for action in ("start-service", "sign-off", "archive"):
        assert (await client.post(f"/cases/{cid}/{action}", json={}, headers=HANDLER)).status_code == 200
    types = [e["type"] for e in await outbox_events(service, cid)]
    assert [t for t in types if t.startswith("service_request.")] == [
        "service_request.dispatched.v1",
        "service_request.approved.v1",
        "service_request.started.v1",
        "service_request.signed_off.v1",
        "service_request.archived.v1",
    ]


async def test_department_queue_r27(client, complaint) -> None:
    cid = (await client.post("/cases", json=complaint(cause_category="quality/packaging"), headers=HANDLER)).json()[
        "id"
    ]
    queue = (await client.get("/cases?department=rnd&limit=500", headers=bearer("rick", "rnd", team="lab"))).json()[
        "items"
    ]
    assert cid in {c["id"] for c in queue}
    moved = (
        await client.post(f"/cases/{cid}/reassign", json={"department": "marketing", "owner": "mia"}, headers=HANDLER)
    ).json()
    assert (moved["department"], moved["owner"]) == ("marketing", "mia")
    assert len(await outbox_events(service, cid, "case.assigned.v1")) == 1
