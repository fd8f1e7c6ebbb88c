"""Cases over HTTP on PostgreSQL and RabbitMQ: lifecycle, SLA, escalation, compensation, access, reports."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from complaints import scheduled
from complaints.app import service
from contracts import Envelope
from contracts.events.customer import CustomerRegisteredV1
from servicekit.db import Database
from servicekit.testing import BROKER_URL, Observer, bearer, eventually, migrate, running

pytestmark = pytest.mark.integration

HANDLER = bearer("alice", "complaint_handler", team="east")
OTHER_TEAM = bearer("bob", "complaint_handler", team="west")
SUPERVISOR = bearer("sue", "supervisor", team="east")
MANAGER = bearer("meg", "manager", team="east")


@pytest.fixture(scope="module", autouse=True)
def schema() -> None:
    migrate("complaints")


@pytest.fixture
async def client():
    async with running(service.app) as client:
        yield client


def complaint(**overrides: object) -> dict[str, object]:
    return {"kind": "complaint", "customer_id": str(uuid.uuid4()), "channel": "hotline", "content": "包装破损，要求退货", **overrides}


async def events(case_id: str, event_type: str | None = None) -> list[dict]:
    outbox = service.tables.outbox
    query = select(outbox.c.envelope).where(outbox.c.aggregate_id == case_id).order_by(outbox.c.seq)
    async with service.db.session() as session:
        found = [json.loads(row.envelope) for row in (await session.execute(query)).all()]
    return [e for e in found if event_type is None or e["type"] == event_type]


async def test_complaint_lifecycle_with_timeline_and_sla(client) -> None:
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
    assert [e["action"] for e in final["timeline"]] == ["open", "acknowledge", "investigate", "report", "propose_resolution", "accept", "close"]
    assert {t["target"]: t["state"] for t in final["sla"]} == {"first_response": "met", "investigation_report": "met", "resolution": "met"}
    types = [e["type"] for e in await events(cid)]
    for expected in ("case.received.v1", "case.acknowledged.v1", "case.investigation_reported.v1",
                     "case.resolution_proposed.v1", "case.resolved.v1", "case.closed.v1"):
        assert expected in types


async def test_illegal_transition_is_409_with_the_allowed_actions(client) -> None:
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
async def test_invalid_case_is_422_naming_the_field(client, payload: dict, field: str) -> None:
    response = await client.post("/cases", json=complaint(**payload), headers=HANDLER)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field


async def test_future_receipt_is_refused(client) -> None:
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    response = await client.post("/cases", json=complaint(received_at=future), headers=HANDLER)
    assert (response.status_code, response.json()["error"]["field"]) == (422, "received_at")


async def test_serious_complaint_reaches_the_vice_president_r26(client) -> None:
    async with Observer("case.escalated.v1") as observer:
        cid = (await client.post("/cases", json=complaint(severity="serious"), headers=HANDLER)).json()["id"]

        async def escalation() -> list:
            return [json.loads(m.body) for m in await observer.drain() if json.loads(m.body)["aggregate_id"] == cid]

        [published] = await eventually(escalation)
    assert "vice_president" in published["data"]["to_roles"]
    assert published["data"]["reason"] == "serious_complaint"


async def test_rejected_resolution_opens_a_linked_case_r29(client) -> None:
    cid = (await client.post("/cases", json=complaint(), headers=HANDLER)).json()["id"]
    for action in ("acknowledge", "investigate", "propose-resolution"):
        await client.post(f"/cases/{cid}/{action}", json={}, headers=HANDLER)
    rejected = (await client.post(f"/cases/{cid}/reject", json={"note": "customer wants a refund"}, headers=HANDLER)).json()
    assert (rejected["state"], rejected["close_outcome"]) == ("closed", "rejected")
    follow_up = (await client.get(f"/cases/{rejected['reopened_as']}", headers=HANDLER)).json()
    assert follow_up["reopened_from"] == cid
    assert follow_up["state"] == "received"
    assert follow_up["content"].startswith(f"[{rejected['number']}]")
    assert follow_up["chain"] == [rejected["number"], follow_up["number"]]
    [reopened] = await events(cid, "case.reopened.v1")
    assert reopened["data"]["new_case_id"] == follow_up["id"]


async def test_another_teams_agent_cannot_read_or_act_on_a_case(client) -> None:
    cid = (await client.post("/cases", json=complaint(), headers=HANDLER)).json()["id"]
    assert (await client.get(f"/cases/{cid}", headers=OTHER_TEAM)).status_code == 404
    assert (await client.post(f"/cases/{cid}/acknowledge", json={}, headers=OTHER_TEAM)).status_code == 404
    listed = (await client.get("/cases?limit=500", headers=OTHER_TEAM)).json()["items"]
    assert cid not in {c["id"] for c in listed}
    assert (await client.get(f"/cases/{cid}", headers=MANAGER)).status_code == 200


async def test_waiting_on_the_customer_pauses_the_clock(client) -> None:
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


async def test_severity_change_recomputes_deadlines_tighter(client) -> None:
    case = (await client.post("/cases", json=complaint(), headers=HANDLER)).json()
    before = {t["target"]: t["deadline"] for t in case["sla"]}
    serious = (await client.post(f"/cases/{case['id']}/severity", json={"severity": "serious"}, headers=HANDLER)).json()
    after = {t["target"]: t["deadline"] for t in serious["sla"]}
    assert after["resolution"] < before["resolution"]
    assert after["first_response"] == before["first_response"]
    assert len(await events(case["id"], "case.escalated.v1")) == 1


async def test_compensation_within_and_above_the_limit_r28(client) -> None:
    cid = (await client.post("/cases", json=complaint(), headers=HANDLER)).json()["id"]
    small = await client.post(f"/cases/{cid}/compensations", json={"kind": "discount", "amount": "300"}, headers=HANDLER)
    assert (small.status_code, small.json()["state"]) == (201, "approved")
    big = (await client.post(f"/cases/{cid}/compensations", json={"kind": "refund", "amount": "3000"}, headers=HANDLER)).json()
    assert big["state"] == "pending"
    approved = await client.post(f"/compensations/{big['id']}/approve", headers=SUPERVISOR)
    assert approved.json()["state"] == "approved"
    huge = (await client.post(f"/cases/{cid}/compensations", json={"kind": "return", "amount": "30000"}, headers=HANDLER)).json()
    refused = await client.post(f"/compensations/{huge['id']}/approve", headers=SUPERVISOR)
    assert refused.status_code == 403
    assert "5000" in refused.json()["error"]["message"]
    assert (await client.post(f"/compensations/{huge['id']}/approve", headers=bearer("vp", "vice_president"))).json()["state"] == "approved"
    approved_events = await events_of_type("compensation.approved.v1")
    assert {e["data"]["amount"] for e in approved_events if e["data"]["case_id"] == cid} == {"300.00", "3000.00", "30000.00"}
    bad = await client.post(f"/cases/{cid}/compensations", json={"kind": "refund", "amount": "-5"}, headers=HANDLER)
    assert (bad.status_code, bad.json()["error"]["field"]) == (422, "amount")


async def events_of_type(event_type: str) -> list[dict]:
    outbox = service.tables.outbox
    async with service.db.session() as session:
        rows = (await session.execute(select(outbox.c.envelope).where(outbox.c.event_type == event_type))).all()
    return [json.loads(row.envelope) for row in rows]


async def test_service_request_needs_manager_dispatch_and_approval_r21(client) -> None:
    cid = (await client.post("/cases", json=complaint(kind="service_request"), headers=HANDLER)).json()["id"]
    assert (await client.post(f"/cases/{cid}/dispatch", json={"technician": "tom", "mode": "remote"}, headers=HANDLER)).status_code == 403
    assert (await client.post(f"/cases/{cid}/dispatch", json={"technician": "tom", "mode": "remote"}, headers=MANAGER)).json()["approval_needed"]
    blocked = await client.post(f"/cases/{cid}/start-service", json={}, headers=HANDLER)
    assert (blocked.status_code, blocked.json()["error"]["code"]) == (409, "approval_required")
    assert (await client.post(f"/cases/{cid}/approve-service", json={}, headers=MANAGER)).status_code == 200
    for action in ("start-service", "sign-off", "archive"):
        assert (await client.post(f"/cases/{cid}/{action}", json={}, headers=HANDLER)).status_code == 200
    types = [e["type"] for e in await events(cid)]
    assert [t for t in types if t.startswith("service_request.")] == [
        "service_request.dispatched.v1", "service_request.approved.v1", "service_request.started.v1",
        "service_request.signed_off.v1", "service_request.archived.v1"]


async def test_department_queue_r27(client) -> None:
    cid = (await client.post("/cases", json=complaint(cause_category="quality/packaging"), headers=HANDLER)).json()["id"]
    queue = (await client.get("/cases?department=rnd&limit=500", headers=bearer("rick", "rnd", team="lab"))).json()["items"]
    assert cid in {c["id"] for c in queue}
    moved = (await client.post(f"/cases/{cid}/reassign", json={"department": "marketing", "owner": "mia"}, headers=HANDLER)).json()
    assert (moved["department"], moved["owner"]) == ("marketing", "mia")
    assert len(await events(cid, "case.assigned.v1")) == 1


async def test_two_evaluators_escalate_each_breach_exactly_once() -> None:
    async with running(service.app) as client:
        ids = [(await client.post("/cases", json=complaint(), headers=HANDLER)).json()["id"] for _ in range(40)]
    later = datetime.now(UTC) + timedelta(hours=2)  # every first response is now overdue
    first, second = Database(service.db.url, service="complaints"), Database(service.db.url, service="complaints")
    for db in (first, second):
        db.session_info.update(service.db.session_info)
    try:
        handled = await asyncio.gather(
            scheduled.evaluate_due(first, now=later, batch_size=7), scheduled.evaluate_due(second, now=later, batch_size=7)
        )
    finally:
        await first.dispose()
        await second.dispose()
    assert sum(handled) >= len(ids)
    for cid in ids:
        breaches = [e for e in await events(cid, "case.sla_breached.v1") if e["data"]["target"] == "first_response"]
        escalations = [e for e in await events(cid, "case.escalated.v1") if e["data"]["target"] == "first_response"]
        assert len(breaches) == 1, cid
        assert len(escalations) == 1
        assert breaches[0]["data"]["deadline"] < later.isoformat()  # dated at the deadline, not when noticed


async def test_case_for_an_unknown_customer_is_linked_when_the_customer_event_arrives(client) -> None:
    customer_id = str(uuid.uuid4())
    case = (await client.post("/cases", json=complaint(customer_id=customer_id), headers=HANDLER)).json()
    assert case["tier"] == "unknown"
    registered = Envelope.wrap(CustomerRegisteredV1(
        customer_id=customer_id, number="KH-2026-000999", name="迟到的客户", customer_type="strategic", stage="stable",
        tier="high", service_level="vip", owner="olga", team="east", registered_at=datetime.now(UTC),
    ), producer="customer", aggregate_id=customer_id, aggregate_version=1)
    import aio_pika

    connection = await aio_pika.connect(BROKER_URL)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.get_exchange("crm.events")
        await exchange.publish(aio_pika.Message(registered.model_dump_json().encode(), message_id=str(registered.id)),
                               routing_key=registered.type)

    async def linked() -> dict | None:
        found = (await client.get(f"/cases/{case['id']}", headers=HANDLER)).json()
        return found if found["tier"] == "high" else None

    found = await eventually(linked, timeout=30)
    assert found["owner"] == "olga"
    assert found["customer_name"] == "迟到的客户"
    assert "tier_changed" in [e["action"] for e in found["timeline"]]


async def test_monthly_review_json_and_csv_r32(client) -> None:
    cid = (await client.post("/cases", json=complaint(), headers=HANDLER)).json()["id"]
    for action in ("acknowledge", "investigate", "mark-unfounded"):
        await client.post(f"/cases/{cid}/{action}", json={}, headers=HANDLER)
    month = datetime.now(UTC).astimezone().strftime("%Y-%m")
    report = await client.get(f"/reports/monthly?month={month}", headers=SUPERVISOR)
    assert report.status_code == 200
    rows = report.json()["rows"]
    assert sum(r["unfounded"] for r in rows) >= 1
    assert all(0 <= r["timeliness"] <= 1 for r in rows)
    as_csv = await client.get(f"/reports/monthly?month={month}&format=csv", headers=SUPERVISOR)
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.text.splitlines()[0] == "department,owner,closed,resolved_within_sla,timeliness,reopened,unfounded,compensation_total"
    assert (await client.get("/reports/monthly?month=2026-13", headers=SUPERVISOR)).json()["error"]["field"] == "month"
    assert (await client.get(f"/reports/monthly?month={month}", headers=HANDLER)).status_code == 403


async def test_corrective_actions_are_tracked_to_done_r31(client) -> None:
    cid = (await client.post("/cases", json=complaint(), headers=HANDLER)).json()["id"]
    action = (await client.post(f"/cases/{cid}/corrective-actions",
                                json={"description": "改进包装", "owner": "rick", "due_date": "2020-01-31"}, headers=HANDLER)).json()
    overdue = (await client.get("/corrective-actions?overdue=true", headers=SUPERVISOR)).json()
    assert action["id"] in {a["id"] for a in overdue}
    done = (await client.post(f"/corrective-actions/{action['id']}/complete", headers=HANDLER)).json()
    assert done["status"] == "done"
    assert (await client.post(f"/corrective-actions/{action['id']}/complete", headers=HANDLER)).status_code == 409
