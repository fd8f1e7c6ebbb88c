"""R-03: survey.response_recorded.v1 feeds `survey_score`, the 12-month mean of the customer's responses; a changed
response replaces its own score, an older revision arriving late changes nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from contracts import Envelope
from contracts.events.surveys import SurveyResponseRecordedV1
from customer.app import service
from servicekit.testing import bearer, broker_ready, eventually, publish

AGENT = bearer("alice", "agent", team="east")


def recorded(customer_id: str, response_id: str, satisfaction: float, revision: int) -> Envelope:
    event = SurveyResponseRecordedV1(
        response_id=response_id,
        invitation_id=response_id,
        kind="staff_evaluation",
        customer_id=customer_id,
        contact_id=None,
        satisfaction=satisfaction,
        responded_at=datetime.now(UTC),
        revision=revision,
    )
    return Envelope.wrap(event, producer="surveys", aggregate_id=response_id, aggregate_version=revision + 1)


async def test_survey_responses_feed_the_survey_score(client, create_customer) -> None:
    cid = (await create_customer(client))["id"]
    await broker_ready(service)
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    await publish(recorded(cid, first, 5.0, 1), recorded(cid, second, 2.0, 1), recorded(cid, second, 4.0, 2))
    await publish(recorded(cid, second, 1.0, 1))  # a late, older revision

    async def score() -> float | None:
        found = (await client.get(f"/customers/{cid}", headers=AGENT)).json()
        return found["figures"]["survey_score"] if found["figures"]["survey_score"] == 4.5 else None

    assert await eventually(score) == 4.5
