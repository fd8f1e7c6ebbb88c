"""Event-path benchmark: customer outbox -> RabbitMQ -> engagement inbox + follow-up.

Run from the workspace root:

    .venv/bin/python bench/event_path.py [--events 5000] [--db postgres|sqlite]

One run measures, in a throwaway RabbitMQ vhost and fresh databases:
  1. raw aio-pika on a quorum queue (publish with confirms, consume with acks),
  2. our path's throughput (outbox rows committed here, relayed and consumed by
     the real `crm serve customer` / `crm serve engagement` processes),
  3. our path's latency at a steady HTTP rate (POST /customers).
See bench/README.md for what every printed figure means.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import signal
import socket
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import aio_pika
import asyncpg
import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from contracts import Envelope
from contracts.events.customer import CustomerRegisteredV1
from customer.models import kit as customer_kit
from customer.records import service as customer_service
from customer.records.schemas import CustomerCreate
from engagement.models import FollowUp
from engagement.models import kit as engagement_kit
from servicekit.auth import Principal, Role, mint_token
from servicekit.db import Database, create_engine, utcnow
from servicekit.outbox import Outbox, record_events

ROOT = Path(__file__).resolve().parents[1]
CRM = ROOT / ".venv" / "bin" / "crm"
VHOST = "crm_bench"
BROKER_URL = f"amqp://guest:guest@127.0.0.1:5672/{VHOST}"
PG_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/{db}"
STALL_SECONDS = 30.0  # no progress for this long means something is broken, not slow


def log(message: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {message}", flush=True)


# -- figures ----------------------------------------------------------------------


def percentile(ordered: list[float], q: float) -> float:
    # nearest rank: the smallest sample with at least q% of samples at or below it
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def distribution(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50": percentile(ordered, 50),
        "p95": percentile(ordered, 95),
        "p99": percentile(ordered, 99),
        "max": ordered[-1],
    }


@dataclass
class Results:
    raw: dict[str, float] = field(default_factory=dict)
    throughput: dict[str, float] = field(default_factory=dict)
    latency: list[dict[str, Any]] = field(default_factory=list)
    idle_busy: float = 0.0  # machine CPU busy before the run, 0..1


# -- helpers ----------------------------------------------------------------------


async def run(*argv: str, env: dict[str, str] | None = None, check: bool = True) -> str:
    proc = await asyncio.create_subprocess_exec(
        *argv, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    output = (await proc.communicate())[0].decode(errors="replace")
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {proc.returncode}:\n{output}")
    return output


async def wait_for(probe: Callable[[], Awaitable[int]], target: int, *, what: str, interval: float = 0.02) -> None:
    """Poll `probe` until it reaches `target`; fail when it stops moving."""
    last, last_change = -1, time.monotonic()
    while True:
        value = await probe()
        if value >= target:
            return
        if value != last:
            last, last_change = value, time.monotonic()
        elif time.monotonic() - last_change > STALL_SECONDS:
            raise RuntimeError(f"{what}: stuck at {value}/{target} for {STALL_SECONDS:.0f}s")
        await asyncio.sleep(interval)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- broker vhost -----------------------------------------------------------------


async def create_vhost() -> None:
    await run("rabbitmqctl", "delete_vhost", VHOST, check=False)  # leftover of a killed run
    await run("rabbitmqctl", "add_vhost", VHOST)
    await run("rabbitmqctl", "set_permissions", "-p", VHOST, "guest", ".*", ".*", ".*")


async def delete_vhost() -> None:
    await run("rabbitmqctl", "delete_vhost", VHOST, check=False)


# -- databases --------------------------------------------------------------------


@dataclass(frozen=True)
class Databases:
    customer_url: str
    engagement_url: str
    pg_names: tuple[str, ...] = ()


async def create_databases(kind: str, workdir: Path) -> Databases:
    if kind == "sqlite":
        return Databases(
            customer_url=f"sqlite+aiosqlite:///{workdir / 'customer.db'}",
            engagement_url=f"sqlite+aiosqlite:///{workdir / 'engagement.db'}",
        )
    suffix = f"{os.getpid()}_{uuid.uuid4().hex[:6]}"
    names = (f"crm_bench_customer_{suffix}", f"crm_bench_engagement_{suffix}")
    conn = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        for name in names:
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return Databases(PG_URL.format(db=names[0]), PG_URL.format(db=names[1]), names)


async def drop_databases(dbs: Databases) -> None:
    if not dbs.pg_names:
        return  # SQLite files go with the temporary directory
    conn = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        for name in dbs.pg_names:
            # FORCE: a process killed mid-run may still hold connections
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


# -- services as processes --------------------------------------------------------


class ServiceProcess:
    """One `crm serve <name>` process, its log file and its readiness probe."""

    def __init__(self, name: str, env: dict[str, str], port: int, logdir: Path) -> None:
        self.name = name
        self.env = env
        self.port = port
        self.log_path = logdir / f"{name}.log"
        self.proc: asyncio.subprocess.Process | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        log_file = self.log_path.open("ab")
        # own session: a Ctrl-C in the terminal reaches only the bench, which stops us in order
        self.proc = await asyncio.create_subprocess_exec(
            str(CRM), "serve", self.name, env=self.env, stdout=log_file, stderr=log_file, start_new_session=True
        )
        log_file.close()

    async def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(base_url=self.base_url, timeout=2) as client:
            while time.monotonic() < deadline:
                if self.proc is None or self.proc.returncode is not None:
                    raise RuntimeError(f"{self.name} exited early:\n{self.log_tail()}")
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get("/readyz")).status_code == 200:
                        return
                await asyncio.sleep(0.2)
        raise RuntimeError(f"{self.name} not ready after {timeout:.0f}s:\n{self.log_tail()}")

    async def stop(self) -> None:
        if self.proc is None or self.proc.returncode is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.proc.wait(), timeout=20)  # uvicorn drains for up to 15 s
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()

    def log_tail(self) -> str:
        return log_tail(self.log_path)


def log_tail(path: Path, lines: int = 25) -> str:
    if not path.exists():
        return "(no log)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def service_env(dbs: Databases, ports: dict[str, int], workdir: Path, log_level: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRM_OUTBOX_POLL")}
    env.update(
        CRM_BROKER_URL=BROKER_URL,
        CRM_CUSTOMER_DATABASE_URL=dbs.customer_url,
        CRM_ENGAGEMENT_DATABASE_URL=dbs.engagement_url,
        CRM_CUSTOMER_PORT=str(ports["customer"]),
        CRM_ENGAGEMENT_PORT=str(ports["engagement"]),
        CRM_VAR_DIR=str(workdir),  # never touch the repo's var/
        CRM_LOG_LEVEL=log_level,
        PYTHONUNBUFFERED="1",  # a crash's last log lines reach the file
    )
    return env


# -- 1. raw aio-pika baseline -----------------------------------------------------


def registered_event(i: int) -> CustomerRegisteredV1:
    return CustomerRegisteredV1(
        customer_id=str(uuid.uuid4()),
        number=f"KH-2026-{i:06d}",
        name=f"Bench customer {i}",
        customer_type="potential",
        stage="contact",
        tier="low",
        service_level="normal",
        owner="bench",
        registered_at=utcnow(),
    )


def sample_envelope() -> str:
    """A real customer.registered.v1 envelope, so raw messages have our body size."""
    event = registered_event(1)
    envelope = Envelope.wrap(event, producer="customer", aggregate_id=event.customer_id, aggregate_version=1)
    return envelope.model_dump_json()


def raw_message(body: bytes) -> aio_pika.Message:
    return aio_pika.Message(
        body=body,
        message_id=str(uuid.uuid4()),
        type="customer.registered.v1",
        content_type="application/json",
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
    )


async def raw_publish(exchange: aio_pika.abc.AbstractExchange, queue: str, body: bytes, n: int, window: int) -> float:
    started = time.perf_counter()
    for first in range(0, n, window):
        # at most `window` unconfirmed messages, like the relay's batch of 200
        await asyncio.gather(
            *(
                exchange.publish(raw_message(body), routing_key=queue, mandatory=True)
                for _ in range(min(window, n - first))
            )
        )
    return n / (time.perf_counter() - started)


async def raw_latency(
    connection: aio_pika.abc.AbstractConnection,
    exchange: aio_pika.abc.AbstractExchange,
    queue_name: str,
    body: bytes,
    *,
    rate: float = 100.0,
    count: int = 300,
) -> dict[str, dict[str, float]]:
    """The broker's own floor: one message at a time at `rate`/s, publish -> confirm and publish -> delivered."""
    channel = await connection.channel()
    queue = await channel.get_queue(queue_name)
    sent: dict[str, float] = {}
    confirmed: list[float] = []
    delivered: list[float] = []

    async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
        delivered.append((time.perf_counter() - sent[message.message_id]) * 1000)
        await message.ack()

    async def publish_one() -> None:
        message = raw_message(body)
        sent[message.message_id] = started = time.perf_counter()
        await exchange.publish(message, routing_key=queue_name, mandatory=True)
        confirmed.append((time.perf_counter() - started) * 1000)

    tag = await queue.consume(on_message)
    tasks = []
    for _ in range(count):
        tasks.append(asyncio.create_task(publish_one()))
        await asyncio.sleep(1 / rate)
    await asyncio.gather(*tasks)
    await wait_for(lambda: _len(delivered), count, what="raw deliveries")
    await queue.cancel(tag)
    await channel.close()
    return {"confirm_ms": distribution(confirmed), "deliver_ms": distribution(delivered)}


