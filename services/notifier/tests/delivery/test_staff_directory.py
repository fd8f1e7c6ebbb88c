"""Staff addresses and supervisors come from the gateway's staff.*.v1 events: a breach escalated "to the
supervisor" reaches the case owner's own supervisor, at the email the directory holds (R-26)."""

from __future__ import annotations

import uuid

import pytest
from delivery_helpers import messages

from contracts import Envelope
from contracts.events.cases import CaseEscalatedV1
from contracts.events.staff import StaffRegisteredV1
from notifier.app import service
from servicekit.testing import broker_ready, eventually, publish

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("notifier_schema")]


def staff_event(login: str, *, supervisor: str | None = None, email: str | None = None) -> Envelope:
    event = StaffRegisteredV1(
        staff_id=str(uuid.uuid4()), login=login, display_name=login, email=email, roles=["agent"], supervisor=supervisor
    )
    return Envelope.wrap(event, producer="gateway", aggregate_id=event.staff_id, aggregate_version=1)


async def test_an_escalation_to_the_supervisor_reaches_the_owners_own_supervisor(client) -> None:
    from notifier.recipients import service as recipients

    await broker_ready(service)
    owner, boss = f"olga-{uuid.uuid4().hex[:6]}", f"sam-{uuid.uuid4().hex[:6]}"
    await publish(staff_event(boss, email=f"{boss}@corp.example"), staff_event(owner, supervisor=boss))

    async def known() -> bool:
        async with service.db.session() as session:
            return await recipients.supervisor_of(session, owner) == boss

    assert await eventually(known, timeout=15)
    async with service.db.session() as session:
        assert await recipients.staff_contacts(session, boss) == {"email": f"{boss}@corp.example"}
    [sent] = await publish(
        CaseEscalatedV1(
            case_id=str(uuid.uuid4()),
            number="TS-2026-000777",
            customer_id="cust-y",
            to_roles=["supervisor", "manager"],
            reason="sla_breached",
            severity="normal",
            department="customer_service",
            owner=owner,
        )
    )

    async def both() -> list:
        keys = [f"case.escalated.v1:{sent.id}:{target}" for target in (boss, "role:manager")]
        found = [row for key in keys for row in await messages(key)]
        return found if {row.staff for row in found} == {boss, "role:manager"} else []

    assert await eventually(both, timeout=15)
    assert {row.channel for row in await messages(staff=boss)} == {"in_app", "im"}  # the trigger's channels
