"""Writes one chunk of validated import groups in the caller's transaction.

New customers go in with bulk inserts (customers, contacts, contact points, outbox events, one audit row) and
numbers allocated as one block of the KH counter; customers the file already knows (same import key or number)
go through the record use cases (`records.update`, `records.set_tags`, `contacts.add`) so their rules, history
and events are exactly the API's. A dry run computes the same outcome and writes nothing.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.events.customer import ContactPoint as ContactPointEvent
from contracts.events.customer import (
    CustomerContactsChangedV1,
    CustomerOwnerAssignedV1,
    CustomerRegisteredV1,
    CustomerTagsChangedV1,
)
from customer.audit import service as audit
from customer.contacts import service as contacts
from customer.contacts.models import Contact, ContactPoint
from customer.contacts.schemas import ContactCreate
from customer.imports.rules import Group
from customer.ownership import service as ownership
from customer.ownership.rules import pick_owner
from customer.records import service as records
from customer.records.models import Customer
from customer.records.rules import NUMBER_PREFIX, normalise_tags
from customer.records.schemas import CustomerCreate, CustomerUpdate
from customer.records.service import live
from customer.search.rules import search_key
from servicekit import access, clock
from servicekit.auth import Principal
from servicekit.errors import ApiError
from servicekit.numbering import next_number
from servicekit.outbox import record_events
from servicekit.pii import EncryptedText, blind_index, encrypt

NOT_YOURS = "only a supervisor, manager or admin names another owner or team (R-08)"
PROFILE = (*records.PROFILE_FIELDS, "customer_type", "stage", "tier", "service_level", "owner", "team")
DEFAULTS = {name: getattr(CustomerCreate.model_fields[name].default, "value", None) for name in PROFILE}
MAX_DUPLICATES = 1000  # kept in the job resource; the count says if there were more


@dataclass
class ChunkResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    duplicates: list[dict[str, Any]] = field(default_factory=list)


async def allocate_numbers(session: AsyncSession, count: int, prefix: str = NUMBER_PREFIX) -> list[str]:
    """`count` consecutive numbers for one transaction: one counter bump instead of one per customer."""
    first = await next_number(session, prefix)  # creates the year's counter row if needed, and locks it
    if count == 1:
        return [first]
    _, year, tail = first.rsplit("-", 2)
    counters = session.info["kit_tables"].counters
    bump = (
        update(counters)
        .where(counters.c.prefix == prefix, counters.c.year == int(year))
        .values(last=counters.c.last + (count - 1))
        .returning(counters.c.last)
    )
    last = (await session.execute(bump)).scalar_one()
    return [first] + [f"{prefix}-{year}-{n:0{len(tail)}d}" for n in range(last - count + 2, last + 1)]


Numbering = Callable[[int], Awaitable[list[str]]]


async def write_chunk(
    session: AsyncSession,
    principal: Principal,
    groups: list[Group],
    *,
    dry_run: bool,
    job_id: str,
    numbering: Numbering | None = None,
) -> ChunkResult:
    """`numbering(n)` gives n customer numbers; by default they come from this transaction's counter row
    (which then stays locked until commit: a runner writing chunks side by side passes its own)."""
    result = ChunkResult()
    keys = [g.import_key for g in groups]
    numbers = [g.number for g in groups if g.number]
    known = Customer.import_key.in_(keys)
    existing = (
        await session.scalars(select(Customer).where(or_(known, Customer.number.in_(numbers)) if numbers else known))
    ).all()
    by_key = {c.import_key: c for c in existing if c.import_key}
    by_number = {c.number: c for c in existing}
    new: list[Group] = []
    for group in groups:
        customer = by_key.get(group.import_key) or (by_number.get(group.number) if group.number else None)
        if customer is None:
            if access.may_assign(principal, owner=group.fields.get("owner"), team=group.fields.get("team")):
                new.append(group)
            else:  # the same rule as a customer created by hand
                result.errors.append({"row": group.first_row, "field": "owner", "message": NOT_YOURS})
            continue
        try:
            changed = await _update_existing(session, principal, customer, group, dry_run=dry_run)
        except ApiError as exc:
            result.errors.append({"row": group.first_row, "field": exc.field or "number", "message": exc.message})
            continue
        if changed:
            result.updated += 1
        else:
            result.unchanged += 1
    result.duplicates = await _duplicates(session, new)
    if new and not dry_run:
        numbers = await (numbering(len(new)) if numbering else allocate_numbers(session, len(new)))
        await _insert(session, principal, new, numbers, job_id)
    result.created = len(new)
    return result


def _indexes(contact: dict[str, Any]) -> set[str]:
    return {blind_index(p["number"]) for p in contact["phones"]} | {
        blind_index(e["address"]) for e in contact["emails"]
    }


async def _update_existing(
    session: AsyncSession, principal: Principal, customer: Customer, group: Group, *, dry_run: bool
) -> bool:
    if customer.merged_into or customer.erased_at:
        raise ApiError(409, "conflict", f"customer {customer.number} was merged or erased", field="number")
    fields = {k: v for k, v in group.fields.items() if k != "tags" and getattr(customer, k) != v}
    tags = normalise_tags(group.fields["tags"]) if "tags" in group.fields else None
    tags_changed = tags is not None and set(tags) != set(customer.tags or [])
    have = {point.value_index for contact in customer.contacts for point in contact.points}
    names = {contact.name for contact in customer.contacts}
    added = [c for c in group.contacts if not (_indexes(c) <= have and (_indexes(c) or c["name"] in names))]
    if not (fields or tags_changed or added):
        return False
    if dry_run:
        return True
    if fields:
        await records.update(session, principal, customer.id, CustomerUpdate.model_validate(fields))
    if tags_changed:
        await records.set_tags(session, principal, customer.id, tags)  # type: ignore[arg-type]
    for contact in added:
        await contacts.add(session, principal, customer, ContactCreate.model_validate(contact))
    return True


async def _duplicates(session: AsyncSession, groups: list[Group]) -> list[dict[str, Any]]:
    """Existing customers sharing a phone, an email or the folded name with a new one."""
    if not groups:
        return []
    by_index = {index: group for group in groups for contact in group.contacts for index in _indexes(contact)}
    by_name = {search_key(group.fields.get("name", "")): group for group in groups}
    found: list[dict[str, Any]] = []
    if by_index:
        query = live(
            select(ContactPoint.value_index, ContactPoint.kind, Customer.id, Customer.number, Customer.name)
            .join(Customer, Customer.id == ContactPoint.customer_id)
            .where(ContactPoint.value_index.in_(list(by_index)))
        )
        for row in await session.execute(query):
            found.append(_duplicate(by_index[row.value_index], row, f"same_{row.kind}", 1.0))
    # the same name as given or as folded, through the B-tree on `name` (trigram matching of a thousand names at
    # once would read most of the table); fuzzy matches are `duplicates.service.find_likely`, per customer
    names = {
        name
        for group in groups
        for name in (group.fields.get("name"), search_key(group.fields.get("name", "")))
        if name
    }
    query = live(select(Customer.id, Customer.number, Customer.name)).where(Customer.name.in_(names))
    for row in await session.execute(query):
        group = by_name.get(search_key(row.name))
        if group is not None:
            found.append(_duplicate(group, row, "similar_name", 1.0))
    return found[:MAX_DUPLICATES]


def _duplicate(group: Group, row: Any, reason: str, score: float) -> dict[str, Any]:
    return {
        "row": group.first_row,
        "name": group.fields.get("name"),
        "customer_id": row.id,
        "number": row.number,
        "existing_name": row.name,
        "reason": reason,
        "score": score,
    }


async def _insert(
    session: AsyncSession, principal: Principal, groups: list[Group], numbers: list[str], job_id: str
) -> None:
    now = clock.now(session)
    rules = await ownership.rule_views(session)
    customer_rows: list[dict[str, Any]] = []
    contact_rows: list[dict[str, Any]] = []
    point_rows: list[dict[str, Any]] = []
    events: list[tuple[Any, str, int]] = []
    for group, number in zip(groups, numbers, strict=True):
        row = _customer_row(group, number, principal, now)
        rule = None if row["owner"] else pick_owner(rules, industry=row["industry"], service_type=row["service_type"])
        # like a customer created by hand: an owner always, the creator's team unless a rule names one
        row["owner"], row["team"] = access.initial_assignment(
            principal,
            owner=row["owner"],
            team=row["team"],
            rule_owner=rule.owner if rule else None,
            rule_team=rule.team if rule else None,
        )
        customer_rows.append(row)
        people = _contacts(group, row["id"], now, contact_rows, point_rows)
        events.extend((event, row["id"], 1) for event in _events(row, rule, people, now))
    for model, rows in ((Customer, customer_rows), (Contact, contact_rows), (ContactPoint, point_rows)):
        await _bulk_insert(session, model, rows)
    await record_events(session, events)
    audit.record(
        session,
        principal,
        "import",
        job_id=job_id,
        created=len(customer_rows),
        customer_ids=[row["id"] for row in customer_rows],
    )


async def _bulk_insert(session: AsyncSession, model: Any, rows: list[dict[str, Any]]) -> None:
    """COPY on PostgreSQL (several times faster than INSERT for thousands of rows), INSERT elsewhere.

    COPY bypasses SQLAlchemy's type processing, so encrypted and JSON columns are converted here.
    """
    if not rows:
        return
    if session.bind.dialect.name != "postgresql":
        await session.execute(insert(model), rows)
        return
    table = model.__table__
    columns = list(rows[0])
    converted = [
        (i, _COPY_CONVERTERS[type(table.c[name].type)])
        for i, name in enumerate(columns)
        if type(table.c[name].type) in _COPY_CONVERTERS
    ]
    records = [list(row.values()) for row in rows]
    for record in records:
        for i, convert in converted:
            if record[i] is not None:
                record[i] = convert(record[i])
    connection = await session.connection()  # the session's own connection and transaction
    raw = (await connection.get_raw_connection()).driver_connection
    await raw.copy_records_to_table(table.name, records=records, columns=columns)


_COPY_CONVERTERS: dict[type, Any] = {EncryptedText: encrypt, JSON: json.dumps}


def _random_ids(batch: int = 4096) -> Iterator[str]:
    """Version-4 UUIDs from one os.urandom call per batch: uuid4() makes a system call per id."""
    while True:
        raw = os.urandom(16 * batch)
        for start in range(0, len(raw), 16):
            yield str(uuid.UUID(bytes=raw[start : start + 16], version=4))


_new_id = _random_ids().__next__


def _customer_row(group: Group, number: str, principal: Principal, now: datetime) -> dict[str, Any]:
    values = {**DEFAULTS, **{k: v for k, v in group.fields.items() if k in PROFILE}}
    name = group.fields.get("name") or number
    return {
        "id": _new_id(),
        "number": number,
        "name": name,
        "search_name": search_key(name),
        **values,
        "cooperation_history": [],
        "tags": normalise_tags(group.fields.get("tags", [])),
        "risk_state": "normal",
        "revenue_12m": Decimal(0),
        "orders_12m": 0,
        "complaints_12m": 0,
        "figures_version": 0,
        "owner_set_by_hand": values["owner"] is not None,
        "import_key": group.import_key,
        "version": 1,
        "created_at": now,
        "updated_at": now,
        "created_by": principal.subject,
    }


def _contacts(
    group: Group, customer_id: str, now: datetime, contact_rows: list[dict[str, Any]], point_rows: list[dict[str, Any]]
) -> list[ContactPointEvent]:
    """Rows for the group's contacts (the first is primary unless one says so); their event entries."""
    chosen = next((i for i, c in enumerate(group.contacts) if c.get("primary")), 0)
    people = []
    for index, contact in enumerate(group.contacts):
        contact_id = _new_id()
        contact_rows.append(
            {
                "id": contact_id,
                "customer_id": customer_id,
                "name": contact["name"],
                "position": contact.get("position"),
                "birthday": contact.get("birthday"),
                "primary": index == chosen,
                "created_at": now,
                "updated_at": now,
            }
        )
        entries = [("phone", p["number"], p["label"]) for p in contact["phones"]]
        entries += [("email", e["address"], e["label"]) for e in contact["emails"]]
        point_rows.extend(
            {
                "id": _new_id(),
                "contact_id": contact_id,
                "customer_id": customer_id,
                "kind": kind,
                "value": value,
                "value_index": blind_index(value),
                "label": label,
                "position": position,
            }
            for position, (kind, value, label) in enumerate(entries)
        )
        people.append(
            ContactPointEvent(
                contact_id=contact_id,
                name=contact["name"],
                primary=index == chosen,
                phone=contact["phones"][0]["number"] if contact["phones"] else None,
                email=contact["emails"][0]["address"] if contact["emails"] else None,
            )
        )
    return people


def _events(row: dict[str, Any], rule: Any, people: list[ContactPointEvent], now: datetime) -> list[Any]:
    """The same events `records.create` writes for one new customer."""
    found: list[Any] = [
        CustomerRegisteredV1(
            customer_id=row["id"],
            number=row["number"],
            name=row["name"],
            industry=row["industry"],
            source=row["source"],
            customer_type=row["customer_type"],
            stage=row["stage"],
            tier=row["tier"],
            service_level=row["service_level"],
            owner=row["owner"],
            team=row["team"],
            time_zone=row["time_zone"],
            language=row["language"],
            registered_at=now,
        )
    ]
    if rule is not None:
        found.append(
            CustomerOwnerAssignedV1(
                customer_id=row["id"],
                owner=row["owner"],
                team=row["team"],
                previous_owner=None,
                reason=f"owner rule {rule.id}",
            )
        )
    if people:
        found.append(
            CustomerContactsChangedV1(
                customer_id=row["id"], language=row["language"], time_zone=row["time_zone"], contacts=people
            )
        )
    if row["tags"]:
        found.append(CustomerTagsChangedV1(customer_id=row["id"], tags=row["tags"], added=row["tags"], removed=[]))
    return found