async def _len(items: list[Any]) -> int:
    return len(items)


async def raw_consume(connection: aio_pika.abc.AbstractConnection, queue_name: str, n: int, prefetch: int) -> float:
    channel = await connection.channel()
    await channel.set_qos(prefetch_count=prefetch)
    queue = await channel.get_queue(queue_name)
    done = asyncio.Event()
    count = 0

    async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
        nonlocal count
        await message.ack()
        count += 1
        if count == n:
            done.set()

    started = time.perf_counter()
    tag = await queue.consume(on_message)
    await asyncio.wait_for(done.wait(), timeout=STALL_SECONDS + n / 100)
    elapsed = time.perf_counter() - started
    await queue.cancel(tag)
    await channel.close()
    return n / elapsed


async def raw_baseline(n: int, window: int, prefetch: int) -> dict[str, Any]:
    body = sample_envelope().encode()
    connection = await aio_pika.connect(BROKER_URL)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        queue = await channel.declare_queue(
            f"bench.raw.{uuid.uuid4().hex[:8]}", durable=True, arguments={"x-queue-type": "quorum"}
        )
        try:
            log(f"raw: publishing {n} persistent {len(body)}-byte messages, window {window}")
            publish_rate = await raw_publish(channel.default_exchange, queue.name, body, n, window)
            log(f"raw: consuming {n} with prefetch {prefetch}, ack each")
            consume_rate = await raw_consume(connection, queue.name, n, prefetch)
            log("raw: latency, one message at a time at 100/s")
            latencies = await raw_latency(connection, channel.default_exchange, queue.name, body)
        finally:
            await queue.delete(if_unused=False, if_empty=False)
    return {"publish_rate": publish_rate, "consume_rate": consume_rate, "body_bytes": len(body), **latencies}


