"""Consent (R-42): the local consent table both the customer events and the unsubscribe link write to (an
unsubscribe takes effect at once, before the customer service hears of it), and the look-ups sending needs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy import delete, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.events.notification import NotificationUnsubscribedV1
from notifier.consent.models import Consent
from notifier.consent.rules import NEEDS_CONSENT, Unsubscription, read_unsubscribe_token, unsubscribe_token
from notifier.settings import notifier_settings
from servicekit.clock import now
from servicekit.outbox import record_event


class Addressed(Protocol):
    """A message row as far as consent cares: whom, which channel, which purpose."""

    id: str
    customer_id: str | None
    contact_id: str | None
    channel: str
    purpose: str


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
                customer_id=customer_id,
                contact_id=contact_id,
                channel=channel,
                purpose=purpose,
                granted=granted,
                source=source,
                recorded_at=recorded_at,
            )
        )
    elif recorded_at >= row.recorded_at:
        row.granted, row.source, row.recorded_at = granted, source, recorded_at
    await session.flush()


async def withdraw(
    session: AsyncSession,
    customer_id: str,
    contact_id: str,
    channel: str,
    purpose: str,
    source: str,
    *,
    at: datetime | None = None,
) -> None:
    """The unsubscribe link's effect (R-42); pending messages are re-checked when the dispatcher claims them,
    so nothing more is sent for this channel and purpose."""
    await record(
        session,
        customer_id=customer_id,
        contact_id=contact_id,
        channel=channel,
        purpose=purpose,
        granted=False,
        source=source,
        recorded_at=at or now(session),
    )


async def granted(session: AsyncSession, customer_id: str, contact_id: str, channel: str, purpose: str) -> bool | None:
    """True/False as recorded, None when nothing is recorded."""
    return await session.scalar(
        select(Consent.granted).where(
            Consent.customer_id == customer_id,
            Consent.contact_id == contact_id,
            Consent.channel == channel,
            Consent.purpose == purpose,
        )
    )


async def granted_by_channel(
    session: AsyncSession, customer_id: str, contact_id: str | None, purpose: str
) -> dict[str, bool]:
    """One contact's recorded consents for a purpose, per channel; empty when the purpose needs none."""
    if contact_id is None or purpose not in NEEDS_CONSENT:
        return {}
    rows = await session.execute(
        select(Consent.channel, Consent.granted).where(
            Consent.customer_id == customer_id, Consent.contact_id == contact_id, Consent.purpose == purpose
        )
    )
    return {channel: granted for channel, granted in rows}


async def granted_for_customers(
    session: AsyncSession, customer_ids: Iterable[str]
) -> dict[tuple[str, str, str], dict[str, bool]]:
    """Every recorded consent of these customers: (customer, contact, purpose) -> channel -> granted."""
    found: dict[tuple[str, str, str], dict[str, bool]] = defaultdict(dict)
    for consent in await session.scalars(select(Consent).where(Consent.customer_id.in_(set(customer_ids)))):
        found[(consent.customer_id, consent.contact_id, consent.purpose)][consent.channel] = consent.granted
    return found


async def lacking_consent(session: AsyncSession, messages: Sequence[Addressed]) -> set[str]:
    """Ids of care/marketing messages whose contact has no consent (any more) for that channel and purpose."""
    needing = [m for m in messages if m.purpose in NEEDS_CONSENT and m.customer_id is not None]
    if not needing:
        return set()
    keys = {(m.customer_id, m.contact_id or "", m.channel, m.purpose) for m in needing}
    granted = {
        (c, k, ch, p)
        for c, k, ch, p in (
            await session.execute(
                select(Consent.customer_id, Consent.contact_id, Consent.channel, Consent.purpose).where(
                    tuple_(Consent.customer_id, Consent.contact_id, Consent.channel, Consent.purpose).in_(list(keys)),
                    Consent.granted.is_(True),
                )
            )
        ).all()
    }
    return {m.id for m in needing if (m.customer_id, m.contact_id or "", m.channel, m.purpose) not in granted}


async def erase(session: AsyncSession, customer_id: str) -> None:
    """R-09/R-42: an erased customer's consents are forgotten."""
    await session.execute(delete(Consent).where(Consent.customer_id == customer_id))


async def merge(session: AsyncSession, *, survivor_id: str, merged_id: str) -> None:
    """The merged customer's consents now belong to the survivor."""
    await session.execute(update(Consent).where(Consent.customer_id == merged_id).values(customer_id=survivor_id))


# -- the one-click unsubscribe link (R-42, RFC 8058) -------------------------------------------------------


def unsubscribe_link(customer_id: str, contact_id: str, channel: str, purpose: str) -> str:
    """The absolute URL a care or marketing message shows (R-42)."""
    settings = notifier_settings()
    token = unsubscribe_token(customer_id, contact_id, channel, purpose, secret=settings.unsubscribe_secret)
    return f"{settings.public_base_url.rstrip('/')}/unsubscribe/{token}"


def read_unsubscribe_link(token: str) -> Unsubscription:
    """Who, which channel and purpose an unsubscribe link names; BadToken when we did not sign it."""
    return read_unsubscribe_token(token, secret=notifier_settings().unsubscribe_secret)


async def unsubscribe(session: AsyncSession, found: Unsubscription, *, at: datetime | None = None) -> bool:
    """Withdraw the consent in the caller's transaction and tell the customer service (R-42).

    Idempotent: a second use of the same link changes nothing and records no second event.
    """
    if await granted(session, found.customer_id, found.contact_id, found.channel, found.purpose) is False:
        return False  # already withdrawn: the same link used twice
    at = at or now(session)
    await withdraw(
        session, found.customer_id, found.contact_id, found.channel, found.purpose, "unsubscribe_link", at=at
    )
    event = NotificationUnsubscribedV1(
        customer_id=found.customer_id,
        contact_id=found.contact_id,
        channel=found.channel,
        purpose=found.purpose,
        unsubscribed_at=at,
    )
    await record_event(session, event, aggregate_id=found.customer_id, aggregate_version=0)
    return True
