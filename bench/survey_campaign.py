"""Survey campaign benchmark: plan a questionnaire campaign to 100,000 customers (R-34, R-42).

Run from the workspace root (PostgreSQL on 127.0.0.1:5432, user postgres, trust auth):

    .venv/bin/python bench/survey_campaign.py [--customers 100000] [--batch 2000]

One run, in a fresh throwaway database (dropped at the end, also on an error):
  1. applies the surveys migrations and bulk-loads N customers into the read model with COPY; 90% have one
     contact with survey consent on email (R-42), 10% none (they are recorded as skipped, no_consent);
  2. starts a campaign to every customer and times `surveys.campaigns.scheduled.plan_due` until it is done:
     each batch reads the segment, the consents, writes the invitations (unique key per contact) and their
     `notification.requested.v1` + `survey.invitation_sent.v1` events to the outbox in one transaction;
  3. prints the planning time, invitations per second handed to the notifier (outbox rows; the relay to the
     broker is measured by bench/event_path.py), and checks one invitation per consenting contact.
Aim: plan under 60 s. Figures are printed, never asserted by the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
import uuid
from datetime import UTC, datetime

import asyncpg

PG_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/{db}"


async def load(dsn: str, customers: int) -> int:
    connection = await asyncpg.connect(dsn)
    try:
        ids = sorted(str(uuid.uuid4()) for _ in range(customers))
        tiers = ("high", "mid", "low")
        await connection.copy_records_to_table(
            "customers_view",
            columns=["customer_id", "customer_type", "stage", "tier", "tags", "version", "erased"],
            records=[(cid, "normal", "cooperation", tiers[i % 3], "[]", 1, False) for i, cid in enumerate(ids)],
        )
        now = datetime.now(UTC)
        consenting = [cid for i, cid in enumerate(ids) if i % 10]
        await connection.copy_records_to_table(
            "contact_consents",
            columns=["customer_id", "contact_id", "channel", "purpose", "granted", "version", "recorded_at"],
            records=[(cid, str(uuid.uuid4()), "email", "care", True, 2, now) for cid in consenting],
        )
        await connection.execute("VACUUM ANALYZE")
        return len(consenting)
    finally:
        await connection.close()


async def main(customers: int, batch: int) -> None:
    name = f"crm_bench_surveys_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(PG_ADMIN_DSN)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = PG_URL.format(db=name)
    os.environ["CRM_SURVEYS_DATABASE_URL"] = url
    try:
        import surveys
        from servicekit.auth import Principal, Role
        from servicekit.migrations import upgrade

        await asyncio.to_thread(upgrade, surveys.MIGRATIONS, url)
        from sqlalchemy import func, select

        from servicekit.db import Database
        from servicekit.outbox import Outbox
        from surveys.campaigns import scheduled, service
        from surveys.campaigns.models import Campaign
        from surveys.campaigns.schemas import CampaignCreate
        from surveys.invitations.models import Invitation
        from surveys.models import kit

        consenting = await load(f"postgresql://postgres@127.0.0.1:5432/{name}", customers)
        db = Database(url, service="surveys")
        db.session_info.update(kit_tables=kit, outbox=Outbox(producer="surveys", table=kit.outbox))
        async with db.session() as session:
            principal = Principal("bench", frozenset({Role.marketing}))
            campaign = await service.create(session, principal, CampaignCreate(name="bench"))
            campaign_id = campaign.id
        load1 = os.getloadavg()[0]
        started, cpu = time.perf_counter(), time.process_time()
        await scheduled.plan_due(db, batch_size=batch)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        async with db.session() as session:
            done = await session.get(Campaign, campaign_id)
            per_contact = await session.scalar(
                select(func.count(func.distinct(Invitation.contact_id))).where(
                    Invitation.campaign_id == campaign_id, Invitation.status == "sent"
                )
            )
            outbox = await session.scalar(select(func.count()).select_from(kit.outbox))
        await db.dispose()
        print(f"customers {customers:,}, consenting contacts {consenting:,}, batch {batch}")
        load2, rate = os.getloadavg()[0], done.invited / seconds
        print(f"planned in {seconds:.1f} s (aim < 60 s), {cpu:.1f} s CPU in this process (PostgreSQL's not counted)")
        print(f"load average before {load1:.2f}, after {load2:.2f} (2 cores)")
        print(f"invitations sent {done.invited:,} ({rate:,.0f}/s handed to the notifier via the outbox),")
        print(f"skipped {done.skipped:,} (no_consent); outbox rows {outbox:,}")
        print(f"one invitation per consenting contact: {per_contact == consenting == done.invited}")
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=2000)
    args = parser.parse_args()
    asyncio.run(main(args.customers, args.batch))
