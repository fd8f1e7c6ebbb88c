"""Consent (R-42): the pure decision, and the local consent table both the customer events and the
unsubscribe endpoint write to (an unsubscribe takes effect at once, before the customer service hears of it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from notifier.models import Consent
from servicekit.db import utcnow

NEEDS_CONSENT = frozenset({"care", "marketing"})


def allowed(purpose: str, channel: str, granted: bool | None) -> tuple[bool, str | None]:
    """Service messages need no consent; care and marketing only with consent for that channel (R-42).
    Returns (allowed, reason when not)."""
    if purpose not in NEEDS_CONSENT:
        return True, None
    if granted:
        return True, None
    return False, "consent_withdrawn" if granted is False else "no_consent"


async def record(
    session: AsyncSession,
    *,
    customer_id: str,
    contact_id: str,
    channel: str,
    purpose: str,
    granted: bool,
    source: str,
    recorded_at: datetime,
) -> None:
    """Keep the newest decision per contact/channel/purpose; an older one arriving late changes nothing."""
    row = await session.get(Consent, (customer_id, contact_id, channel, purpose), with_for_update=True)
    if row is None:
        session.add(
            Consent(
                customer_id=customer_id, contact_id=contact_id, channel=channel, purpose=purpose,
                granted=granted, source=source, recorded_at=recorded_at,
            )
        )
    elif recorded_at >= row.recorded_at:
        row.granted, row.source, row.recorded_at = granted, source, recorded_at
    await session.flush()


async def withdraw(
    session: AsyncSession, customer_id: str, contact_id: str, channel: str, purpose: str, source: str,
    *, at: datetime | None = None,
) -> None:
    """The unsubscribe link's effect (R-42), called by notifier.unsubscribe; pending messages are re-checked
    when the dispatcher claims them, so nothing more is sent for this channel and purpose."""
    await record(
        session, customer_id=customer_id, contact_id=contact_id, channel=channel, purpose=purpose,
        granted=False, source=source, recorded_at=at or utcnow(),
    )


async def granted(session: AsyncSession, customer_id: str, contact_id: str, channel: str, purpose: str) -> bool | None:
    """True/False as recorded, None when nothing is recorded."""
    return await session.scalar(
        select(Consent.granted).where(
            Consent.customer_id == customer_id, Consent.contact_id == contact_id,
            Consent.channel == channel, Consent.purpose == purpose,
        )
    )
