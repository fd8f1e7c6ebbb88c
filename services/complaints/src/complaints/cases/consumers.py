"""The local customer read model, from customer.* events (rule 5: stale versions are ignored)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from complaints.cases import service
from complaints.cases.models import CustomerView
from complaints.compensations import service as compensations
from contracts import Envelope
from contracts.events.customer import (
    CustomerClassifiedV1,
    CustomerErasedV1,
    CustomerMergedV1,
    CustomerOwnerAssignedV1,
    CustomerRegisteredV1,
    CustomerUpdatedV1,
)
from contracts.events.surveys import SurveyComplaintRequestedV1


async def on_customer_event(session: AsyncSession, envelope: Envelope) -> None:
    event = envelope.payload()
    if isinstance(event, CustomerMergedV1):
        await service.merge_customer(session, event.merged_id, event.survivor_id, envelope.aggregate_version)
        return
    customer_id = envelope.aggregate_id
    view = await session.get(CustomerView, customer_id, with_for_update=True)
    if view is not None and envelope.aggregate_version <= view.version:
        return  # an older or repeated state of the customer: ours is newer
    previous_tier = view.tier if view else None
    if isinstance(event, CustomerRegisteredV1):
        values = {
            "name": event.name,
            "tier": event.tier,
            "owner": event.owner,
            "team": event.team,
            "time_zone": event.time_zone,
        }
    elif isinstance(event, CustomerUpdatedV1):
        values = {k: v for k, v in event.profile.items() if k in ("name", "time_zone")}
    elif isinstance(event, CustomerClassifiedV1):
        values = {"tier": event.tier}
    elif isinstance(event, CustomerOwnerAssignedV1):
        values = {"owner": event.owner, "team": event.team}
        await service.follow_customer_owner(
            session, customer_id, owner=event.owner, team=event.team, previous_owner=event.previous_owner
        )
    elif isinstance(event, CustomerErasedV1):
        values = {"name": None, "erased": True}  # statistics survive, identities do not
        await service.forget_case_texts(session, customer_id)
        await compensations.forget_reasons(session, customer_id)
    else:
        return
    await service.save_customer_view(session, customer_id, envelope.aggregate_version, **values)
    if "tier" in values and previous_tier is not None and values["tier"] != previous_tier:
        await service.apply_customer_tier(session, customer_id, str(values["tier"]))
    elif view is None and "tier" in values:
        await service.link_waiting_cases(session, customer_id, str(values["tier"]))


async def on_survey_event(session: AsyncSession, envelope: Envelope) -> None:
    """R-35: a complaint asked for in a survey becomes a case, once per response."""
    event = envelope.payload()
    if isinstance(event, SurveyComplaintRequestedV1):
        await service.open_from_survey(session, event)
