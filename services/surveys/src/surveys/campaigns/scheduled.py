"""Campaign planning (reliability rule 6): a pass claims a planning campaign with the kit's `claim_due`
(SKIP LOCKED), plans one batch of customers per transaction and moves its cursor, so replicas share the work
and a restart resumes where it stopped."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from servicekit.db import Database
from servicekit.due import claim_due
from surveys.campaigns import service
from surveys.campaigns.models import Campaign
from surveys.settings import surveys_settings


async def plan_due(db: Database, *, now: datetime | None = None, batch_size: int | None = None) -> int:
    """Plan batches until no campaign is left planning; returns the customers looked at."""
    limit = batch_size or surveys_settings().campaign_batch_size
    handled = 0
    while True:
        async with db.session() as session:
            due = select(Campaign).where(Campaign.state == "planning").order_by(Campaign.created_at)
            campaign = (await claim_due(session, due, limit=1)).scalars().first()
            if campaign is None:
                return handled
            handled += await service.plan_batch(session, campaign, limit=limit, now=now or db.clock())
