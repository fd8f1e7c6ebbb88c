"""Privacy (R-09, R-42): a customer's responses are visible only to whom may see the customer; erasure removes
comments and free text, keeps the scores and counts."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select
from survey_helpers import close_case, deliver, invitation_of_case, link_of, service

from contracts.events.customer import CustomerErasedV1
from servicekit.testing import bearer, customer_registered
from surveys.responses.models import Response, ResponseRevision

pytestmark = [pytest.mark.integration]

FORM = {"attitude": "poor", "skill": "average", "response_time": "average", "promises": "average"}


async def test_responses_are_seen_by_the_owning_team_and_erasure_keeps_only_the_scores(client, clock):
    customer_id = str(uuid.uuid4())
    await deliver(customer_registered(customer_id, owner="olga", team="east"), customer_id, 1, producer="customer")
    invitation = await invitation_of_case(await close_case(customer_id, clock()))
    link = await link_of(invitation.id)
    body = {**FORM, "comment": "张三说太慢", "complaint": "yes", "complaint_text": "请回电 13812345678"}
    assert (await client.post(link, data=body)).status_code == 200

    east = await client.get(
        "/responses", params={"customer_id": customer_id}, headers=bearer("al", "agent", team="east")
    )
    [read] = east.json()
    assert read["texts"]["comment"] == "张三说太慢" and read["scores"]["attitude"] == "poor"
    west = await client.get(
        "/responses", params={"customer_id": customer_id}, headers=bearer("wu", "agent", team="west")
    )
    assert west.status_code == 200 and west.json() == []

    await deliver(CustomerErasedV1(customer_id=customer_id, erased_at=clock()), customer_id, 2, producer="customer")
    async with service().db.session() as session:
        response = await session.scalar(select(Response).where(Response.customer_id == customer_id))
        revisions = (
            await session.scalars(select(ResponseRevision).where(ResponseRevision.response_id == response.id))
        ).all()
    assert response.texts == {} and [r.texts for r in revisions] == [{}]
    assert response.scores == FORM and response.satisfaction == 2.5
