"""Likely duplicates of a customer (issue 3 point 6): the same phone or email, or a very similar name.

Phones and emails are compared by blind index (`ContactPoint.value_index`), never as plaintext.
Names: pg_trgm similarity on `search_name` on PostgreSQL (GIN index); SQLite has no trigrams, so
it falls back to equal or contained search keys, scored with difflib.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from customer.models import ContactPoint, Customer
from customer.names import search_key

# a name this similar (0..1, trigram similarity) to an existing one is reported
NAME_SIMILARITY = 0.6
SAME_CONTACT_SCORE = 1.0


def live(query: Any) -> Any:
    """Merged and erased records are never offered as duplicates (nor listed, nor found)."""
    return query.where(Customer.merged_into.is_(None), Customer.erased_at.is_(None))


async def find_likely(
    session: AsyncSession,
    *,
    name: str | None = None,
    phone_indexes: Iterable[str] = (),
    email_indexes: Iterable[str] = (),
    exclude_id: str | None = None,
    limit: int = 10,
) -> list[dict[str, Any]]:
    """[{customer_id, number, name, reason: same_phone|same_email|similar_name, score}], best first.

    One entry per customer, with its strongest reason (a shared phone or email beats a similar name).
    """
    found: dict[str, dict[str, Any]] = {}
    for kind, indexes in (("phone", set(phone_indexes)), ("email", set(email_indexes))):
        if not indexes:
            continue
        query = live(
            select(Customer.id, Customer.number, Customer.name)
            .join(ContactPoint, ContactPoint.customer_id == Customer.id)
            .where(ContactPoint.kind == kind, ContactPoint.value_index.in_(indexes))
            .distinct()
            .limit(limit)
        )
        for row in await session.execute(query):
            found.setdefault(row.id, _entry(row, f"same_{kind}", SAME_CONTACT_SCORE))
    key = search_key(name or "")
    if key:
        for row, score in await _similar_names(session, key, limit):
            found.setdefault(row.id, _entry(row, "similar_name", score))
    found.pop(exclude_id, None)  # type: ignore[arg-type]
    return sorted(found.values(), key=lambda item: (-item["score"], item["number"]))[:limit]


# words nearly every company name has: trigram posting lists that long make a lookup read much of the table
COMMON_WORDS = re.compile(
    r"(股份有限公司|有限责任公司|有限公司|集团|股份|公司|\b(co|ltd|inc|llc|corp|corporation|company|limited|gmbh|b\.?v|group)\b\.?)",
)


def core(key: str) -> str:
    """The distinctive part of a folded name: 'beijing acme co., ltd.' -> 'beijing acme'."""
    return " ".join(COMMON_WORDS.sub(" ", key).replace(",", " ").split()) or key


async def _similar_names(session: AsyncSession, key: str, limit: int) -> list[tuple[Any, float]]:
    columns = (Customer.id, Customer.number, Customer.name)
    if session.bind.dialect.name == "postgresql":
        similarity = func.similarity(Customer.search_name, key)
        # candidates: names containing something like the distinctive part (`<%`, GIN trigram index),
        # then the whole names must be this similar
        query = live(
            select(*columns, similarity.label("score"))
            .where(literal(core(key)).op("<%")(Customer.search_name), similarity >= NAME_SIMILARITY)
            .order_by(similarity.desc(), Customer.id)
            .limit(limit)
        )
        return [(row, round(float(row.score), 3)) for row in await session.execute(query)]
    query = live(
        select(*columns, Customer.search_name)
        .where(or_(Customer.search_name == key, Customer.search_name.contains(core(key), autoescape=True),
                   func.instr(key, Customer.search_name) > 0))
        .where(Customer.search_name != "")
        .limit(limit * 5)
    )
    scored = [(row, round(difflib.SequenceMatcher(None, key, row.search_name).ratio(), 3)) for row in await session.execute(query)]
    return sorted([item for item in scored if item[1] >= NAME_SIMILARITY], key=lambda item: -item[1])[:limit]


def _entry(row: Any, reason: str, score: float) -> dict[str, Any]:
    return {"customer_id": row.id, "number": row.number, "name": row.name, "reason": reason, "score": score}
