"""R-01 customer records: create, read (masked or not), update; tags (R-04), risk (R-07).

`present(customer, principal)` is the one response builder: lookup, search and data export reuse it.
Services never commit; every change writes an audit row and its events in the caller's transaction.
"""

from __future__ import annotations

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
from customer.audit import service as audit
from customer.change_lag import service as change_lag
from customer.classification import service as classification
from customer.contacts import service as contacts
from customer.contacts.models import Contact
from customer.events import contacts_changed, emit
from customer.key_information import service as key_information
from customer.key_information.models import PendingChange
from customer.ownership import service as ownership
from customer.privacy import rules as privacy
from customer.privacy.service import ensure_not_erased
from customer.records import rules
from customer.records.models import Customer
from customer.records.rules import NEEDS_FIELDS, NUMBER_PREFIX, normalise_tags
from customer.records.schemas import CustomerCreate, CustomerUpdate
from customer.search.rules import search_key
from servicekit import access, clock
from servicekit.auth import Principal
from servicekit.errors import ApiError, not_found
from servicekit.numbering import next_number

# --- reading -------------------------------------------------------------------------------------------


async def get(
    session: AsyncSession,
    principal: Principal,
    customer_id: str,
    *,
    for_update: bool = False,
    include_merged: bool = False,
) -> Customer:
    customer = await session.get(Customer, customer_id, with_for_update=for_update or None)
    # another team's customer is reported as missing, so ids cannot be probed
    if customer is None or not access.sees_record(principal, owner=customer.owner, team=customer.team):
        raise not_found("customer", customer_id)
    if customer.merged_into and not include_merged:
        # its data lives on in the survivor; the pointer lets clients follow it
        raise ApiError(404, "customer_merged", f"customer {customer_id} was merged into {customer.merged_into}")
    return customer


async def get_contact(
    session: AsyncSession, principal: Principal, customer_id: str, contact_id: str, *, for_update: bool = False
) -> tuple[Customer, Contact]:
    """A contact of a customer the caller may see; locked for writes, so one customer's changes get ordered versions."""
    customer = await get(session, principal, customer_id, for_update=for_update)
    contact = await session.get(Contact, contact_id)
    if contact is None or contact.customer_id != customer.id:
        raise not_found("contact", contact_id)
    return customer, contact


def live(query: Any) -> Any:
    """Merged and erased records are never offered as duplicates (nor listed, nor found)."""
    return query.where(Customer.merged_into.is_(None), Customer.erased_at.is_(None))


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
    "industry",
    "size",
    "address",
    "source",
    "key_needs",
    "pain_points",
    "service_preferences",
    "service_type",
    "time_zone",
    "language",
)


# --- creating and changing -----------------------------------------------------------------------------


async def create(session: AsyncSession, principal: Principal, data: CustomerCreate) -> Customer:
    if not access.may_assign(principal, owner=data.owner, team=data.team):
        raise ApiError(
            403, "forbidden", "only a supervisor, manager or admin names another owner or team (R-08)", field="owner"
        )
    now = clock.now(session)
    values = data.model_dump(mode="json", exclude={"contacts", "tags"})
    customer = Customer(
        id=str(uuid.uuid4()),
        number=await next_number(session, NUMBER_PREFIX),
        **{**values, "cooperation_history": values["cooperation_history"] or []},
        search_name=search_key(data.name),
        tags=normalise_tags(data.tags),
        risk_state="normal",
        owner_set_by_hand=data.owner is not None,
        revenue_12m=0,
        orders_12m=0,
        complaints_12m=0,
        figures_version=0,
        version=1,
        created_at=now,
        updated_at=now,
        created_by=principal.subject,
    )
    customer.contacts = []
    rule = None if data.owner else await ownership.apply_rule(session, customer)
    # a new customer always has an owner (by hand, by rule, else its creator) and its creator's team
    customer.owner, customer.team = access.initial_assignment(
        principal,
        owner=data.owner,
        team=data.team,
        rule_owner=rule.owner if rule else None,
        rule_team=rule.team if rule else None,
    )
    session.add(customer)
    for entry in data.contacts:
        change_lag.entered(session, "contact", entry.learned_at, now)
        contacts.build(customer, entry, now)
    contacts.ensure_one_primary(customer)
    await emit(
        session,
        customer,
        CustomerRegisteredV1(
            customer_id=customer.id,
            number=customer.number,
            name=customer.name,
            industry=customer.industry,
            source=customer.source,
            customer_type=customer.customer_type,
            stage=customer.stage,
            tier=customer.tier,
            service_level=customer.service_level,
            owner=customer.owner,
            team=customer.team,
            time_zone=customer.time_zone,
            language=customer.language,
            registered_at=now,
        ),
    )
    if rule is not None:
        await emit(session, customer, ownership.owner_assigned(customer, None, f"owner rule {rule.id}"))
    if customer.contacts:
        await emit(session, customer, contacts_changed(customer))
    if customer.tags:
        await emit(
            session,
            customer,
            CustomerTagsChangedV1(customer_id=customer.id, tags=customer.tags, added=customer.tags, removed=[]),
        )
    audit.record(
        session,
        principal,
        "create",
        customer_id=customer.id,
        fields=sorted(data.model_fields_set),
        contacts=len(data.contacts),
    )
    return customer


