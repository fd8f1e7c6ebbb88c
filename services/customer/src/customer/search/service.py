"""Finding customers: one filter engine for lists, search, segments and exports.

Always R-09 visibility (`access.visible_filter`) and never merged or erased records. Pages use keyset cursors:
plain lists are ordered by customer number (unique index), searches by similarity then id.
"""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from sqlalchemy import ColumnElement, Select, String, and_, cast, exists, func, literal, or_, select
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from customer.contacts.models import ContactPoint
from customer.records.models import Customer
from customer.records.service import live
from customer.search.rules import contains_pattern, search_key
from customer.search.schemas import CustomerFilters
from servicekit.access import visible_filter
from servicekit.auth import Principal
from servicekit.errors import ApiError

if TYPE_CHECKING:
    from starlette.datastructures import QueryParams


def parse_filters(raw: dict[str, Any]) -> CustomerFilters:
    """Query parameters or a stored segment -> filters; bad input is a 422 naming the field."""
    try:
        return CustomerFilters.model_validate({k: v for k, v in raw.items() if v not in (None, [], "")})
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"]) or "filters"
        message = "unknown filter" if error["type"] == "extra_forbidden" else error["msg"]
        raise ApiError(422, "validation_error", f"{field}: {message}", field=field) from None


def filters_from_query(params: QueryParams) -> CustomerFilters:
    """The filters of a query string (lists: repeat the parameter, e.g. tags_any=a&tags_any=b)."""
    raw: dict[str, Any] = {k: v for k, v in params.items() if k not in ("limit", "cursor", "format")}
    for name in ("tags_any", "tags_all"):
        if name in params:
            raw[name] = [tag for value in params.getlist(name) for tag in value.split(",")]
    return parse_filters(raw)


EQUAL_FIELDS = ("customer_type", "stage", "tier", "service_level", "risk_state", "owner", "team", "industry")


def filtered(query: Select[Any], filters: CustomerFilters, principal: Principal, dialect: str) -> Select[Any]:
    query = live(query)
    visible = visible_filter(principal, Customer.owner, Customer.team)
    if visible is not None:
        query = query.where(visible)
    for field in EQUAL_FIELDS:
        value = getattr(filters, field)
        if value is not None:
            query = query.where(getattr(Customer, field) == value)
    if filters.last_contact_before:
        query = query.where(Customer.last_contact_at < filters.last_contact_before)
    if filters.last_contact_after:
        query = query.where(Customer.last_contact_at >= filters.last_contact_after)
    if filters.tags_any:
        query = query.where(_tags(filters.tags_any, dialect, every=False))
    if filters.tags_all:
        query = query.where(_tags(filters.tags_all, dialect, every=True))
    if filters.q:
        query = query.where(_name_matches(search_key(filters.q), dialect))
    return query


def _tags(tags: list[str], dialect: str, *, every: bool) -> ColumnElement[bool]:
    if dialect == "postgresql":
        return cast(Customer.tags, JSONB).op("?&" if every else "?|")(cast(tags, ARRAY(String)))

    def has(tag: str) -> ColumnElement[bool]:
        each = func.json_each(Customer.tags).table_valued("value")
        return exists(select(1).select_from(each).where(each.c.value == tag))

    checks = [has(tag) for tag in tags]
    return and_(*checks) if every else or_(*checks)


def _name_matches(key: str, dialect: str) -> ColumnElement[bool]:
    partial = Customer.search_name.like(contains_pattern(key), escape="\\")
    if dialect != "postgresql":
        return partial
    # `<%`: the query is similar to some part of the name (typos, missing characters); GIN trigram index
    return or_(partial, literal(key).op("<%")(Customer.search_name))


def _score(key: str, dialect: str) -> ColumnElement[float]:
    if dialect == "postgresql":
        return func.word_similarity(key, Customer.search_name) + func.similarity(key, Customer.search_name)
    return -func.length(Customer.search_name)  # SQLite: shorter names contain more of the query


async def get_all(
    session: AsyncSession,
    principal: Principal,
    *,
    limit: int,
    cursor: str | None,
    filters: CustomerFilters,
    columns: tuple[Any, ...] | None = None,
) -> tuple[list[Any], str | None]:
    """One page of customers (or of `columns`), and the cursor of the next page."""
    dialect = session.bind.dialect.name
    base = select(*columns, Customer.id, Customer.number) if columns else select(Customer)
    query = filtered(base, filters, principal, dialect)
    if filters.q:
        score = _score(search_key(filters.q), dialect).label("score")
        query = query.add_columns(score).order_by(score.desc(), Customer.id)
        if cursor:
            last_score, last_id = _decode(cursor, 2)
            query = query.where(or_(score < last_score, and_(score == last_score, Customer.id > last_id)))
    else:
        query = query.order_by(Customer.number)
        if cursor:
            (last_number,) = _decode(cursor, 1)
            query = query.where(Customer.number > last_number)
    rows = (await session.execute(query.limit(limit + 1))).all()
    page, more = rows[:limit], len(rows) > limit
    next_cursor = None
    if more:
        last = page[-1] if columns else page[-1][0]
        next_cursor = _encode([float(page[-1].score), last.id] if filters.q else [last.number])
    return [row if columns else row[0] for row in page], next_cursor


async def stream(
    session: AsyncSession, principal: Principal, filters: CustomerFilters, *, batch: int = 1000
) -> AsyncIterator[list[Customer]]:
    """Every matching customer, page by page (exports)."""
    cursor: str | None = None
    while True:
        page, cursor = await get_all(session, principal, limit=batch, cursor=cursor, filters=filters)
        if page:
            yield page
        if cursor is None:
            return


def _encode(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def _decode(cursor: str, size: int) -> list[Any]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(values, list) or len(values) != size:
            raise ValueError(cursor)
        return values
    except (ValueError, UnicodeDecodeError):
        raise ApiError(422, "validation_error", "cursor: not a cursor this API returned", field="cursor") from None


async def lookup(session: AsyncSession, principal: Principal, *, kind: str, value_index: str) -> list[Customer]:
    """Exact phone/email lookup through the blind index (the caller normalised the value the stored way)."""
    owners = select(ContactPoint.customer_id).where(ContactPoint.kind == kind, ContactPoint.value_index == value_index)
    query = filtered(
        select(Customer).where(Customer.id.in_(owners)), CustomerFilters(), principal, session.bind.dialect.name
    )
    return list((await session.scalars(query.order_by(Customer.number).limit(50))).all())


async def only_visible(
    session: AsyncSession, principal: Principal, found: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Drop the entries (with a `customer_id`) of customers the caller may not see (R-09)."""
    visible = visible_filter(principal, Customer.owner, Customer.team)
    if visible is None or not found:
        return found
    ids = [item["customer_id"] for item in found]
    allowed = set((await session.scalars(select(Customer.id).where(Customer.id.in_(ids), visible))).all())
    return [item for item in found if item["customer_id"] in allowed]
