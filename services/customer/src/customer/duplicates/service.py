"""Likely duplicates of a customer, and merging a duplicate into the record that stays.

Likely duplicates share a phone or email, or have a very similar name. Phones and emails are compared by blind
index (`ContactPoint.value_index`), never as plaintext. Names: pg_trgm similarity on `search_name` on PostgreSQL
(GIN index); SQLite has no trigrams, so it falls back to equal or contained search keys, scored with difflib.

Merging moves contacts (with their phones and emails), consents, pending changes and classification history to
the survivor; the merged record keeps its own audit trail, gets `merged_into` and drops out of lists and search.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.events.customer import CustomerMergedV1, CustomerTagsChangedV1
from customer.audit import service as audit
from customer.classification.models import ClassificationChange
from customer.consent.models import Consent
from customer.contacts import service as contacts
from customer.contacts.models import Contact, ContactPoint
from customer.duplicates.rules import NAME_SIMILARITY, SAME_CONTACT_SCORE, core
from customer.events import contacts_changed, emit
from customer.key_information.models import PendingChange
from customer.records import service as records
from customer.records.models import Customer
from customer.records.rules import normalise_tags
from customer.records.service import live
from customer.search.rules import search_key
from servicekit import clock
from servicekit.auth import Principal
from servicekit.errors import ApiError


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
        .where(
            or_(
                Customer.search_name == key,
                Customer.search_name.contains(core(key), autoescape=True),
                func.instr(key, Customer.search_name) > 0,
            )
        )
        .where(Customer.search_name != "")
        .limit(limit * 5)
    )
    scored = [
        (row, round(difflib.SequenceMatcher(None, key, row.search_name).ratio(), 3))
        for row in await session.execute(query)
    ]
    return sorted([item for item in scored if item[1] >= NAME_SIMILARITY], key=lambda item: -item[1])[:limit]


def _entry(row: Any, reason: str, score: float) -> dict[str, Any]:
    return {"customer_id": row.id, "number": row.number, "name": row.name, "reason": reason, "score": score}


# --- merging -------------------------------------------------------------------------------------------

MOVED = (Contact, ContactPoint, Consent, PendingChange, ClassificationChange)


async def merge(session: AsyncSession, principal: Principal, survivor_id: str, merged_id: str) -> Customer:
    if survivor_id == merged_id:
        raise ApiError(409, "conflict", "a customer cannot be merged into itself", field="merged_id")
    # lock both rows in id order, so two merges of the same pair cannot deadlock
    locked = {
        cid: await records.get(session, principal, cid, for_update=True, include_merged=True)
        for cid in sorted((survivor_id, merged_id))
    }
    survivor, merged = locked[survivor_id], locked[merged_id]
    for customer, field in ((survivor, "survivor"), (merged, "merged_id")):
        if customer.merged_into or customer.erased_at:
            raise ApiError(409, "conflict", f"customer {customer.number} is already merged or erased", field=field)
    had_primary = any(contact.primary for contact in survivor.contacts)
    moved_contacts = len(merged.contacts)
    for model in MOVED:
        await session.execute(update(model).where(model.customer_id == merged.id).values(customer_id=survivor.id))
    if had_primary:
        await session.execute(
            update(Contact).where(Contact.id.in_([c.id for c in merged.contacts])).values(primary=False)
        )
    now = clock.now(session)
    before = list(survivor.tags or [])
    survivor.tags = normalise_tags([*before, *(merged.tags or [])])
    merged.merged_into = survivor.id
    for customer in (survivor, merged):
        customer.version += 1
        customer.updated_at = now
    await session.flush()
    await session.refresh(survivor, ["contacts"])
    contacts.ensure_one_primary(survivor)
    audit.record(session, principal, "merge", customer_id=survivor.id, merged_id=merged.id, contacts=moved_contacts)
    audit.record(session, principal, "merged_into", customer_id=merged.id, survivor_id=survivor.id)
    await emit(session, merged, CustomerMergedV1(survivor_id=survivor.id, merged_id=merged.id))
    await emit(session, survivor, contacts_changed(survivor))
    if survivor.tags != before:  # R-04: the survivor carries both records' tags
        added = [tag for tag in survivor.tags if tag not in before]
        await emit(
            session,
            survivor,
            CustomerTagsChangedV1(customer_id=survivor.id, tags=survivor.tags, added=added, removed=[]),
        )
    return survivor
