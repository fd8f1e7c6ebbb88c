"""customer.* events -> the local read model (rule 5: stale versions are ignored); erasure forgets texts (R-09)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Envelope
from contracts.events.customer import (
    CustomerClassifiedV1,
    CustomerConsentChangedV1,
    CustomerErasedV1,
    CustomerMergedV1,
    CustomerOwnerAssignedV1,
    CustomerRegisteredV1,
    CustomerTagsChangedV1,
    CustomerUpdatedV1,
)
from surveys.customers import service
from surveys.customers.models import CustomerView
from surveys.responses import service as responses


async def on_customer_event(session: AsyncSession, envelope: Envelope) -> None:
    event = envelope.payload()
    version = envelope.aggregate_version
    if isinstance(event, CustomerMergedV1):
        await service.merge(session, event.merged_id, event.survivor_id, version)
        return
    if isinstance(event, CustomerConsentChangedV1):
        await service.record_consent(session, event, version)  # versioned per consent row, not per customer
        return
    customer_id = envelope.aggregate_id
    view = await session.get(CustomerView, customer_id, with_for_update=True)
    if view is not None and version <= view.version:
        return  # an older or repeated state of the customer: ours is newer
    if isinstance(event, CustomerRegisteredV1):
        values: dict[str, object] = {
            "customer_type": event.customer_type,
            "stage": event.stage,
            "tier": event.tier,
            "industry": event.industry,
            "owner": event.owner,
            "team": event.team,
            "language": event.language,
        }
    elif isinstance(event, CustomerUpdatedV1):
        values = {k: v for k, v in event.profile.items() if k in ("industry", "language")}
    elif isinstance(event, CustomerClassifiedV1):
        values = {"customer_type": event.customer_type, "stage": event.stage, "tier": event.tier}
    elif isinstance(event, CustomerOwnerAssignedV1):
        values = {"owner": event.owner, "team": event.team}
    elif isinstance(event, CustomerTagsChangedV1):
        values = {"tags": sorted(event.tags)}
    elif isinstance(event, CustomerErasedV1):
        values = {"erased": True}  # counts survive, the customer's words do not
        await responses.forget_texts(session, customer_id)
    else:
        return
    await service.save_view(session, customer_id, version, **values)
