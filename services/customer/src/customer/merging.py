"""Merging a duplicate into the record that stays (issue 3 point 6).

Contacts (with their phones and emails), consents, pending changes and classification history move to the
survivor; the merged record keeps its own audit trail, gets `merged_into` and drops out of lists and search.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.events.customer import CustomerMergedV1, CustomerTagsChangedV1
from customer import audit, contacts, events, records
from customer.models import ClassificationChange, Consent, Contact, ContactPoint, Customer, PendingChange
from servicekit.auth import Principal
from servicekit.db import utcnow
from servicekit.errors import ApiError

MOVED = (Contact, ContactPoint, Consent, PendingChange, ClassificationChange)


async def merge(session: AsyncSession, principal: Principal, survivor_id: str, merged_id: str) -> Customer:
    if survivor_id == merged_id:
        raise ApiError(409, "conflict", "a customer cannot be merged into itself", field="merged_id")
    # lock both rows in id order, so two merges of the same pair cannot deadlock
    locked = {cid: await records.get(session, principal, cid, for_update=True, include_merged=True) for cid in sorted((survivor_id, merged_id))}
    survivor, merged = locked[survivor_id], locked[merged_id]
    for customer, field in ((survivor, "survivor"), (merged, "merged_id")):
        if customer.merged_into or customer.erased_at:
            raise ApiError(409, "conflict", f"customer {customer.number} is already merged or erased", field=field)
    had_primary = any(contact.primary for contact in survivor.contacts)
    moved_contacts = len(merged.contacts)
    for model in MOVED:
        await session.execute(update(model).where(model.customer_id == merged.id).values(customer_id=survivor.id))
    if had_primary:
        await session.execute(update(Contact).where(Contact.id.in_([c.id for c in merged.contacts])).values(primary=False))
    now = utcnow()
    before = list(survivor.tags or [])
    survivor.tags = records.normalise_tags([*before, *(merged.tags or [])])
    merged.merged_into = survivor.id
    for customer in (survivor, merged):
        customer.version += 1
        customer.updated_at = now
    await session.flush()
    await session.refresh(survivor, ["contacts"])
    contacts.ensure_one_primary(survivor)
    audit.record(session, principal, "merge", customer_id=survivor.id, merged_id=merged.id, contacts=moved_contacts)
    audit.record(session, principal, "merged_into", customer_id=merged.id, survivor_id=survivor.id)
    await events.emit(session, merged, CustomerMergedV1(survivor_id=survivor.id, merged_id=merged.id))
    await events.emit(session, survivor, events.contacts_changed(survivor))
    if survivor.tags != before:  # R-04: the survivor carries both records' tags
        added = [tag for tag in survivor.tags if tag not in before]
        await events.emit(session, survivor, CustomerTagsChangedV1(customer_id=survivor.id, tags=survivor.tags, added=added, removed=[]))
    return survivor