# -- database probes --------------------------------------------------------------


async def followup_count(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return (await conn.execute(select(func.count()).select_from(FollowUp.__table__))).scalar_one()


async def max_outbox_seq(engine: AsyncEngine) -> int:
    outbox = customer_kit.outbox
    async with engine.connect() as conn:
        return (await conn.execute(select(func.coalesce(func.max(outbox.c.seq), 0)))).scalar_one()


# -- CPU accounting ---------------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int) -> float:
    """utime + stime of one process, in seconds (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def pids_named(prefix: str) -> list[int]:
    pids = []
    for comm in Path("/proc").glob("[0-9]*/comm"):
        with contextlib.suppress(OSError):
            if comm.read_text().startswith(prefix):
                pids.append(int(comm.parent.name))
    return pids


def machine_busy() -> float:
    """Non-idle CPU seconds of the whole machine, all cores."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return (sum(values) - values[3] - values[4]) / CLOCK_TICKS  # minus idle and iowait


@dataclass(frozen=True)
class CpuUsage:
    components: dict[str, float]  # CPU seconds per named component
    machine: float  # CPU seconds of the whole machine, all cores
    wall: float

    def per_event_ms(self, events: int) -> dict[str, float]:
        # "other": everything not named, e.g. kernel networking or a test run next door
        other = self.machine - sum(self.components.values())
        return {name: used * 1000 / events for name, used in {**self.components, "other": other}.items()}

    @property
    def utilisation(self) -> float:
        return self.machine / (self.wall * (os.cpu_count() or 1))


class CpuMeter:
    """CPU used per component between two snapshots (Linux /proc)."""

    def __init__(self, processes: dict[str, Callable[[], list[int]]]) -> None:
        self.processes = processes

    def snapshot(self) -> tuple[dict[str, dict[int, float]], float, float]:
        taken = {name: {pid: process_cpu(pid) for pid in pids()} for name, pids in self.processes.items()}
        return taken, machine_busy(), time.monotonic()

    def since(self, before: tuple[dict[str, dict[int, float]], float, float]) -> CpuUsage:
        (old, old_machine, old_wall), (new, new_machine, new_wall) = before, self.snapshot()
        # a process that exited in between is lost; postgres backends live as long as the pools
        components = {
            name: sum(used - old[name].get(pid, 0.0) for pid, used in pids.items()) for name, pids in new.items()
        }
        return CpuUsage(components, new_machine - old_machine, new_wall - old_wall)


# -- 2. throughput ----------------------------------------------------------------


def writer_database(url: str) -> Database:
    """The customer service's Database wiring (as ServiceRuntime does it), without its relay."""
    db = Database(url, service="customer")
    db.session_info.update(outbox=Outbox(producer="customer", table=customer_kit.outbox), kit_tables=customer_kit)
    return db


async def add_batch(session: Any, numbers: range, writer: str) -> None:
    if writer == "service":  # the whole use case per customer: counter, customer row, outbox row
        principal = Principal(subject="bench", roles=frozenset({Role.agent}))
        for i in numbers:
            await customer_service.create(session, principal, CustomerCreate(name=f"Bench customer {i}", owner="bench"))
    else:  # outbox rows only, one multi-row INSERT: leaves the 2 CPUs to the event path
        events = [registered_event(i) for i in numbers]
        await record_events(session, [(event, event.customer_id, 1) for event in events])


async def write_customers(db: Database, n: int, batch: int, writer: str) -> tuple[datetime, float]:
    """Commit n customer.registered.v1 events, `batch` per transaction; return first-commit time and rate."""
    first_commit: datetime | None = None
    started = time.perf_counter()
    for first in range(0, n, batch):
        async with db.session() as session:
            await add_batch(session, range(first, min(n, first + batch)), writer)
        first_commit = first_commit or utcnow()
    assert first_commit is not None
    return first_commit, n / (time.perf_counter() - started)


async def throughput(dbs: Databases, n: int, batch: int, writer_mode: str, cpu: CpuMeter) -> dict[str, Any]:
    writer = writer_database(dbs.customer_url)
    customer_engine, engagement_engine = create_engine(dbs.customer_url), create_engine(dbs.engagement_url)
    try:
        log(
            f"throughput: committing {n} events ({writer_mode} writer), {batch} per transaction, from the bench process"
        )
        watcher = asyncio.create_task(
            wait_for(lambda: followup_count(engagement_engine), n, what="engagement follow-ups")
        )
        before = cpu.snapshot()
        first_commit, write_rate = await write_customers(writer, n, batch, writer_mode)
        log(f"throughput: all committed ({write_rate:.0f}/s); waiting for {n} follow-ups")
        await watcher
        usage = cpu.since(before)
        last_published, last_followup = await last_timestamps(customer_engine, engagement_engine)
    finally:
        await asyncio.gather(writer.dispose(), customer_engine.dispose(), engagement_engine.dispose())
    elapsed = (last_followup - first_commit).total_seconds()
    return {
        "write_rate": write_rate,
        "relay_rate": n / (last_published - first_commit).total_seconds(),
        "end_to_end_rate": n / elapsed,
        "elapsed_s": elapsed,
        "cpu_ms_per_event": usage.per_event_ms(n),
        "cpu_utilisation": usage.utilisation,
    }


async def latest(engine: AsyncEngine, column: Any) -> datetime:
    # ORDER BY, not max(): func.max bypasses the UTCDateTime type on SQLite and returns a naive string
    async with engine.connect() as conn:
        return (await conn.execute(select(column).order_by(column.desc()).limit(1))).scalar_one()


async def last_timestamps(customer_engine: AsyncEngine, engagement_engine: AsyncEngine) -> tuple[datetime, datetime]:
    published = await latest(customer_engine, customer_kit.outbox.c.published_at)
    handled = await latest(engagement_engine, FollowUp.__table__.c.created_at)
    return published, handled


# -- 3. latency -------------------------------------------------------------------


class RawHttpClient:
    """Keep-alive HTTP/1.1 JSON POSTs on bare asyncio streams.

    httpx costs ~3 ms CPU per request here: at 100/s a third of one of the two
    cores the services under test need. This costs ~0.3 ms.
    """

    def __init__(self, base_url: str, headers: dict[str, str]) -> None:
        url = httpx.URL(base_url)
        self.host, self.port = url.host, url.port or 80
        self.head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter, float]] = []

    async def _connection(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        while self.idle:
            reader, writer, idle_since = self.idle.pop()
            if time.monotonic() - idle_since < 4.0:  # uvicorn closes keep-alive connections idle for 5 s
                return reader, writer
            writer.close()
        return await asyncio.open_connection(self.host, self.port)

    async def post_json(self, path: str, payload: object) -> tuple[int, bytes]:
        body = json.dumps(payload).encode()
        reader, writer = await self._connection()
        try:
            writer.write(
                f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\n{self.head}"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            status = int((await reader.readline()).split()[1])
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            data = await reader.readexactly(length)
        except BaseException:
            writer.close()  # a half-read connection can never be reused
            raise
        self.idle.append((reader, writer, time.monotonic()))
        return status, data

    def close(self) -> None:
        for _, writer, _ in self.idle:
            writer.close()
        self.idle.clear()


@dataclass
class HttpResult:
    customer_id: str | None
    seconds: float
    error: str | None = None


async def post_customer(client: RawHttpClient, label: str) -> HttpResult:
    started = time.perf_counter()
    try:
        status, body = await asyncio.wait_for(
            client.post_json("/customers", {"name": f"Latency customer {label}", "owner": "bench"}), timeout=30
        )
    except (OSError, ValueError, IndexError, asyncio.IncompleteReadError, TimeoutError) as exc:
        return HttpResult(None, time.perf_counter() - started, type(exc).__name__)
    if status != 201:
        return HttpResult(None, time.perf_counter() - started, f"HTTP {status}: {body[:120].decode(errors='replace')}")
    return HttpResult(json.loads(body)["id"], time.perf_counter() - started)


async def drive(client: RawHttpClient, rate: float, count: int, label: str) -> tuple[list[HttpResult], float]:
    """Open loop: request i starts at i/rate s whatever the earlier ones are doing."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    tasks = []
    for i in range(count):
        delay = start + i / rate - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(post_customer(client, f"{label}-{i}")))
    sent_rate = count / (loop.time() - start) if count > 1 else rate
    return list(await asyncio.gather(*tasks)), sent_rate


async def outbox_count(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return (await conn.execute(select(func.count()).select_from(customer_kit.outbox))).scalar_one()


async def drain(customer_engine: AsyncEngine, engagement_engine: AsyncEngine, what: str) -> None:
    """Wait until every outbox row so far has its follow-up (one each)."""
    target = await outbox_count(customer_engine)
    await wait_for(lambda: followup_count(engagement_engine), target, what=what, interval=0.05)


async def outbox_rows(engine: AsyncEngine, customer_ids: set[str], after_seq: int) -> dict[str, Any]:
    """event id -> outbox row (created_at, published_at) for the registrations of these customers."""
    outbox = customer_kit.outbox
    query = select(outbox.c.event_id, outbox.c.aggregate_id, outbox.c.created_at, outbox.c.published_at).where(
        outbox.c.seq > after_seq
    )
    async with engine.connect() as conn:
        rows = (await conn.execute(query)).all()
    return {row.event_id: row for row in rows if row.aggregate_id in customer_ids}


async def handled_at(engine: AsyncEngine, event_ids: set[str]) -> dict[str, tuple[datetime, datetime]]:
    """event id -> (inbox.processed_at, followups.created_at)."""
    inbox, followups = engagement_kit.inbox, FollowUp.__table__
    query = select(inbox.c.event_id, inbox.c.processed_at, followups.c.created_at).join(
        followups, followups.c.source_event_id == inbox.c.event_id
    )
    async with engine.connect() as conn:
        rows = (await conn.execute(query)).all()
    return {row.event_id: (row.processed_at, row.created_at) for row in rows if row.event_id in event_ids}


async def latency(
    base_url: str, dbs: Databases, rate: float, seconds: float, warmup: int, cpu: CpuMeter
) -> dict[str, Any]:
    client = RawHttpClient(base_url, {"Authorization": f"Bearer {mint_token('bench', ['agent'], ttl_seconds=3600)}"})
    customer_engine, engagement_engine = create_engine(dbs.customer_url), create_engine(dbs.engagement_url)
    try:
        log(f"latency: {warmup} warm-up requests (not counted)")
        await drive(client, rate, warmup, "warmup")
        await drain(customer_engine, engagement_engine, "warm-up follow-ups")
        after_seq = await max_outbox_seq(customer_engine)
        count = int(rate * seconds)
        log(f"latency: {count} POST /customers at {rate:.0f}/s for {seconds:.0f}s")
        before = cpu.snapshot()
        results, sent_rate = await drive(client, rate, count, "run")
        await drain(customer_engine, engagement_engine, "latency follow-ups")
        usage = cpu.since(before)
        created = {r.customer_id for r in results if r.customer_id}
        events = await outbox_rows(customer_engine, created, after_seq)
        handled = await handled_at(engagement_engine, set(events))
    finally:
        client.close()
        await asyncio.gather(customer_engine.dispose(), engagement_engine.dispose())
    ms = lambda a, b: (b - a).total_seconds() * 1000  # noqa: E731
    return {
        "rate": rate,
        "requests": count,
        "sent_rate": sent_rate,
        "errors": Counter(r.error for r in results if r.error),
        "cpu_ms_per_event": usage.per_event_ms(count),
        "cpu_utilisation": usage.utilisation,
        "http_ms": distribution([r.seconds * 1000 for r in results]),
        "publish_ms": distribution([ms(row.created_at, row.published_at) for row in events.values()]),
        "inbox_ms": distribution([ms(row.created_at, handled[e][0]) for e, row in events.items()]),
        "followup_ms": distribution([ms(row.created_at, handled[e][1]) for e, row in events.items()]),
    }


# -- report -----------------------------------------------------------------------


def cpu_line(figures: dict[str, Any]) -> str:
    cpu = figures["cpu_ms_per_event"]
    parts = ", ".join(f"{name} {ms:.2f}" for name, ms in cpu.items())
    # near 100% the machine itself is the limit, whatever the code does
    return f"CPU ms/event: {parts}; machine busy {figures['cpu_utilisation']:.0%} of {os.cpu_count()} cores"


def print_summary(args: argparse.Namespace, results: Results) -> None:
    raw, thr = results.raw, results.throughput
    ratio = thr["end_to_end_rate"] / raw["consume_rate"]
    machine = f"{os.cpu_count()} CPUs, {results.idle_busy:.0%} busy before the run"
    print(f"\n== event path benchmark: --db {args.db}, {machine} ==")
    print(f"1. raw aio-pika, fresh quorum queue, {args.events} persistent {raw['body_bytes']:.0f}-byte messages")
    print(f"   {'publish + confirm, window ' + str(args.window):<44}{raw['publish_rate']:8.0f} ev/s")
    print(f"   {'consume + ack, prefetch ' + str(args.prefetch):<44}{raw['consume_rate']:8.0f} ev/s")
    print(f"   {'ms, one at a time at 100/s':<30}{'p50':>9}{'p95':>9}{'p99':>9}{'max':>9}")
    for key, label in (("confirm_ms", "publish -> confirm"), ("deliver_ms", "publish -> delivered")):
        print(f"   {label:<30}" + "".join(f"{raw[key][q]:9.1f}" for q in ("p50", "p95", "p99", "max")))
    print(f"2. our path, throughput: {args.events} events, {args.writer} writer, relay poll {args.poll} s")
    print(f"   {'bench commits, ' + str(args.batch) + ' per transaction':<44}{thr['write_rate']:8.0f} ev/s")
    print(f"   {'relay: first commit -> last confirmed':<44}{thr['relay_rate']:8.0f} ev/s")
    print(f"   {'end to end: first commit -> last follow-up':<44}{thr['end_to_end_rate']:8.0f} ev/s")
    print(f"   {'ours / raw consume':<44}{ratio:8.0%}      {'ok' if ratio >= 0.30 else 'below the 30% aim'}")
    print(f"   {cpu_line(thr)}")
    for lat in results.latency:
        print(
            f"3. our path, latency: POST /customers at {lat['rate']:.0f}/s for {args.seconds:.0f} s "
            f"({lat['requests']} requests, sent {lat['sent_rate']:.1f}/s, {sum(lat['errors'].values())} errors)"
        )
        for error, times in lat["errors"].most_common(3):
            print(f"   error x{times}: {error}")
        print(f"   {'ms':<30}{'p50':>9}{'p95':>9}{'p99':>9}{'max':>9}")
        for key, label in (
            ("publish_ms", "commit -> published"),
            ("inbox_ms", "commit -> inbox row"),
            ("followup_ms", "commit -> follow-up"),
            ("http_ms", "HTTP POST /customers"),
        ):
            d = lat[key]
            verdict = ("  ok" if d["p99"] < 100 else "  p99 above the 100 ms aim") if key == "followup_ms" else ""
            print(f"   {label:<30}{d['p50']:9.1f}{d['p95']:9.1f}{d['p99']:9.1f}{d['max']:9.1f}{verdict}")
        print(f"   {cpu_line(lat)}")
    print()


# -- orchestration ----------------------------------------------------------------


async def migrate(env: dict[str, str]) -> None:
    await run(str(CRM), "migrate", "customer", "engagement", env=env)


async def machine_busy_now(seconds: float = 2.0) -> float:
    before = machine_busy()
    await asyncio.sleep(seconds)
    return (machine_busy() - before) / (seconds * (os.cpu_count() or 1))


async def start_services(
    args: argparse.Namespace, dbs: Databases, workdir: Path, logdir: Path, stack: contextlib.AsyncExitStack
) -> tuple[ServiceProcess, ServiceProcess, dict[str, str]]:
    """Migrate, then start engagement and customer; return them and the customer's default env."""
    ports = {"customer": free_port(), "engagement": free_port()}
    env = {**service_env(dbs, ports, workdir, args.log_level), "CRM_PREFETCH": str(args.prefetch)}
    await migrate(env)
    engagement = ServiceProcess("engagement", env, ports["engagement"], logdir)
    # fast fallback poll: the bench's commits are in another process, so they cannot wake the relay
    fast_poll = {**env, "CRM_OUTBOX_POLL_SECONDS": str(args.poll)}
    customer = ServiceProcess("customer", fast_poll, ports["customer"], logdir)
    stack.push_async_callback(lambda: asyncio.gather(engagement.stop(), customer.stop()))
    await asyncio.gather(engagement.start(), customer.start())
    await asyncio.gather(engagement.wait_ready(), customer.wait_ready())
    return customer, engagement, env


async def our_path(
    args: argparse.Namespace, dbs: Databases, customer: ServiceProcess, engagement: ServiceProcess, env: dict[str, str]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    cpu = CpuMeter(
        {
            "customer": lambda: [customer.proc.pid],  # looked up each time: the customer is restarted
            "engagement": lambda: [engagement.proc.pid],
            "bench": lambda: [os.getpid()],
            "rabbitmq": lambda: pids_named("beam.smp"),
            "postgres": lambda: pids_named("postgres"),
        }
    )
    throughput_figures = await throughput(dbs, args.events, args.batch, args.writer, cpu)
    log("latency: restarting customer with the default poll, so only the in-process wake is fast")
    await customer.stop()
    customer.env = env
    await customer.start()
    await customer.wait_ready()
    latencies = [await latency(customer.base_url, dbs, rate, args.seconds, args.warmup, cpu) for rate in args.rate]
    return throughput_figures, latencies


async def main(args: argparse.Namespace) -> Results:
    # SIGTERM cleans up like Ctrl-C: cancel, let the exit stack stop and drop everything
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, asyncio.current_task().cancel)
    results = Results()
    async with contextlib.AsyncExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="crm-bench-")))
        logdir = Path(args.logs) if args.logs else workdir
        logdir.mkdir(parents=True, exist_ok=True)
        results.idle_busy = busy = await machine_busy_now()
        # another workload on the box steals CPU from the services: the figures would be low
        log(
            f"machine busy before the run: {busy:.0%}"
            + ("  WARNING: not idle, figures will be low" if busy > 0.15 else "")
        )

        log(f"setting up vhost {VHOST} and {args.db} databases (work dir {workdir})")
        await create_vhost()
        stack.push_async_callback(delete_vhost)
        results.raw = await raw_baseline(args.events, args.window, args.prefetch)

        dbs = await create_databases(args.db, workdir)
        stack.push_async_callback(drop_databases, dbs)
        try:
            customer, engagement, env = await start_services(args, dbs, workdir, logdir, stack)
            results.throughput, results.latency = await our_path(args, dbs, customer, engagement, env)
        except Exception:
            for name in ("engagement", "customer"):
                print(f"--- last lines of {logdir / name}.log ---\n{log_tail(logdir / f'{name}.log')}", file=sys.stderr)
            raise
        log("cleaning up: stopping services, dropping databases, deleting vhost")
    return results


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=5000, help="events for the raw and throughput runs")
    parser.add_argument("--db", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument(
        "--writer",
        choices=("outbox", "service"),
        default="outbox",
        help="throughput run: outbox rows via record_events, or the whole customer.records.service.create",
    )
    parser.add_argument("--batch", type=int, default=50, help="customers per bench transaction")
    parser.add_argument("--poll", type=float, default=0.05, help="CRM_OUTBOX_POLL_SECONDS for the throughput run")
    parser.add_argument("--window", type=int, default=200, help="raw publish: outstanding confirms")
    parser.add_argument("--prefetch", type=int, default=32, help="raw consume prefetch (ours: CRM_PREFETCH)")
    parser.add_argument("--rate", type=float, nargs="+", default=[100.0], help="latency run(s): requests per second")
    parser.add_argument("--seconds", type=float, default=20.0, help="latency run: duration")
    parser.add_argument("--warmup", type=int, default=50, help="latency run: uncounted warm-up requests")
    parser.add_argument("--logs", default=None, help="keep the services' logs in this directory")
    parser.add_argument("--log-level", default="INFO", help="CRM_LOG_LEVEL of the services")
    return parser.parse_args(argv)


def entry() -> int:
    args = parse_args()
    try:
        results = asyncio.run(main(args))
    except (KeyboardInterrupt, asyncio.CancelledError):  # main() was cancelled; its cleanup has already run
        print("\ninterrupted; services stopped, bench databases and vhost removed", file=sys.stderr)
        return 130
    print_summary(args, results)
    return 0


if __name__ == "__main__":
    sys.exit(entry())
