"""R-03 figures the tier rules read (revenue, orders and complaints over 12 months, survey score): entered by
hand or reported by other systems; every change re-applies the tier rules at once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from customer.audit import service as audit
from customer.classification import service as classification
from customer.figures.schemas import FiguresUpdate
from customer.records import service as records
from customer.records.models import Customer
from servicekit import clock
from servicekit.auth import Principal


async def update(session: AsyncSession, principal: Principal, customer_id: str, data: FiguresUpdate) -> Customer:
    """R-03: new figures re-apply the tier rules at once."""
    customer = await records.get(session, principal, customer_id, for_update=True)
    sent = data.model_dump(exclude_unset=True)
    for field, value in sent.items():
        setattr(customer, field, value)
    customer.figures_as_of = clock.now(session)
    customer.version += 1
    customer.updated_at = customer.figures_as_of
    audit.record(session, principal, "figures_changed", customer_id=customer.id, fields=sorted(sent))
    await classification.reclassify(session, customer, trigger="figures")
    return customer


async def apply_reported(
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
    customer.updated_at = clock.now(session)
    audit.record(session, audit.SYSTEM, "figures_changed", customer_id=customer.id, fields=sorted(figures))
    await classification.reclassify(session, customer, trigger="event")
    return True


async def count_complaint(session: AsyncSession, customer_id: str) -> bool:
    """case.received.v1 of kind complaint: one more complaint in the trailing figures (R-03)."""
    customer = await session.get(Customer, customer_id, with_for_update=True)
    if customer is None:
        return False
    customer.complaints_12m += 1
    customer.version += 1
    customer.updated_at = clock.now(session)
    await classification.reclassify(session, customer, trigger="event")
    return True
