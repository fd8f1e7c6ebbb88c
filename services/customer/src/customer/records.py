"""R-01 customer records: create, read (masked or not), update; tags (R-04), risk (R-07), figures (R-03).

`present(customer, principal)` is the one response builder: lookup, search and data export reuse it.
Services never commit; every change writes an audit row and its events in the caller's transaction.
"""

from __future__ import annotations

import unicodedata
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.events.customer import (
    CustomerRegisteredV1,
    CustomerRiskChangedV1,
    CustomerTagsChangedV1,
    CustomerUpdatedV1,
)
from customer import audit, contacts, erasure, events, lag, ownership, pending, privacy, rules, tiering
from customer.models import Customer, PendingChange
from customer.names import search_key
from customer.schemas import CustomerCreate, CustomerUpdate, FiguresUpdate
from servicekit.auth import Principal, Role, sees_account
from servicekit.db import utcnow
from servicekit.errors import ApiError, not_found
from servicekit.numbering import next_number

NUMBER_PREFIX = "KH"  # 客户 numbers, KH-2026-000123
OWNER_SETTERS = (Role.supervisor, Role.manager, Role.admin)  # owners change by hand only through these
NEEDS_FIELDS = ("key_needs", "pain_points", "service_preferences")  # R-06 "needs" changes


# --- reading -------------------------------------------------------------------------------------------

async def get(
    session: AsyncSession, principal: Principal, customer_id: str, *, for_update: bool = False, include_merged: bool = False
) -> Customer:
    customer = await session.get(Customer, customer_id, with_for_update=for_update or None)
    # another team's customer is reported as missing, so ids cannot be probed
    if customer is None or not sees_account(principal, owner=customer.owner, team=customer.team):
        raise not_found("customer", customer_id)
    if customer.merged_into and not include_merged:
        # its data lives on in the survivor; the pointer lets clients follow it
        raise ApiError(404, "customer_merged", f"customer {customer_id} was merged into {customer.merged_into}")
    return customer


def present(customer: Customer, principal: Principal) -> dict[str, Any]:
    """The full view: profile, classification, tags, risk, owner, figures, contacts.

    Contact phones, emails and birthdays are masked unless `privacy.sees_contact_data` (R-09); when they are
    not, the caller must audit the read (`read` does).
    """
    unmasked = privacy.sees_contact_data(principal, owner=customer.owner)
    return {
        "id": customer.id,
        "number": customer.number,
        "name": customer.name,
        **{field: getattr(customer, field) for field in PROFILE_FIELDS},
        "cooperation_history": list(customer.cooperation_history or []),
        "customer_type": customer.customer_type,
        "stage": customer.stage,
        "tier": customer.tier,
        "service_level": customer.service_level,
        "tags": list(customer.tags or []),
        "risk_state": customer.risk_state,
        "owner": customer.owner,
        "team": customer.team,
        "figures": {
            "revenue_12m": customer.revenue_12m,
            "orders_12m": customer.orders_12m,
            "complaints_12m": customer.complaints_12m,
            "survey_score": customer.survey_score,
            "as_of": customer.figures_as_of,
        },
        "contacts": [contacts.present(contact, unmasked=unmasked) for contact in customer.contacts],
        "contact_data_masked": not unmasked,
        "version": customer.version,
        "created_at": customer.created_at,
        "updated_at": customer.updated_at,
    }


def view(session: AsyncSession, principal: Principal, customer: Customer) -> dict[str, Any]:
    """`present`, plus the audit row R-09 asks for whenever unmasked contact data leaves the service."""
    shown = present(customer, principal)
    if not shown["contact_data_masked"] and customer.contacts:
        audit.record(session, principal, "read_contact_data", customer_id=customer.id, contacts=len(customer.contacts))
    return shown


async def read(session: AsyncSession, principal: Principal, customer_id: str) -> dict[str, Any]:
    return view(session, principal, await get(session, principal, customer_id))


PROFILE_FIELDS = (
    "industry", "size", "address", "source", "key_needs", "pain_points", "service_preferences",
    "service_type", "time_zone", "language",
)


# --- creating and changing -----------------------------------------------------------------------------

