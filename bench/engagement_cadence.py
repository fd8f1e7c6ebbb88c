"""Engagement cadence benchmark: does an obligations pass cost what is due, not how many customers there are, and
how long does crisis mode take to re-plan customers?

Run from the workspace root (PostgreSQL on 127.0.0.1:5432, user postgres, trust auth):

    .venv/bin/python bench/engagement_cadence.py [--customers 1000000] [--due 1000] [--replan 100000] [--reps 3]

One run, in a fresh throwaway database (dropped at the end, also on an error):
  1. applies the engagement migrations and bulk-loads N customers (`known_customers`, a mix of new, stable and
     high-value) with COPY, each with the obligations of its current windows and one generated plan per
     obligation (none due), then VACUUM ANALYZE;
  2. makes exactly K obligations due (fresh ones every repetition) and times ONE
     `cadences.scheduled.close_due_obligations` pass: each due obligation is closed as missed (event + plan
     not done) and its customer re-planned (the next window opens);
  3. switches crisis mode on (a new policy version) with R customers behind it (the others are marked as
     planned, so the figure is for R customers) and times `cadences.scheduled.replan_pass` until none is
     behind: every open obligation of those customers is cancelled and the weekly crisis ones opened, with plans;
  4. prints the figures against the aims: a pass with 1000 due under 200 ms, re-planning 100,000 under 60 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg

import engagement
from engagement.cadences import rules
from engagement.cadences.scheduled import close_due_obligations, replan_pass
from engagement.cadences.service import change_policy, load_policy
from engagement.models import kit
from servicekit.db import Database
from servicekit.migrations import upgrade
from servicekit.outbox import Outbox

PG_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DSN = "postgresql://postgres@127.0.0.1:5432/{db}"
PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/{db}"
PASS_AIM_MS = 200.0
REPLAN_AIM_S = 60.0
CHUNK = 50_000


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


async def admin(sql: str) -> None:
    connection = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def segment(n: int) -> tuple[str, str, str]:
    """(customer_type, stage, tier): 60% new, 30% stable, 10% high-value stable."""
    if n % 10 == 0:
        return "strategic", "stable", "high"
    if n % 10 < 4:
        return "normal", "stable", "mid"
    return "potential", "cooperation", "low"


async def load(dsn: str, customers: int, now: datetime) -> list[str]:
    """COPY customers, their current obligations and one plan each; returns the customer ids."""
    connection = await asyncpg.connect(dsn)
    ids = [str(uuid.UUID(int=random.getrandbits(128))) for _ in range(customers)]
    registered = now - timedelta(days=400)
    facts_for = {}
    for n in range(10):
        customer_type, stage, tier = segment(n)
        facts = rules.CustomerFacts(customer_type, stage, tier, "normal", registered_at=registered)
        facts_for[n] = (
            customer_type,
            stage,
            tier,
            rules.obligations_for(facts, rules.DEFAULT_POLICY, now=now, crisis=False),
        )
    plan_number = 0
    try:
        for start in range(0, customers, CHUNK):
            customer_rows, obligation_rows, plan_rows = [], [], []
            for n in range(start, min(start + CHUNK, customers)):
                customer_type, stage, tier, planned = facts_for[n % 10]
                cid = ids[n]
                customer_rows.append(
                    (
                        cid,
                        f"KH-B-{n}",
                        customer_type,
                        stage,
                        tier,
                        "normal",
                        "[]",
                        "normal",
                        "[]",
                        f"owner{n % 500}",
                        f"team{n % 20}",
                        registered,
                        1,
                        1,
                    )
                )
                for p in planned:
                    oid = str(uuid.uuid4())
                    obligation_rows.append(
                        (
                            oid,
                            cid,
                            p.rule,
                            p.period,
                            p.focus,
                            p.window_start,
                            p.window_end,
                            p.contacts,
                            json.dumps(list(p.kinds)),
                            "[]",
                            "open",
                            f"owner{n % 500}",
                            f"team{n % 20}",
                            p.window_end,
                            now,
                        )
                    )
                    plan_number += 1
                    last_day = (p.window_end - timedelta(days=1)).date()
                    plan_rows.append(
                        (
                            str(uuid.uuid4()),
                            f"JH-B-{plan_number}",
                            cid,
                            rules.CYCLE_NAMES[p.period],
                            "goal",
                            "content",
                            p.channel,
                            f"owner{n % 500}",
                            f"team{n % 20}",
                            last_day,
                            last_day,
                            "planned",
                            "cadence",
                            oid,
                            "cadence",
                            now,
                            now,
                        )
                    )
            await connection.copy_records_to_table(
                "known_customers",
                records=customer_rows,
                columns=[
                    "id",
                    "number",
                    "customer_type",
                    "stage",
                    "tier",
                    "service_level",
                    "tags",
                    "risk_state",
                    "open_complaints",
                    "owner",
                    "team",
                    "registered_at",
                    "version",
                    "planned_version",
                ],
            )
            await connection.copy_records_to_table(
                "obligations",
                records=obligation_rows,
                columns=[
                    "id",
                    "customer_id",
                    "rule",
                    "period",
                    "focus",
                    "window_start",
                    "window_end",
                    "contacts",
                    "kinds",
                    "channels",
                    "status",
                    "owner",
                    "team",
                    "due_at",
                    "created_at",
                ],
            )
            await connection.copy_records_to_table(
                "maintenance_plans",
                records=plan_rows,
                columns=[
                    "id",
                    "number",
                    "customer_id",
                    "cycle",
                    "goal",
                    "content",
                    "channel",
                    "owner",
                    "team",
                    "planned_on",
                    "execute_on",
                    "status",
                    "source",
                    "obligation_id",
                    "created_by",
                    "created_at",
                    "updated_at",
                ],
            )
            log(f"  loaded {min(start + CHUNK, customers):,} customers")
        await connection.execute("VACUUM ANALYZE")
    finally:
        await connection.close()
    return ids


async def make_due(dsn: str, count: int, now: datetime) -> None:
    """`count` open obligations whose window ended a minute ago (chosen at random among the open ones)."""
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(
            """UPDATE obligations SET due_at = $1 WHERE id IN (
                   SELECT id FROM obligations WHERE status = 'open' AND due_at > $2
                   ORDER BY random() LIMIT $3)""",
            now - timedelta(minutes=1),
            now,
            count,
        )
    finally:
        await connection.close()


async def mark_behind(dsn: str, version: int, count: int) -> None:
    """Every customer planned under the new version but `count` random ones, so the re-plan covers exactly those."""
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute("UPDATE known_customers SET planned_version = $1", version)
        await connection.execute(
            """UPDATE known_customers SET planned_version = $1 WHERE id IN (
                   SELECT id FROM known_customers ORDER BY random() LIMIT $2)""",
            version - 1,
            count,
        )
        await connection.execute("VACUUM ANALYZE known_customers")
    finally:
        await connection.close()


async def run(args: argparse.Namespace) -> None:
    db_name = f"crm_bench_engagement_{os.getpid()}"
    await admin(f'CREATE DATABASE "{db_name}"')
    dsn, url = PG_DSN.format(db=db_name), PG_URL.format(db=db_name)
    db = Database(url, service="engagement")
    db.session_info.update(outbox=Outbox(producer="engagement", table=kit.outbox), kit_tables=kit)
    try:
        await asyncio.to_thread(upgrade, engagement.MIGRATIONS, url)
        now = datetime.now(UTC).replace(microsecond=0)
        async with db.session() as session:
            await load_policy(session)  # version 1, the defaults
        log(f"loading {args.customers:,} customers ({load_average()})")
        started = time.perf_counter()
        await load(dsn, args.customers, now)
        log(f"loaded in {time.perf_counter() - started:.0f} s")

        pass_ms = []
        for rep in range(args.reps):
            await make_due(dsn, args.due, now)
            started = time.perf_counter()
            handled = await close_due_obligations(db, now=now)
            pass_ms.append((time.perf_counter() - started) * 1000)
            log(f"  obligations pass {rep + 1}: {handled} due closed and re-planned in {pass_ms[-1]:.0f} ms")

        async with db.session() as session:
            policy = await change_policy(session, by="bench", crisis_on=True)
            version = policy.version
        await mark_behind(dsn, version, args.replan)
        log(f"crisis mode on: re-planning {args.replan:,} customers ({load_average()})")
        started = time.perf_counter()
        replanned = 0
        while handled := await replan_pass(db, now=now):
            replanned += handled
        replan_s = time.perf_counter() - started
        log(f"  re-planned {replanned:,} customers in {replan_s:.1f} s ({replanned / replan_s:,.0f}/s)")

        print()
        print(f"customers: {args.customers:,}; {load_average()}")
        print(
            f"obligations pass with {args.due} due: median {statistics.median(pass_ms):.0f} ms, "
            f"max {max(pass_ms):.0f} ms (aim < {PASS_AIM_MS:.0f} ms)"
        )
        print(f"crisis mode re-plan of {replanned:,} customers: {replan_s:.1f} s (aim < {REPLAN_AIM_S:.0f} s)")
    finally:
        await db.dispose()
        await admin(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=1000)
    parser.add_argument("--replan", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=3)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
