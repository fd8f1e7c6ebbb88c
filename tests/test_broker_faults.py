"""Broker faults in the suite (reliability rules 2-4): a RabbitMQ node of this test's own is killed with SIGKILL
several times during a burst of customers created through the customer API (run as a process by `crm up`).

Checked: no write fails (the outbox keeps the events while the broker is away), every event is consumed exactly
once (inbox + ack after commit, here by a kit consumer like every service's), and the outbox drains once the
broker is back. The figures (writes failed, lost, doubled, seconds to drain) are printed, never asserted on time.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Column, MetaData, String, Table, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Envelope
from contracts.topology import Subscription
from servicekit.broker import create_broker, declare_topology, register_consumer
from servicekit.db import Database
from servicekit.settings import SERVICES
from servicekit.tables import kit_tables
from servicekit.testing import bearer, create_database, free_port
from servicekit.testservers import RabbitNode, rabbitmq_available

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not rabbitmq_available(), reason="rabbitmq-server is not installed here"),
]

CONCURRENCY = 8
KILLS = 3
AGENT = bearer("alice", "agent", team="east")


@pytest.fixture
async def node() -> AsyncIterator[RabbitNode]:
    broker = RabbitNode()
    try:
        broker.start()
        await broker.wait_ready()
        yield broker
    finally:
        broker.close()  # our own node: killed by its pid, its directory removed


@pytest.fixture
async def customer_service(node: RabbitNode, tmp_path: Path) -> AsyncIterator[tuple[str, str]]:
    """`crm up customer` on a database of its own, publishing to the test's node; (base URL, database URL)."""
    database = create_database("crm_test_faults_customer")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.endswith("_DATABASE_URL")}
    env |= {
        "CRM_BROKER_URL": node.url,
        "CRM_CUSTOMER_DATABASE_URL": database,
        "CRM_CUSTOMER_PORT": str(port),
        "CRM_VAR_DIR": str(tmp_path / "var"),
        "CRM_STARTUP_WAIT_SECONDS": "60",
    }
    for other in SERVICES:  # `crm up customer` touches no other service, but keep them off the run's databases
        env.setdefault(f"CRM_{other.upper()}_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / other}.db")
    log = open(tmp_path / "crm-up.log", "w+")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "crm_cli.main", "up", "customer"], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=url) as client:
            for _ in range(600):
                assert process.poll() is None, (tmp_path / "crm-up.log").read_text()[-3000:]
                try:
                    if (await client.get("/readyz")).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.2)
        yield url, database
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=60)
        log.close()


class ProbeConsumer:
    """Consumes customer.registered.v1 through the kit (inbox, ack after commit) and writes one row per effect."""

    def __init__(self) -> None:
        self.metadata = MetaData()
        self.tables = kit_tables(self.metadata)
        self.effects = Table(
            "effects", self.metadata, Column("id", String(36), primary_key=True), Column("customer_id", String(36))
        )
        self.db = Database(create_database("crm_test_faults_probe"), service="probe")
        self.db.session_info.update(kit_tables=self.tables)
        self.deliveries = 0

    async def __call__(self, session: AsyncSession, envelope: Envelope) -> None:
        self.deliveries += 1
        await session.execute(insert(self.effects).values(id=str(uuid.uuid4()), customer_id=envelope.aggregate_id))

    async def consumed(self) -> Counter[str]:
        async with self.db.session() as session:
            return Counter((await session.scalars(select(self.effects.c.customer_id))).all())


async def unpublished(database_url: str) -> int:
    db = Database(database_url, service="customer")
    try:
        async with db.session() as session:
            return (await session.execute(text("SELECT count(*) FROM outbox WHERE published_at IS NULL"))).scalar_one()
    finally:
        await db.dispose()


