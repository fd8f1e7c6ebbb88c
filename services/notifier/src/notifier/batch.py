"""Per-batch lookups for the request pipeline: one query per kind for a whole batch of requests (known keys,
recipients and contacts, consents, recent messages for the cap) instead of several per request. The cache
lives in the batch's session and is kept current as the batch writes (keys seen, cap counts)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from notifier.models import Consent, Message, Recipient, RecipientContact

KEY = "notifier_batch"
COUNTED = ("pending", "deferred", "sending", "sent")  # messages the frequency cap counts


@dataclass
class BatchCache:
    keys: set[str] = field(default_factory=set)
    recipients: dict[str, tuple[Recipient, list[RecipientContact]]] = field(default_factory=dict)
    consents: dict[tuple[str, str, str], dict[str, bool]] = field(default_factory=lambda: defaultdict(dict))
    recent: dict[tuple[str, str], list[datetime]] = field(default_factory=lambda: defaultdict(list))


def cache(session: AsyncSession) -> BatchCache | None:
    return session.info.get(KEY)


async def prefetch(
    session: AsyncSession, *, keys: Sequence[str], customer_ids: Sequence[str], since: datetime | None
) -> BatchCache:
    """Load everything the batch's requests will look up; `since`: the oldest cap window start (None = no cap)."""
    found = BatchCache()
    if keys:
        found.keys.update(await session.scalars(select(Message.idempotency_key).where(Message.idempotency_key.in_(set(keys)))))
    ids = set(customer_ids)
    if ids:
        contacts: dict[str, list[RecipientContact]] = defaultdict(list)
        for contact in await session.scalars(select(RecipientContact).where(RecipientContact.customer_id.in_(ids))):
            contacts[contact.customer_id].append(contact)
        for recipient in await session.scalars(select(Recipient).where(Recipient.customer_id.in_(ids))):
            found.recipients[recipient.customer_id] = (recipient, contacts[recipient.customer_id])
        for consent in await session.scalars(select(Consent).where(Consent.customer_id.in_(ids))):
            found.consents[(consent.customer_id, consent.contact_id, consent.purpose)][consent.channel] = consent.granted
        if since is not None:
            rows = await session.execute(
                select(Message.customer_id, Message.purpose, func.min(Message.due_at))
                .where(Message.customer_id.in_(ids), Message.status.in_(COUNTED), Message.due_at > since)
                .group_by(Message.customer_id, Message.purpose, Message.idempotency_key)
            )
            for customer_id, purpose, due_at in rows:
                found.recent[(customer_id, purpose)].append(due_at)
    session.info[KEY] = found
    return found


def oldest_window_start(now: datetime, caps: dict[str, tuple[int, int]]) -> datetime | None:
    return now - timedelta(days=max(days for _, days in caps.values())) if caps else None
