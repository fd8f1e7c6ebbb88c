"""Campaigns (R-34): create one, then plan it in batches of customers from the local read model. A contact is
invited only with consent for surveys on a channel (R-42); a customer none of whose contacts consented is
recorded as skipped (no_consent). The unique invitation key means a contact never gets two of one campaign."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.events.surveys import SkipReason, SurveyKind
from servicekit.auth import Principal
from servicekit.clock import now as clock_now
from servicekit.errors import not_found
from surveys.campaigns import rules
from surveys.campaigns.models import Campaign
from surveys.campaigns.schemas import CampaignCreate, Segment
from surveys.customers.models import ContactConsent, CustomerView
from surveys.customers.service import SURVEY_PURPOSE
from surveys.invitations import service as invitations
from surveys.questionnaires import service as questionnaires


async def create(session: AsyncSession, principal: Principal, data: CampaignCreate) -> Campaign:
    version = await questionnaires.current_version(session, data.questionnaire)
    campaign = Campaign(
        id=str(uuid.uuid4()),
        name=data.name,
        questionnaire_key=data.questionnaire,
        questionnaire_version=version,
        segment=data.segment.model_dump(mode="json"),
        channels=[str(c) for c in data.channels] if data.channels else None,
        state="planning",
        cursor="",
        customers=0,
        invited=0,
        skipped=0,
        created_by=principal.subject,
        created_at=clock_now(session),
    )
    session.add(campaign)
    await session.flush()
    return campaign


async def get(session: AsyncSession, campaign_id: str) -> Campaign:
    campaign = await session.get(Campaign, campaign_id)
    if campaign is None:
        raise not_found("campaign", campaign_id)
    return campaign


async def get_all(session: AsyncSession) -> list[Campaign]:
    return list((await session.scalars(select(Campaign).order_by(Campaign.created_at.desc()))).all())


def _segment_query(segment: Segment, after: str) -> object:
    query = select(CustomerView).where(
        CustomerView.customer_id > after, CustomerView.erased.is_(False), CustomerView.merged_into.is_(None)
    )
    for column, values in (
        (CustomerView.tier, segment.tiers),
        (CustomerView.customer_type, segment.customer_types),
        (CustomerView.stage, segment.stages),
        (CustomerView.industry, segment.industries),
    ):
        if values:
            query = query.where(column.in_([str(v) for v in values]))
    return query.order_by(CustomerView.customer_id)


async def plan_batch(session: AsyncSession, campaign: Campaign, *, limit: int, now: datetime) -> int:
    """Invite the next `limit` customers of the segment; returns how many customers were looked at."""
    segment = Segment.model_validate(campaign.segment)
    batch = list((await session.scalars(_segment_query(segment, campaign.cursor).limit(limit))).all())  # type: ignore[call-overload]
    chosen = {c.customer_id: c for c in batch if rules.has_tags(c.tags or [], segment.tags)}
    consents: dict[str, dict[str, list[str]]] = {customer_id: {} for customer_id in chosen}
    if chosen:
        rows = await session.execute(
            select(ContactConsent.customer_id, ContactConsent.contact_id, ContactConsent.channel).where(
                ContactConsent.customer_id.in_(chosen),
                ContactConsent.purpose == SURVEY_PURPOSE,
                ContactConsent.granted.is_(True),
            )
        )
        for customer_id, contact_id, channel in rows:
            consents[customer_id].setdefault(contact_id, []).append(channel)
    targets = []
    for customer_id in chosen:
        contacts = rules.contacts_to_invite(consents[customer_id], campaign.channels)
        for contact_id, channels in contacts.items():
            targets.append(_target(campaign, customer_id, contact_id, tuple(channels)))
        if not contacts:
            targets.append(_target(campaign, customer_id, None, None, skip=SkipReason.no_consent))
    made = await invitations.invite_all(session, targets, dict(chosen), now=now)
    campaign.customers += len({i.customer_id for i in made})
    campaign.invited += sum(1 for i in made if i.status == "sent")
    campaign.skipped += sum(1 for i in made if i.status == "skipped")
    if batch:
        campaign.cursor = batch[-1].customer_id
    if len(batch) < limit:
        campaign.state, campaign.finished_at = "done", now
    return len(batch)


def _target(
    campaign: Campaign,
    customer_id: str,
    contact_id: str | None,
    channels: tuple[str, ...] | None,
    *,
    skip: SkipReason | None = None,
) -> invitations.Target:
    return invitations.Target(
        kind=SurveyKind.questionnaire,
        dedupe_key=f"campaign:{campaign.id}:{customer_id}:{contact_id or ''}",
        customer_id=customer_id,
        contact_id=contact_id,
        questionnaire_key=campaign.questionnaire_key,
        questionnaire_version=campaign.questionnaire_version,
        purpose=SURVEY_PURPOSE,
        campaign_id=campaign.id,
        channels=channels,
        skip_reason=skip,
    )
