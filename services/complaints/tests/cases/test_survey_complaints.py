"""R-35: a complaint asked for in a survey opens one complaint case, linked to the response (origin survey);
case.received.v1 keeps its published channel values (web_form) and names the origin."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from complaints.app import service
from complaints.cases import consumers
from complaints.cases.models import Case
from contracts import Envelope
from contracts.events.surveys import SurveyComplaintRequestedV1
from servicekit.testing import outbox_events

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("complaints_schema")]


async def test_a_survey_complaint_opens_one_case_linked_to_the_response() -> None:
    response_id, customer_id = str(uuid.uuid4()), str(uuid.uuid4())
    request = SurveyComplaintRequestedV1(
        response_id=response_id,
        invitation_id=str(uuid.uuid4()),
        customer_id=customer_id,
        contact_id=None,
        case_id=None,
        text="技术员迟到两小时",
        language="zh-CN",
        requested_at=datetime(2026, 3, 2, 4, 0, tzinfo=UTC),
    )
    for _ in range(2):  # the same request again (e.g. republished) still opens one case
        envelope = Envelope.wrap(request, producer="surveys", aggregate_id=request.invitation_id, aggregate_version=2)
        async with service.db.session() as session:
            await consumers.on_survey_event(session, envelope)
    async with service.db.session() as session:
        [case] = (await session.scalars(select(Case).where(Case.customer_id == customer_id))).all()
    assert (case.kind, case.channel, case.origin, case.origin_id) == ("complaint", "web_form", "survey", response_id)
    assert case.content == "技术员迟到两小时"
    [received] = await outbox_events(service, case.id, "case.received.v1")
    assert received["data"]["origin"] == "survey" and received["data"]["origin_id"] == response_id
