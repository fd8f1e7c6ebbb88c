"""A campaign to a segment (R-34) sends one invitation per consenting contact and none to a contact who withdrew
consent (R-42); planning in batches and planning again never invites twice."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select
from survey_helpers import deliver, service

from contracts.events.customer import CustomerConsentChangedV1
from servicekit.testing import bearer, customer_registered, outbox_events
from surveys.campaigns import scheduled
from surveys.campaigns.models import Campaign
from surveys.invitations.models import Invitation

pytestmark = [pytest.mark.integration]

MARKETING = bearer("mia", "marketing")


async def consent(clock, customer_id: str, contact_id: str, version: int, *, granted=True, purpose="care") -> None:
    event = CustomerConsentChangedV1(
        customer_id=customer_id,
        contact_id=contact_id,
        channel="email",
        purpose=purpose,
        granted=granted,
        source="form",
        recorded_at=clock(),
    )
    await deliver(event, customer_id, version, producer="customer")


async def test_a_campaign_invites_each_consenting_contact_of_the_segment_once(client, clock):
    industry = f"industry-{uuid.uuid4().hex[:8]}"  # this test's customers only
    both, withdrew, marketing_only, other_tier = (str(uuid.uuid4()) for _ in range(4))
    for customer_id, tier in ((both, "high"), (withdrew, "high"), (marketing_only, "high"), (other_tier, "low")):
        await deliver(
            customer_registered(customer_id, tier=tier, industry=industry), customer_id, 1, producer="customer"
        )
    await consent(clock, both, "c-1", 2)
    await consent(clock, both, "c-2", 3)
    await consent(clock, withdrew, "c-3", 2)
    await consent(clock, withdrew, "c-3", 3, granted=False)
    await consent(clock, marketing_only, "c-4", 2, purpose="marketing")
    await consent(clock, other_tier, "c-5", 2)

    body = {"name": "2026 Q1 satisfaction", "segment": {"tiers": ["high"], "industries": [industry]}}
    created = await client.post("/campaigns", json=body, headers=MARKETING)
    assert created.status_code == 201, created.text
    campaign_id = created.json()["id"]
    assert created.json()["questionnaire_key"] == "satisfaction" and created.json()["state"] == "planning"

    await scheduled.plan_due(service().db, batch_size=2)
    async with service().db.session() as session:
        rows = (await session.scalars(select(Invitation).where(Invitation.campaign_id == campaign_id))).all()
        campaign = await session.get(Campaign, campaign_id)
        campaign.state, campaign.cursor = "planning", ""  # planned again from the start: nothing new
    await scheduled.plan_due(service().db, batch_size=2)

    sent = sorted((r.customer_id, r.contact_id) for r in rows if r.status == "sent")
    skipped = sorted((r.customer_id, r.skip_reason) for r in rows if r.status == "skipped")
    assert sent == [(both, "c-1"), (both, "c-2")]
    assert skipped == sorted([(withdrew, "no_consent"), (marketing_only, "no_consent")])
    for invitation in (r for r in rows if r.status == "sent"):
        [request] = await outbox_events(service(), invitation.id, "notification.requested.v1")
        assert request["data"]["purpose"] == "care" and request["data"]["channels"] == ["email"]
        assert request["data"]["recipient"]["contact_id"] == invitation.contact_id
    read = (await client.get(f"/campaigns/{campaign_id}", headers=MARKETING)).json()
    assert (read["state"], read["customers"], read["invited"], read["skipped"]) == ("done", 3, 2, 2)
    async with service().db.session() as session:
        again = (await session.scalars(select(Invitation).where(Invitation.campaign_id == campaign_id))).all()
    assert len(again) == len(rows) == 4


async def test_a_campaign_needs_a_known_questionnaire(client):
    body = {"name": "x", "questionnaire": "nope"}
    refused = await client.post("/campaigns", json=body, headers=MARKETING)
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "questionnaire"
    assert (await client.post("/campaigns", json=body, headers=bearer("al", "agent"))).status_code == 403
