"""R-09 BOLA matrix: every by-id route of the complaints service, for the owner, a teammate, another team, a
teamless agent, a supervisor and a manager, on a fresh case of a customer of the east team
(servicekit.access_matrix). A served call may be 409 (the case is not in the state the action needs)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import update

from servicekit.access_matrix import OWNER, TEAM, Probe, assert_covers, run_matrix
from servicekit.testing import app_service, bearer

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("complaints_schema")]

OPENER = bearer("opener", "supervisor")
_client: Any = None


async def new_case() -> str:
    from complaints.cases.models import Case

    body = {"kind": "complaint", "customer_id": str(uuid.uuid4()), "channel": "hotline", "content": "包装破损"}
    created = await _client.post("/cases", json=body, headers=OPENER)
    assert created.status_code == 201, created.text
    case_id = created.json()["id"]
    async with app_service("complaints").db.session() as session:  # the customer's owner and team
        await session.execute(update(Case).where(Case.id == case_id).values(owner=OWNER, team=TEAM))
    return case_id


def on_case(suffix: str, body: Any = None) -> Probe:
    async def prepare() -> tuple[str, Any]:
        return f"/cases/{await new_case()}{suffix}", body

    return Probe(prepare, roles=("complaint_handler",))


async def compensation(action: str) -> tuple[str, Any]:
    case_id = await new_case()
    proposed = await _client.post(
        f"/cases/{case_id}/compensations", json={"kind": "discount", "amount": "10.00"}, headers=OPENER
    )
    assert proposed.status_code == 201, proposed.text
    return f"/compensations/{proposed.json()['id']}/{action}", {}


async def approve() -> tuple[str, Any]:
    return await compensation("approve")


async def reject() -> tuple[str, Any]:
    return await compensation("reject")


async def corrective_action() -> tuple[str, Any]:
    case_id = await new_case()
    body = {"description": "check the packaging line", "owner": "qa", "due_date": "2026-12-31"}
    added = await _client.post(f"/cases/{case_id}/corrective-actions", json=body, headers=OPENER)
    assert added.status_code == 201, added.text
    return f"/corrective-actions/{added.json()['id']}/complete", {}


ACTIONS = (
    "acknowledge",
    "investigate",
    "propose-resolution",
    "accept",
    "reject",
    "close",
    "mark-unfounded",
    "approve-service",
    "start-service",
    "sign-off",
    "archive",
    "report",
    "wait-on-customer",
    "resume",
)
PROBES: dict[tuple[str, str], Probe] = {
    ("GET", "/cases/{case_id}"): on_case(""),
    **{("POST", f"/cases/{{case_id}}/{action}"): on_case(f"/{action}", {"note": "matrix"}) for action in ACTIONS},
    ("POST", "/cases/{case_id}/dispatch"): on_case("/dispatch", {"technician": "tom"}),
    ("POST", "/cases/{case_id}/reassign"): on_case("/reassign", {"department": "customer_service", "owner": OWNER}),
    ("POST", "/cases/{case_id}/severity"): on_case("/severity", {"severity": "serious"}),
    ("GET", "/cases/{case_id}/compensations"): on_case("/compensations"),
    ("POST", "/cases/{case_id}/compensations"): on_case("/compensations", {"kind": "refund", "amount": "5.00"}),
    ("POST", "/compensations/{compensation_id}/approve"): Probe(approve, roles=("complaint_handler",)),
    ("POST", "/compensations/{compensation_id}/reject"): Probe(reject, roles=("complaint_handler",)),
    ("POST", "/cases/{case_id}/corrective-actions"): on_case(
        "/corrective-actions", {"description": "retrain", "owner": "qa", "due_date": "2026-12-31"}
    ),
    ("POST", "/corrective-actions/{action_id}/complete"): Probe(corrective_action, roles=("complaint_handler",)),
}
# the company calendar is shared configuration with no account data; its routes are role-gated (managers write)
EXEMPT = {
    ("GET", "/calendar/years/{year}"): "company calendar: shared, no account data",
    ("PUT", "/calendar/years/{year}"): "company calendar: managers only",
    ("DELETE", "/calendar/years/{year}"): "company calendar: managers only",
    ("PUT", "/calendar/days/{day}"): "company calendar: managers only",
    ("DELETE", "/calendar/days/{day}"): "company calendar: managers only",
    ("PUT", "/calendar/calendars/{name}"): "company calendar: managers only",
}


def test_every_by_id_route_is_in_the_matrix() -> None:
    assert_covers(app_service("complaints").app, PROBES, EXEMPT)


async def test_bola_matrix_r09(client) -> None:
    global _client
    _client = client
    await run_matrix(client, PROBES, bearer, service="complaints")
