"""Campaigns (R-34): start one to a segment, see its progress."""

from __future__ import annotations

from fastapi import APIRouter

from servicekit.runtime import DbSession
from surveys.auth import Designer, Staff
from surveys.campaigns import service
from surveys.campaigns.schemas import CampaignCreate, CampaignRead

router = APIRouter(prefix="/campaigns", tags=["campaigns"])


@router.post("", status_code=201, response_model=CampaignRead)
async def start_campaign(data: CampaignCreate, session: DbSession, principal: Designer) -> object:
    """Planned in the background in batches; one invitation per consenting contact (R-42)."""
    return await service.create(session, principal, data)


@router.get("", response_model=list[CampaignRead])
async def list_campaigns(session: DbSession, _: Staff) -> object:
    return await service.get_all(session)


@router.get("/{campaign_id}", response_model=CampaignRead)
async def read_campaign(campaign_id: str, session: DbSession, _: Staff) -> object:
    return await service.get(session, campaign_id)