def normalise_tags(tags: list[str]) -> list[str]:
    """R-04: width-folded, lower-cased, single-spaced, de-duplicated in the order given."""
    seen: dict[str, None] = {}
    for tag in tags:
        key = " ".join(unicodedata.normalize("NFKC", tag).casefold().split())
        if key:
            seen.setdefault(key, None)
    return list(seen)


async def create(session: AsyncSession, principal: Principal, data: CustomerCreate) -> Customer:
    now = utcnow()
    values = data.model_dump(mode="json", exclude={"contacts", "tags"})
    customer = Customer(
        id=str(uuid.uuid4()),
        number=await next_number(session, NUMBER_PREFIX),
        **{**values, "cooperation_history": values["cooperation_history"] or []},
        search_name=search_key(data.name),
        tags=normalise_tags(data.tags),
        risk_state="normal",
        owner_set_by_hand=data.owner is not None,
        revenue_12m=0, orders_12m=0, complaints_12m=0, figures_version=0,
        version=1,
        created_at=now,
        updated_at=now,
        created_by=principal.subject,
    )
    customer.contacts = []
    rule = None if data.owner else await ownership.apply_rule(session, customer)
    session.add(customer)
    for entry in data.contacts:
        lag.entered(session, "contact", entry.learned_at, now)
        contacts.build(customer, entry, now)
    contacts.ensure_one_primary(customer)
    await events.emit(session, customer, CustomerRegisteredV1(
        customer_id=customer.id, number=customer.number, name=customer.name, industry=customer.industry,
        source=customer.source, customer_type=customer.customer_type, stage=customer.stage, tier=customer.tier,
        service_level=customer.service_level, owner=customer.owner, team=customer.team,
        time_zone=customer.time_zone, language=customer.language, registered_at=now,
    ))
    if rule is not None:
        await events.emit(session, customer, events.owner_assigned(customer, None, f"owner rule {rule.id}"))
    if customer.contacts:
        await events.emit(session, customer, events.contacts_changed(customer))
    if customer.tags:
        await events.emit(session, customer, CustomerTagsChangedV1(customer_id=customer.id, tags=customer.tags, added=customer.tags, removed=[]))
    audit.record(session, principal, "create", customer_id=customer.id,
                 fields=sorted(data.model_fields_set), contacts=len(data.contacts))
    return customer


async def update(
    session: AsyncSession, principal: Principal, customer_id: str, data: CustomerUpdate
) -> tuple[Customer, list[PendingChange]]:
    """Apply what was sent. `key_needs` is key information (R-05): it becomes a pending change instead."""
    customer = await get(session, principal, customer_id, for_update=True)
    erasure.ensure_not_erased(customer)
    if ({"owner", "team"} & data.model_fields_set) and not principal.has_any(*OWNER_SETTERS):
        raise ApiError(403, "forbidden", "owner and team are set by a supervisor, manager or admin (R-08)")
    now = utcnow()
    requested = data.model_dump(mode="json", exclude_unset=True, exclude={"learned_at"})
    waiting: list[PendingChange] = []
    needs_sent = [f for f in NEEDS_FIELDS if f in requested and requested[f] != getattr(customer, f)]
    learned_at = lag.entered(session, "needs", data.learned_at, now) if needs_sent else (data.learned_at or now)
    if "key_needs" in requested:
        new_needs = requested.pop("key_needs")
        if new_needs != customer.key_needs:
            waiting.append(pending.request(session, principal, customer, None, "key_needs", customer.key_needs, new_needs, learned_at))
    change = rules.diff({field: getattr(customer, field) for field in requested}, requested)
    if not change.changed:
        return customer, waiting
    for field, value in change.changed.items():
        setattr(customer, field, value)
    if "name" in change.changed:
        customer.search_name = search_key(customer.name)
    if change.ownership_changed:
        customer.owner_set_by_hand = True
    customer.version += 1
    customer.updated_at = now
    await _record_change_events(session, customer, change, principal)
    audit.record(session, principal, "update", customer_id=customer.id, fields=sorted(change.changed),
                 learned_at=learned_at.isoformat() if needs_sent else None)
    return customer, waiting


