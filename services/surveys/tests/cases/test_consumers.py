"""Over the real broker: the complaints service's case events reach the surveys queue and a closed case invites
its customer once, even when the close is redelivered (R-33; inbox deduplication)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from survey_helpers import invitation_of_case

from contracts import Envelope
from contracts.events.cases import CaseClosedV1, CaseReceivedV1, ServiceRequestDispatchedV1, ServiceRequestSignedOffV1
from servicekit.testing import app_service, eventually, publish, service_client

pytestmark = [pytest.mark.integration]

AT = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)


async def technician_of(case_id: str) -> str | None:
    from surveys.cases.models import CaseView

    async with app_service("surveys").db.session() as session:
        view = await session.get(CaseView, case_id)
    return view.technician if view else None


def envelope(event, case_id: str, version: int) -> Envelope:
    return Envelope.wrap(event, producer="complaints", aggregate_id=case_id, aggregate_version=version)


async def test_a_signed_off_service_request_rates_the_technician_and_a_closed_one_invites_once(surveys_schema):
    case_id, customer_id = str(uuid.uuid4()), str(uuid.uuid4())
    common = {"case_id": case_id, "number": "FW-2026-000001", "customer_id": customer_id}
    received = CaseReceivedV1(
        **common,
        kind="service_request",
        channel="hotline",
        severity="normal",
        cause_category=None,
        department="customer_service",
        owner="olga",
        team="east",
        received_at=AT,
    )
    dispatched = ServiceRequestDispatchedV1(
        **common, at=AT, by="olga", technician="tom", mode="on_site", needs_approval=False
    )
    signed_off = envelope(ServiceRequestSignedOffV1(**common, at=AT, by="tom"), case_id, 4)
    closed = envelope(CaseClosedV1(**common, outcome="resolved", closed_at=AT), case_id, 6)
    async with service_client("surveys", broker=True):
        # the queue is consumed concurrently: the case's start comes first, as it does in real life (minutes apart)
        await publish(envelope(received, case_id, 1), envelope(dispatched, case_id, 2))
        assert await eventually(lambda: technician_of(case_id))
        await publish(signed_off, signed_off, closed)
        invitation = await eventually(lambda: invitation_of_case(case_id))
        assert invitation is not None and invitation.rated_staff == "tom"
        assert invitation.kind == "staff_evaluation" and invitation.status == "sent"