async def update(
    session: AsyncSession, principal: Principal, customer_id: str, data: CustomerUpdate
) -> tuple[Customer, list[PendingChange]]:
    """Apply what was sent. `key_needs` is key information (R-05): it becomes a pending change instead."""
    customer = await get(session, principal, customer_id, for_update=True)
    ensure_not_erased(customer)
    if ({"owner", "team"} & data.model_fields_set) and not principal.has_any(*access.ASSIGNERS):
        raise ApiError(403, "forbidden", "owner and team are set by a supervisor, manager or admin (R-08)")
    now = clock.now(session)
    requested = data.model_dump(mode="json", exclude_unset=True, exclude={"learned_at"})
    waiting: list[PendingChange] = []
    needs_sent = [f for f in NEEDS_FIELDS if f in requested and requested[f] != getattr(customer, f)]
    learned_at = change_lag.entered(session, "needs", data.learned_at, now) if needs_sent else (data.learned_at or now)
    if "key_needs" in requested:
        new_needs = requested.pop("key_needs")
        if new_needs != customer.key_needs:
            waiting.append(
                key_information.request(
                    session, principal, customer, None, "key_needs", customer.key_needs, new_needs, learned_at
                )
            )
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
    audit.record(
        session,
        principal,
        "update",
        customer_id=customer.id,
        fields=sorted(change.changed),
        learned_at=learned_at.isoformat() if needs_sent else None,
    )
    return customer, waiting


async def _record_change_events(
    session: AsyncSession, customer: Customer, change: rules.Change, principal: Principal
) -> None:
    if change.profile_fields:
        profile = {field: getattr(customer, field) for field in change.profile_fields if field != "cooperation_history"}
        await emit(
            session,
            customer,
            CustomerUpdatedV1(customer_id=customer.id, changed=change.profile_fields, profile=profile),
        )
    if change.classification_changed:
        previous = {k: str(v) for k, v in change.previous.items() if k in rules.CLASSIFICATION_FIELDS}
        await classification.record_hand_change(session, customer, previous, principal)
    if change.ownership_changed:
        previous_owner = change.previous.get("owner", customer.owner)
        await emit(
            session,
            customer,
            ownership.owner_assigned(customer, previous_owner, f"assigned by hand by {principal.subject}"),
        )  # type: ignore[arg-type]
    elif {"industry", "service_type"} & set(change.changed):
        previous_owner = customer.owner
        rule = await ownership.apply_rule(session, customer)
        if rule is not None:
            await emit(session, customer, ownership.owner_assigned(customer, previous_owner, f"owner rule {rule.id}"))


async def set_tags(session: AsyncSession, principal: Principal, customer_id: str, tags: list[str]) -> Customer:
    customer = await get(session, principal, customer_id, for_update=True)
    return await _retag(session, principal, customer, normalise_tags(tags))


async def add_need_tag(session: AsyncSession, customer_id: str, need: str, recorded_by: str) -> Customer | None:
    """R-04: a need voiced in a contact (engagement's need change) becomes a need tag; unknown or erased -> None."""
    customer = await session.get(Customer, customer_id, with_for_update=True)
    if customer is None or customer.erased_at is not None:
        return None
    if customer.merged_into:  # the need belongs to the survivor now
        return await add_need_tag(session, customer.merged_into, need, recorded_by)
    return await _retag(session, recorded_by, customer, normalise_tags([*(customer.tags or []), need]))


async def record_last_contact(session: AsyncSession, customer_id: str, at: datetime) -> None:
    """R-16: engagement's last interaction; only a later one moves it, so order and redelivery do not matter."""
    customer = await session.get(Customer, customer_id, with_for_update=True)
    if customer is not None and (customer.last_contact_at is None or at > customer.last_contact_at):
        customer.last_contact_at = at


async def _retag(session: AsyncSession, actor: Principal | str, customer: Customer, new: list[str]) -> Customer:
    old = list(customer.tags or [])
    if new == old:
        return customer
    customer.tags = new
    customer.version += 1
    customer.updated_at = clock.now(session)
    added, removed = [t for t in new if t not in old], [t for t in old if t not in new]
    await emit(
        session, customer, CustomerTagsChangedV1(customer_id=customer.id, tags=new, added=added, removed=removed)
    )
    audit.record(session, actor, "tags_changed", customer_id=customer.id, added=len(added), removed=len(removed))
    return customer


async def set_risk(
    session: AsyncSession, principal: Principal, customer_id: str, risk_state: str, reason: str
) -> Customer:
    """R-07: a changed risk state is an event other systems act on (credit_deteriorating tightens terms)."""
    customer = await get(session, principal, customer_id, for_update=True)
    previous = customer.risk_state
    if previous == risk_state:
        return customer
    customer.risk_state = risk_state
    customer.version += 1
    customer.updated_at = clock.now(session)
    await emit(
        session,
        customer,
        CustomerRiskChangedV1(customer_id=customer.id, risk_state=risk_state, previous=previous, reason=reason),
    )
    audit.record(session, principal, "risk_changed", customer_id=customer.id, fields=["risk_state"])
    return customer