async def _record_change_events(session: AsyncSession, customer: Customer, change: rules.Change, principal: Principal) -> None:
    if change.profile_fields:
        profile = {field: getattr(customer, field) for field in change.profile_fields if field != "cooperation_history"}
        await events.emit(session, customer, CustomerUpdatedV1(customer_id=customer.id, changed=change.profile_fields, profile=profile))
    if change.classification_changed:
        previous = {k: str(v) for k, v in change.previous.items() if k in rules.CLASSIFICATION_FIELDS}
        await tiering.record_hand_change(session, customer, previous, principal)
    if change.ownership_changed:
        previous_owner = change.previous.get("owner", customer.owner)
        await events.emit(session, customer, events.owner_assigned(customer, previous_owner, f"assigned by hand by {principal.subject}"))  # type: ignore[arg-type]
    elif {"industry", "service_type"} & set(change.changed):
        previous_owner = customer.owner
        rule = await ownership.apply_rule(session, customer)
        if rule is not None:
            await events.emit(session, customer, events.owner_assigned(customer, previous_owner, f"owner rule {rule.id}"))


async def set_tags(session: AsyncSession, principal: Principal, customer_id: str, tags: list[str]) -> Customer:
    customer = await get(session, principal, customer_id, for_update=True)
    new = normalise_tags(tags)
    old = list(customer.tags or [])
    if new == old:
        return customer
    customer.tags = new
    customer.version += 1
    customer.updated_at = utcnow()
    added, removed = [t for t in new if t not in old], [t for t in old if t not in new]
    await events.emit(session, customer, CustomerTagsChangedV1(customer_id=customer.id, tags=new, added=added, removed=removed))
    audit.record(session, principal, "tags_changed", customer_id=customer.id, added=len(added), removed=len(removed))
    return customer


async def set_risk(session: AsyncSession, principal: Principal, customer_id: str, risk_state: str, reason: str) -> Customer:
    """R-07: a changed risk state is an event other systems act on (credit_deteriorating tightens terms)."""
    customer = await get(session, principal, customer_id, for_update=True)
    previous = customer.risk_state
    if previous == risk_state:
        return customer
    customer.risk_state = risk_state
    customer.version += 1
    customer.updated_at = utcnow()
    await events.emit(session, customer, CustomerRiskChangedV1(customer_id=customer.id, risk_state=risk_state, previous=previous, reason=reason))
    audit.record(session, principal, "risk_changed", customer_id=customer.id, fields=["risk_state"])
    return customer


async def set_figures(session: AsyncSession, principal: Principal, customer_id: str, data: FiguresUpdate) -> Customer:
    """R-03: new figures re-apply the tier rules at once."""
    customer = await get(session, principal, customer_id, for_update=True)
    sent = data.model_dump(exclude_unset=True)
    for field, value in sent.items():
        setattr(customer, field, value)
    customer.figures_as_of = utcnow()
    customer.version += 1
    customer.updated_at = customer.figures_as_of
    audit.record(session, principal, "figures_changed", customer_id=customer.id, fields=sorted(sent))
    await tiering.reclassify(session, customer, trigger="figures")
    return customer


async def apply_reported_figures(
    session: AsyncSession, customer_id: str, *, version: int, as_of: datetime, **figures: object
) -> bool:
    """order.figures_reported.v1: rule 5, a report older than the one applied is ignored. True when applied."""
    customer = await session.get(Customer, customer_id, with_for_update=True)
    if customer is None or version <= customer.figures_version:
        return False
    if customer.figures_as_of is not None and as_of.date() < customer.figures_as_of.date():
        return False  # figures entered by hand after this report's day are newer
    for field, value in figures.items():
        setattr(customer, field, value)
    customer.figures_version = version
    customer.figures_as_of = as_of
    customer.version += 1
    customer.updated_at = utcnow()
    audit.record(session, audit.SYSTEM, "figures_changed", customer_id=customer.id, fields=sorted(figures))
    await tiering.reclassify(session, customer, trigger="event")
    return True


async def count_complaint(session: AsyncSession, customer_id: str) -> bool:
    """case.received.v1 of kind complaint: one more complaint in the trailing figures (R-03)."""
    customer = await session.get(Customer, customer_id, with_for_update=True)
    if customer is None:
        return False
    customer.complaints_12m += 1
    customer.version += 1
    customer.updated_at = utcnow()
    await tiering.reclassify(session, customer, trigger="event")
    return True

