"""The staff in-app inbox (R-40): the in_app channel delivers here; staff read their own items."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from notifier.staff_inbox.models import InboxItem
from servicekit.clock import now
from servicekit.errors import not_found


async def deliver(
    session: AsyncSession,
    *,
    staff: str,
    subject: str | None,
    text: str,
    notification_id: str,
    purpose: str,
    at: datetime | None = None,
) -> str:
    """Store one item for `staff`; delivering the same notification again returns the first item's id."""
    existing = await session.scalar(select(InboxItem.id).where(InboxItem.notification_id == notification_id))
    if existing is not None:
        return str(existing)
    item = InboxItem(
        staff=staff,
        notification_id=notification_id,
        purpose=purpose,
        subject=subject,
        text=text,
        created_at=at or now(session),
        read_at=None,
    )
    session.add(item)
    await session.flush()
    return str(item.id)


async def get_all(
    session: AsyncSession, *, staff: str, unread_only: bool = False, before: int | None = None, limit: int = 50
) -> Sequence[InboxItem]:
    """The caller's items, newest first; `before` is the cursor (the last id of the previous page)."""
    query = select(InboxItem).where(InboxItem.staff == staff)
    if unread_only:
        query = query.where(InboxItem.read_at.is_(None))
    if before is not None:
        query = query.where(InboxItem.id < before)
    return (await session.scalars(query.order_by(InboxItem.id.desc()).limit(limit))).all()


async def unread_count(session: AsyncSession, *, staff: str) -> int:
    return (
        await session.scalar(
            select(func.count()).select_from(InboxItem).where(InboxItem.staff == staff, InboxItem.read_at.is_(None))
        )
        or 0
    )


async def mark_read(session: AsyncSession, *, staff: str, item_id: int) -> InboxItem:
    """Mark one of the caller's items read (idempotent); another staff member's item is not found."""
    item = await session.get(InboxItem, item_id)
    if item is None or item.staff != staff:
        raise not_found("inbox item", item_id)
    if item.read_at is None:
        item.read_at = now(session)
    return item


async def mark_all_read(session: AsyncSession, *, staff: str) -> int:
    result = await session.execute(
        update(InboxItem).where(InboxItem.staff == staff, InboxItem.read_at.is_(None)).values(read_at=now(session))
    )
    return result.rowcount or 0
