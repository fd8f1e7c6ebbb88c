"""Finding customers: filtered lists with cursor pages (search and segments grow here)."""

from __future__ import annotations

import base64
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from customer.models import Customer
from servicekit.auth import Principal, account_filter
from servicekit.errors import ApiError


async def get_all(
    session: AsyncSession,
    principal: Principal,
    *,
    limit: int,
    cursor: str | None,
    filters: dict[str, str],
) -> tuple[list[Customer], str | None]:
    query = select(Customer).order_by(Customer.created_at, Customer.id).limit(limit + 1)
    for field, value in filters.items():
        query = query.where(getattr(Customer, field) == value)
    visible = account_filter(principal, Customer.owner, Customer.team)
    if visible is not None:
        query = query.where(visible)
    if cursor:
        created_at, last_id = _decode_cursor(cursor)
        query = query.where(
            or_(Customer.created_at > created_at, and_(Customer.created_at == created_at, Customer.id > last_id))
        )
    rows = list((await session.scalars(query)).all())
    page, more = rows[:limit], len(rows) > limit
    return page, _encode_cursor(page[-1]) if more else None


def _encode_cursor(customer: Customer) -> str:
    raw = f"{customer.created_at.isoformat()}|{customer.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        created_at, last_id = raw.split("|", 1)
        return datetime.fromisoformat(created_at), last_id
    except (ValueError, UnicodeDecodeError):
        raise ApiError(422, "validation_error", "cursor: not a cursor this API returned", field="cursor") from None
