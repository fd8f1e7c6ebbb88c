"""R-03 scheduled re-classification: every customer against the current tier rules, in batches.

Each batch is its own transaction and claims its customers with the kit's `claim_due` (SKIP LOCKED on PostgreSQL),
so a request or another replica holding a customer is skipped this pass rather than waited for.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import raiseload

from customer.classification import service
from customer.records.models import Customer
from customer.settings import customer_settings
from servicekit.db import Database
from servicekit.due import claim_due
from servicekit.outbox import record_events


async def reclassify_all(db: Database, *, batch_size: int | None = None) -> int:
    """One pass over all customers; returns how many were re-classified. The benchmark calls this."""
    batch_size = batch_size or customer_settings().reclassify_batch_size
    changed, after = 0, ""
    while True:
        async with db.session() as session:
            rules = service.as_rules(await service.rules_or_defaults(session))
            query = (
                select(Customer)
                .where(Customer.id > after, Customer.erased_at.is_(None))
                .order_by(Customer.id)
                .options(raiseload(Customer.contacts))  # the rules read figures only; never load contacts
            )
            batch = list((await claim_due(session, query, limit=batch_size)).scalars().all())
            classified = [
                (event, customer.id, customer.version)
                for customer in batch
                if (event := service.reclassify_in_place(session, customer, rules, trigger="schedule")) is not None
            ]
            await record_events(session, classified)
            changed += len(classified)
        if len(batch) < batch_size:
            return changed
        after = batch[-1].id


def after_first_interval(job):  # type: ignore[no-untyped-def]
    """The runtime runs a job at once on start; a full pass belongs one interval later, not at every restart."""
    started = False

    async def run() -> object:
        nonlocal started
        if not started:
            started = True
            return None
        return await job()

    return run