async def test_killing_the_broker_during_a_burst_of_writes_loses_and_doubles_nothing(
    node: RabbitNode, customer_service: tuple[str, str]
) -> None:
    url, database = customer_service
    probe = ProbeConsumer()
    async with probe.db.engine.begin() as conn:
        await conn.run_sync(probe.metadata.create_all)
    sub = Subscription(f"faults{uuid.uuid4().hex[:6]}", "customers", ("customer.registered.v1",))
    await declare_topology(node.url, 5, (sub,))
    broker = create_broker(node.url, prefetch=32)
    register_consumer(broker, probe.db, sub, probe, delivery_limit=5, retry_backoff=0.1)
    await broker.start()

    statuses: Counter[int] = Counter()
    created: list[str] = []
    chaos_over = asyncio.Event()

    async def writer(client: httpx.AsyncClient) -> None:
        while not chaos_over.is_set():
            try:
                response = await client.post(
                    "/customers", json={"name": f"故障测试客户-{uuid.uuid4().hex[:12]}", "team": "east"}
                )
            except httpx.HTTPError:
                statuses[0] += 1
                continue
            statuses[response.status_code] += 1
            if response.status_code == 201:
                created.append(response.json()["id"])

    async def chaos() -> tuple[list[float], int, float]:
        """SIGKILL mid-burst KILLS times, the burst ending during the last outage; after the last restart, the
        backlog found and the seconds it took to drain (what waited while the broker was down)."""
        restarts = []
        for kill in range(1, KILLS + 1):
            await asyncio.sleep(1.5)
            node.kill()
            await asyncio.sleep(1.5)
            if kill == KILLS:  # the burst ends while the broker is down: nothing wakes the relay any more
                chaos_over.set()
                await asyncio.sleep(3.0)
            node.start()
            restarts.append(await node.wait_ready())
        back = time.monotonic()
        backlog = await unpublished(database)
        while await unpublished(database) and time.monotonic() - back < 120:
            await asyncio.sleep(0.05)
        return restarts, backlog, time.monotonic() - back

    try:
        async with httpx.AsyncClient(base_url=url, headers=AGENT, timeout=30) as client:
            chaos_task = asyncio.create_task(chaos())
            await asyncio.gather(*(writer(client) for _ in range(CONCURRENCY)))
            restarts, backlog, drain_seconds = await chaos_task
        left = await unpublished(database)

        deadline = time.monotonic() + 120
        while not set(created) <= set(await probe.consumed()) and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        consumed = await probe.consumed()
    finally:
        await broker.stop()
        await probe.db.dispose()

    writes = sum(statuses.values())
    failed = writes - statuses[201]
    lost = len(set(created) - set(consumed))
    doubled = sum(1 for count in consumed.values() if count > 1)
    print(
        f"\nbroker killed {KILLS}x during {writes} writes (restarts took {', '.join(f'{s:.1f}' for s in restarts)} s):"
        f" writes failed {failed}, lost {lost}, doubled {doubled}; {backlog} events waiting at the last restart,"
        f" drained {drain_seconds:.1f} s after it; {probe.deliveries} deliveries for {len(consumed)} events"
        f" (redeliveries absorbed by the inbox); load {os.getloadavg()[0]:.1f}"
    )
    assert writes > 0
    assert statuses == Counter({201: writes}), statuses
    assert left == 0
    assert lost == 0
    assert doubled == 0
    assert set(consumed) == set(created)


async def test_outbox_rows_cut_off_by_a_lost_connection_stay_due() -> None:
    """A row whose publish failed because the connection broke is not pushed into the future: it goes out as soon
    as the relay has reconnected (checked on the table, not the clock)."""
    from servicekit.outbox import Outbox, OutboxRelay, record_event
    from servicekit.testing import probe_event_class

    metadata = MetaData()
    tables = kit_tables(metadata)
    db = Database(create_database("crm_test_faults_relay"), service="relaytest")
    async with db.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    db.session_info.update(outbox=Outbox("relaytest", tables.outbox), kit_tables=tables)
    relay = OutboxRelay(db, db.session_info["outbox"], broker_url=f"amqp://guest:guest@127.0.0.1:{free_port()}/")
    Probe = probe_event_class()
    try:
        async with db.session() as session:
            await record_event(session, Probe(n=1), aggregate_id="p", aggregate_version=1)

        class Lost:
            async def publish(self, *args: object, **kwargs: object) -> None:
                raise ConnectionResetError("broker went away")

        t = tables.outbox
        async with db.session() as session:
            columns = (t.c.seq, t.c.envelope, t.c.attempts, t.c.event_id, t.c.event_type)
            rows = list((await session.execute(select(*columns))).all())
            outcomes = await asyncio.gather(*(relay._publish(Lost(), row) for row in rows), return_exceptions=True)  # type: ignore[arg-type]
            await relay._record_outcomes(session, rows, outcomes)
        async with db.session() as session:
            attempts, next_attempt_at = (await session.execute(select(t.c.attempts, t.c.next_attempt_at))).one()
    finally:
        await db.dispose()
    assert (attempts, next_attempt_at) == (1, None)
