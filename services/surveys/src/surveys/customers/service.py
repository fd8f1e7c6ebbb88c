"""Keep the customer read model and the consent of record (R-42); both only ever move forward in version."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.events.customer import CustomerConsentChangedV1
from surveys.customers.models import ContactConsent, CustomerView

# the purpose a periodic questionnaire is sent under: R-42 care messages need the contact's consent per channel
SURVEY_PURPOSE = "care"


async def save_view(session: AsyncSession, customer_id: str, version: int, **values: Any) -> None:
    view = await session.get(CustomerView, customer_id)
    if view is None:
        session.add(CustomerView(customer_id=customer_id, version=version, tags=[], **values))
    else:
        for key, value in values.items():
            setattr(view, key, value)
        view.version = version
    await session.flush()


async def record_consent(session: AsyncSession, event: CustomerConsentChangedV1, version: int) -> None:
    key = (event.customer_id, event.contact_id, str(event.channel), str(event.purpose))
    row = await session.get(ContactConsent, key, with_for_update=True)
    if row is not None and version <= row.version:
        return  # an older or repeated consent change: ours is newer
    if row is None:
        row = ContactConsent(
            customer_id=key[0], contact_id=key[1], channel=key[2], purpose=key[3], granted=event.granted, version=0
        )
        session.add(row)
    row.granted, row.version, row.recorded_at = event.granted, version, event.recorded_at
    await session.flush()


async def merge(session: AsyncSession, merged_id: str, survivor_id: str, version: int) -> None:
    await session.execute(
        update(CustomerView).where(CustomerView.customer_id == merged_id).values(merged_into=survivor_id)
    )
    await session.execute(
        update(ContactConsent).where(ContactConsent.customer_id == merged_id).values(customer_id=survivor_id)
    )


async def consenting_contacts(session: AsyncSession, customer_id: str) -> dict[str, list[str]]:
    """Contact id -> the channels it consented to for survey questionnaires (R-42)."""
    rows = await session.execute(
        select(ContactConsent.contact_id, ContactConsent.channel).where(
            ContactConsent.customer_id == customer_id,
            ContactConsent.purpose == SURVEY_PURPOSE,
            ContactConsent.granted.is_(True),
        )
    )
    found: dict[str, list[str]] = {}
    for contact_id, channel in rows:
        found.setdefault(contact_id, []).append(channel)
    return found
