"""The customer-events handler (R-09, R-42): profile, contacts and consent into the read model; an erasure or a
merge reaches every table that holds the customer. The kit's consumer gives inbox + ack after commit."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Envelope
from contracts.events.customer import (
    CustomerConsentChangedV1,
    CustomerContactsChangedV1,
    CustomerErasedV1,
    CustomerMergedV1,
    CustomerOwnerAssignedV1,
    CustomerRegisteredV1,
    CustomerUpdatedV1,
)
from contracts.events.staff import StaffSnapshot
from notifier.consent import service as consent
from notifier.delivery import service as delivery
from notifier.recipients import service as recipients
from notifier.settings import notifier_settings
from servicekit.clock import now


async def on_customer_event(session: AsyncSession, envelope: Envelope) -> None:
    event = envelope.payload()
    version = envelope.aggregate_version
    if isinstance(event, CustomerRegisteredV1):
        values = {"language": event.language, "time_zone": event.time_zone, "owner": event.owner, "team": event.team}
        await recipients.apply_profile(session, event.customer_id, version, values)
    elif isinstance(event, CustomerUpdatedV1):
        await recipients.apply_profile(session, event.customer_id, version, dict(event.profile))
    elif isinstance(event, CustomerOwnerAssignedV1):  # who reads the customer's message history follows
        await recipients.apply_profile(session, event.customer_id, version, {"owner": event.owner, "team": event.team})
    elif isinstance(event, CustomerContactsChangedV1):
        await recipients.apply_contacts(session, version, event)
        # requests that waited for this customer go out now that it has addresses
        await delivery.resume_waiting(session, event.customer_id, settings=notifier_settings(), now=now(session))
    elif isinstance(event, CustomerConsentChangedV1):
        await consent.record(
            session,
            customer_id=event.customer_id,
            contact_id=event.contact_id,
            channel=event.channel,
            purpose=event.purpose,
            granted=event.granted,
            source=event.source,
            recorded_at=event.recorded_at,
        )
    elif isinstance(event, CustomerErasedV1):
        # the identities go; message rows keep only statistics (no address, no body)
        await recipients.erase(session, event.customer_id)
        await consent.erase(session, event.customer_id)
        await delivery.erase_customer(session, event.customer_id)
    elif isinstance(event, CustomerMergedV1):
        await consent.merge(session, survivor_id=event.survivor_id, merged_id=event.merged_id)
        await delivery.merge_customer(session, survivor_id=event.survivor_id, merged_id=event.merged_id)
        await recipients.merge(session, survivor_id=event.survivor_id, merged_id=event.merged_id)


async def on_staff_event(session: AsyncSession, envelope: Envelope) -> None:
    """staff.*.v1 from the gateway's directory: the addresses messages to staff go to."""
    event = envelope.payload()
    if isinstance(event, StaffSnapshot):
        await recipients.apply_staff(session, envelope.aggregate_version, event)
