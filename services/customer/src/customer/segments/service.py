"""Saved segments: validated search filters with a name, for campaigns in other services.

Members are computed on demand by the search filter engine, always through the caller's R-09 visibility.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from customer.audit import service as audit
from customer.records.models import Customer
from customer.search.schemas import CustomerFilters
from customer.search.service import get_all
from customer.segments.models import Segment
from customer.segments.schemas import SegmentIn
from servicekit import access, clock
from servicekit.auth import Principal
from servicekit.errors import ApiError, not_found

EDITORS = access.ASSIGNERS  # besides the segment's author


def view(segment: Segment) -> dict[str, Any]:
    return {
        "id": segment.id,
        "name": segment.name,
        "filters": segment.filters,
        "created_by": segment.created_by,
        "team": segment.team,
        "created_at": segment.created_at,
        "updated_at": segment.updated_at,
    }


async def create(session: AsyncSession, principal: Principal, body: SegmentIn) -> Segment:
    now = clock.now(session)
    segment = Segment(
        id=str(uuid.uuid4()),
        name=body.name,
        filters=_stored(body.filters),
        created_by=principal.subject,
        team=principal.team,
        created_at=now,
        updated_at=now,
    )
    session.add(segment)
    audit.record(session, principal, "segment_created", segment_id=segment.id)
    return segment


async def get(session: AsyncSession, segment_id: str) -> Segment:
    segment = await session.get(Segment, segment_id)
    if segment is None:
        raise not_found("segment", segment_id)
    return segment


async def get_list(session: AsyncSession) -> list[Segment]:
    return list((await session.scalars(select(Segment).order_by(Segment.name, Segment.id))).all())


async def replace(session: AsyncSession, principal: Principal, segment_id: str, body: SegmentIn) -> Segment:
    segment = await _editable(session, principal, segment_id)
    segment.name, segment.filters, segment.updated_at = body.name, _stored(body.filters), clock.now(session)
    audit.record(session, principal, "segment_changed", segment_id=segment.id)
    return segment


async def delete(session: AsyncSession, principal: Principal, segment_id: str) -> None:
    segment = await _editable(session, principal, segment_id)
    await session.delete(segment)
    audit.record(session, principal, "segment_deleted", segment_id=segment.id)


async def members(
    session: AsyncSession, principal: Principal, segment_id: str, *, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    segment = await get(session, segment_id)
    filters = CustomerFilters.model_validate(segment.filters)
    rows, next_cursor = await get_all(
        session, principal, limit=limit, cursor=cursor, filters=filters, columns=(Customer.name,)
    )
    return [{"id": row.id, "number": row.number, "name": row.name} for row in rows], next_cursor


async def _editable(session: AsyncSession, principal: Principal, segment_id: str) -> Segment:
    segment = await get(session, segment_id)
    if segment.created_by != principal.subject and not principal.has_any(*EDITORS):
        raise ApiError(403, "forbidden", "only the segment's author or a supervisor, manager or admin may change it")
    return segment


def _stored(filters: CustomerFilters) -> dict[str, Any]:
    return filters.model_dump(mode="json", exclude_defaults=True)
