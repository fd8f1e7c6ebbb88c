"""How long waiting outbox rows take to go out once the broker is back after an outage (reliability rule 2).

A RabbitMQ node of its own (servicekit.testservers: own name, ports, data directory; never the machine's broker)
is killed with SIGKILL; events are written while it is down (the relay keeps failing); it is started again and the
script prints the seconds from "the broker accepts connections" to "no unpublished row left". A figure, not a test.

    .venv/bin/python bench/outbox_reconnect.py                 # 40 s outage, 500 events written during it
    .venv/bin/python bench/outbox_reconnect.py --outage 10 --events 2000
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
import uuid

import asyncpg
from sqlalchemy import MetaData, func, select

from servicekit.db import Database
from servicekit.outbox import Outbox, OutboxRelay, record_events
from servicekit.tables import kit_tables
from servicekit.testing import PG_ADMIN_DSN, pg_url, probe_event_class
from servicekit.testservers import RabbitNode


async def unpublished(db: Database, table) -> int:  # noqa: ANN001
    async with db.session() as session:
        return (await session.execute(select(func.count()).where(table.c.published_at.is_(None)))).scalar_one()


async def run(outage: float, events: int) -> None:
    name = f"crm_bench_reconnect_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(PG_ADMIN_DSN)
    await admin.execute(f'CREATE DATABASE "{name}"')
    node = RabbitNode()
    db = Database(pg_url(name), service="bench")
    try:
        metadata = MetaData()
        tables = kit_tables(metadata)
        async with db.engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        db.session_info.update(outbox=Outbox("bench", tables.outbox), kit_tables=tables)
        node.start()
        await node.wait_ready()
        relay = OutboxRelay(db, db.session_info["outbox"], broker_url=node.url)
        relay.start()
        Probe = probe_event_class()

        node.kill()
        started = time.monotonic()
        for start in range(0, events, 100):  # written while the broker is down: each commit wakes the relay
            async with db.session() as session:
                await record_events(session, [(Probe(n=n), f"p{n}", 1) for n in range(start, start + 100)])
        await asyncio.sleep(max(0.0, outage - (time.monotonic() - started)))
        node.start()
        startup = await node.wait_ready()
        back = time.monotonic()
        waiting = await unpublished(db, tables.outbox)
        while await unpublished(db, tables.outbox):
            await asyncio.sleep(0.05)
        drained = time.monotonic() - back
        await relay.stop()
        print(
            f"outage {outage:.0f} s (+{startup:.1f} s broker start-up), {events} events written during it;"
            f" {waiting} waiting when the broker accepted connections, all published {drained:.1f} s later;"
            f" load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
    finally:
        node.close()
        await db.dispose()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outage", type=float, default=40.0, help="seconds the broker stays down")
    parser.add_argument("--events", type=int, default=500, help="events written while it is down")
    args = parser.parse_args()
    asyncio.run(run(args.outage, args.events))


if __name__ == "__main__":
    main()
