"""Survey events on the broker: a low score (R-35) opens one recovery to-do for the account owner, due in working
hours on the business calendar, however often it arrives; a response is an interaction (R-16)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from contracts import Envelope
from contracts.events.surveys import SurveyLowScoreRecordedV1, SurveyResponseRecordedV1
from servicekit.testing import bearer, eventually, outbox_events, publish

pytestmark = pytest.mark.integration

MING = bearer("ming", "sales", team="east")
FRIDAY_5PM = datetime(2026, 6, 12, 9, 0, tzinfo=UTC)  # 17:00 in Shanghai: one working hour left that day


def from_surveys(event, aggregate_id: str) -> Envelope:
    return Envelope.wrap(event, producer="surveys", aggregate_id=aggregate_id, aggregate_version=1)


async def test_a_low_score_opens_one_recovery_to_do_for_the_owner(client, service, register) -> None:
    customer = await register(owner="ming", team="east")
    service.clock.set(FRIDAY_5PM)
    response, invitation = str(uuid.uuid4()), str(uuid.uuid4())
    low = from_surveys(
        SurveyLowScoreRecordedV1(
            response_id=response,
            invitation_id=invitation,
            kind="staff_evaluation",
            customer_id=customer,
            contact_id=None,
            owner=None,
            reasons=[],
            wants_complaint=False,
            satisfaction=1.0,
            responded_at=FRIDAY_5PM,
        ),
        invitation,
    )
    revised = from_surveys(low.payload().model_copy(), invitation)  # the same response again, a new event id
    answered = from_surveys(
        SurveyResponseRecordedV1(
            response_id=response,
            invitation_id=invitation,
            kind="staff_evaluation",
            customer_id=customer,
            contact_id=None,
            items={},
            satisfaction=1.0,
            low_score=True,
            responded_at=FRIDAY_5PM,
            revision=1,
        ),
        invitation,
    )
    await publish(low, low, revised, answered)

    async def todos() -> list:
        return (await client.get(f"/todos?customer_id={customer}", headers=MING)).json()["items"]

    [todo] = await eventually(todos)
    assert (todo["owner"], todo["team"], todo["status"]) == ("ming", "east", "open")
    assert todo["due_at"] == "2026-06-15T09:00:00Z"  # 8 working hours: Friday 17-18, Monday 9-12 and 13-17

    async def last() -> dict:
        found = (await client.get(f"/customers/{customer}/last-interaction", headers=MING)).json()
        return found if found["kind"] == "survey_response" else {}

    assert (await eventually(last))["last_at"] == "2026-06-12T09:00:00Z"
    assert len(await outbox_events(service, todo["id"], "todo.opened.v1")) == 1
