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
import math
import os
import signal
import socket
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aio_pika
import asyncpg
import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from contracts import Envelope
from contracts.events.customer import CustomerRegisteredV1
from customer import service as customer_service
from customer.models import kit as customer_kit
from customer.schemas import CustomerCreate
from engagement.models import FollowUp
from engagement.models import kit as engagement_kit
from servicekit.auth import Principal, Role, mint_token
from servicekit.db import Database, create_engine, utcnow
from servicekit.outbox import Outbox

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
    latency: dict[str, Any] = field(default_factory=dict)


# -- subprocess helpers -----------------------------------------------------------


async def run(*argv: str, env: dict[str, str] | None = None, check: bool = True) -> str:
    proc = await asyncio.create_subprocess_exec(
        *argv, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    output = (await proc.communicate())[0].decode(errors="replace")
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {proc.returncode}:\n{output}")
    return output


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

    def __init__(self, name: str, env: dict[str, str], port: int, workdir: Path) -> None:
        self.name = name
        self.env = env
        self.port = port
        self.log_path = workdir / f"{name}.log"
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

    def log_tail(self, lines: int = 25) -> str:
        if not self.log_path.exists():
            return "(no log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


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


def sample_envelope() -> str:
    """A real customer.registered.v1 envelope, so raw messages have our body size."""
    event = CustomerRegisteredV1(
        customer_id=str(uuid.uuid4()),
        number="KH-2026-000001",
        name="Bench customer 000001",
        customer_type="potential",
        stage="contact",
        tier="low",
        service_level="normal",
        owner="bench",
        registered_at=utcnow(),
    )
    envelope = Envelope.wrap(event, producer="customer", aggregate_id=event.customer_id, aggregate_version=1)
    return envelope.model_dump_json()


async def raw_publish(exchange: aio_pika.abc.AbstractExchange, queue: str, body: bytes, n: int, window: int) -> float:
    async def publish_one() -> None:
        message = aio_pika.Message(
            body=body,
            message_id=str(uuid.uuid4()),
            type="customer.registered.v1",
            content_type="application/json",
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        )
        await exchange.publish(message, routing_key=queue, mandatory=True)

    started = time.perf_counter()
    for first in range(0, n, window):
        # at most `window` unconfirmed messages, like the relay's batch of 200
        await asyncio.gather(*(publish_one() for _ in range(min(window, n - first))))
    return n / (time.perf_counter() - started)


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


async def raw_baseline(n: int, window: int, prefetch: int) -> dict[str, float]:
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
        finally:
            await queue.delete(if_unused=False, if_empty=False)
    return {"publish_rate": publish_rate, "consume_rate": consume_rate, "body_bytes": len(body)}


# -- database probes --------------------------------------------------------------


async def wait_for(
    probe: Callable[[], Awaitable[int]], target: int, *, what: str, interval: float = 0.02
) -> None:
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


async def followup_count(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return (await conn.execute(select(func.count()).select_from(FollowUp.__table__))).scalar_one()


async def max_outbox_seq(engine: AsyncEngine) -> int:
    outbox = customer_kit.outbox
    async with engine.connect() as conn:
        return (await conn.execute(select(func.coalesce(func.max(outbox.c.seq), 0)))).scalar_one()


# -- 2. throughput ----------------------------------------------------------------


def writer_database(url: str) -> Database:
    """The customer service's Database wiring (as ServiceRuntime does it), without its relay."""
    db = Database(url, service="customer")
    db.session_info.update(outbox=Outbox(producer="customer", table=customer_kit.outbox), kit_tables=customer_kit)
    return db


async def write_customers(db: Database, n: int, batch: int) -> tuple[datetime, float]:
    """Create n customers via customer.service.create, `batch` per transaction; return first-commit time and rate."""
    principal = Principal(subject="bench", roles=frozenset({Role.agent}))
    first_commit: datetime | None = None
    started = time.perf_counter()
    for first in range(0, n, batch):
        async with db.session() as session:
            for i in range(first, min(n, first + batch)):
                await customer_service.create(session, principal, CustomerCreate(name=f"Bench customer {i}", owner="bench"))
        first_commit = first_commit or utcnow()
    assert first_commit is not None
    return first_commit, n / (time.perf_counter() - started)


async def throughput(dbs: Databases, n: int, batch: int) -> dict[str, float]:
    writer = writer_database(dbs.customer_url)
    customer_engine, engagement_engine = create_engine(dbs.customer_url), create_engine(dbs.engagement_url)
    try:
        log(f"throughput: committing {n} customers, {batch} per transaction, from the bench process")
        watcher = asyncio.create_task(
            wait_for(lambda: followup_count(engagement_engine), n, what="engagement follow-ups")
        )
        first_commit, write_rate = await write_customers(writer, n, batch)
        log(f"throughput: all committed ({write_rate:.0f}/s); waiting for {n} follow-ups")
        await watcher
        last_published, last_followup = await last_timestamps(customer_engine, engagement_engine)
    finally:
        await asyncio.gather(writer.dispose(), customer_engine.dispose(), engagement_engine.dispose())
    elapsed = (last_followup - first_commit).total_seconds()
    return {
        "write_rate": write_rate,
        "relay_rate": n / (last_published - first_commit).total_seconds(),
        "end_to_end_rate": n / elapsed,
        "elapsed_s": elapsed,
    }


async def last_timestamps(customer_engine: AsyncEngine, engagement_engine: AsyncEngine) -> tuple[datetime, datetime]:
    outbox = customer_kit.outbox
    async with customer_engine.connect() as conn:
        published = (await conn.execute(select(outbox.c.published_at).order_by(outbox.c.published_at.desc()).limit(1))).scalar_one()
    followups = FollowUp.__table__
    async with engagement_engine.connect() as conn:
        handled = (await conn.execute(select(followups.c.created_at).order_by(followups.c.created_at.desc()).limit(1))).scalar_one()
    return published, handled  # through the UTCDateTime type, so aware on SQLite too


# -- 3. latency -------------------------------------------------------------------


@dataclass
class HttpResult:
    customer_id: str | None
    seconds: float


async def post_customer(client: httpx.AsyncClient, label: str) -> HttpResult:
    started = time.perf_counter()
    try:
        response = await client.post("/customers", json={"name": f"Latency customer {label}", "owner": "bench"})
    except httpx.HTTPError:
        return HttpResult(None, time.perf_counter() - started)
    ok = response.status_code == 201
    return HttpResult(response.json()["id"] if ok else None, time.perf_counter() - started)


async def drive(client: httpx.AsyncClient, rate: float, count: int, label: str) -> tuple[list[HttpResult], float]:
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


async def event_ids_for(engine: AsyncEngine, customer_ids: set[str], after_seq: int) -> dict[str, datetime]:
    """event id -> outbox.created_at for the registrations of these customers."""
    outbox = customer_kit.outbox
    query = select(outbox.c.event_id, outbox.c.aggregate_id, outbox.c.created_at, outbox.c.published_at).where(
        outbox.c.seq > after_seq
    )
    async with engine.connect() as conn:
        rows = (await conn.execute(query)).all()
    return {row.event_id: row for row in rows if row.aggregate_id in customer_ids}


async def handled_at(engine: AsyncEngine, event_ids: set[str]) -> dict[str, tuple[datetime, datetime]]:
    """event id -> (inbox.processed_at, followups.created_at), for the events handled so far."""
    inbox, followups = engagement_kit.inbox, FollowUp.__table__
    query = select(inbox.c.event_id, inbox.c.processed_at, followups.c.created_at).join(
        followups, followups.c.source_event_id == inbox.c.event_id
    )
    async with engine.connect() as conn:
        rows = (await conn.execute(query)).all()
    return {row.event_id: (row.processed_at, row.created_at) for row in rows if row.event_id in event_ids}


async def latency(base_url: str, dbs: Databases, rate: float, seconds: float, warmup: int) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {mint_token('bench', ['agent'], ttl_seconds=3600)}"}
    customer_engine, engagement_engine = create_engine(dbs.customer_url), create_engine(dbs.engagement_url)
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    try:
        async with httpx.AsyncClient(base_url=base_url, headers=headers, limits=limits, timeout=30) as client:
            log(f"latency: {warmup} warm-up requests (not counted)")
            await drive(client, rate, warmup, "warmup")
            after_seq = await max_outbox_seq(customer_engine)
            count = int(rate * seconds)
            log(f"latency: {count} POST /customers at {rate:.0f}/s for {seconds:.0f}s")
            results, sent_rate = await drive(client, rate, count, "run")
        created = {r.customer_id for r in results if r.customer_id}
        events = await event_ids_for(customer_engine, created, after_seq)
        ids = set(events)
        await wait_for(lambda: _count(handled_at(engagement_engine, ids)), len(ids), what="latency follow-ups", interval=0.2)
        handled = await handled_at(engagement_engine, ids)
        events = await event_ids_for(customer_engine, created, after_seq)  # again: now every published_at is set
    finally:
        await asyncio.gather(customer_engine.dispose(), engagement_engine.dispose())
    ms = lambda a, b: (b - a).total_seconds() * 1000  # noqa: E731
    return {
        "requests": count,
        "sent_rate": sent_rate,
        "errors": count - len(created),
        "http_ms": distribution([r.seconds * 1000 for r in results]),
        "publish_ms": distribution([ms(row.created_at, row.published_at) for row in events.values()]),
        "inbox_ms": distribution([ms(events[e].created_at, handled[e][0]) for e in ids]),
        "followup_ms": distribution([ms(events[e].created_at, handled[e][1]) for e in ids]),
    }


async def _count(probe: Awaitable[dict[str, Any]]) -> int:
    return len(await probe)


# -- report -----------------------------------------------------------------------


def print_summary(args: argparse.Namespace, results: Results) -> None:
    raw, thr, lat = results.raw, results.throughput, results.latency
    ratio = thr["end_to_end_rate"] / raw["consume_rate"]
    rows: list[tuple[str, str, str]] = [
        ("raw publish+confirm (quorum, persistent)", f"{raw['publish_rate']:8.0f} ev/s", ""),
        ("raw consume+ack (prefetch %d)" % args.prefetch, f"{raw['consume_rate']:8.0f} ev/s", ""),
        ("ours: bench writer commits", f"{thr['write_rate']:8.0f} ev/s", ""),
        ("ours: relay confirmed (first commit -> last publish)", f"{thr['relay_rate']:8.0f} ev/s", ""),
        ("ours: end to end (first commit -> N follow-ups)", f"{thr['end_to_end_rate']:8.0f} ev/s", ""),
        ("ours / raw consume", f"{ratio:8.0%}", "ok" if ratio >= 0.30 else "below 30% aim"),
    ]
    for key, label in (("publish_ms", "latency commit -> published"), ("inbox_ms", "latency commit -> inbox row"),
                       ("followup_ms", "latency commit -> follow-up")):
        d = lat[key]
        rows.append((f"{label} p50/p95/p99/max", f"{d['p50']:.1f}/{d['p95']:.1f}/{d['p99']:.1f}/{d['max']:.1f} ms", ""))
    rows[-1] = (*rows[-1][:2], "ok" if lat["followup_ms"]["p99"] < 100 else "p99 above 100 ms aim")
    http = lat["http_ms"]
    rows.append(("HTTP POST /customers p50/p99", f"{http['p50']:.1f}/{http['p99']:.1f} ms", ""))
    rows.append(("HTTP rate sent / errors", f"{lat['sent_rate']:.1f}/s, {lat['errors']} errors", ""))
    width = max(len(r[0]) for r in rows)
    print()
    print(f"== event path benchmark: --db {args.db}, {args.events} events, {os.cpu_count()} CPUs ==")
    for name, value, verdict in rows:
        print(f"  {name:<{width}}  {value:>28}  {verdict}")
    print()


# -- orchestration ----------------------------------------------------------------


async def migrate(env: dict[str, str]) -> None:
    await run(str(CRM), "migrate", "customer", "engagement", env=env)


async def main(args: argparse.Namespace) -> Results:
    # SIGTERM cleans up like Ctrl-C: cancel, let the exit stack stop and drop everything
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, asyncio.current_task().cancel)
    results = Results()
    async with contextlib.AsyncExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="crm-bench-")))
        log(f"setting up vhost {VHOST} and {args.db} databases (work dir {workdir})")
        await create_vhost()
        stack.push_async_callback(delete_vhost)
        results.raw = await raw_baseline(args.events, args.window, args.prefetch)

        dbs = await create_databases(args.db, workdir)
        stack.push_async_callback(drop_databases, dbs)
        ports = {"customer": free_port(), "engagement": free_port()}
        env = service_env(dbs, ports, workdir, args.log_level)
        await migrate(env)

        engagement = ServiceProcess("engagement", env, ports["engagement"], workdir)
        # fast fallback poll: the bench's commits are in another process, so they cannot wake the relay
        customer = ServiceProcess("customer", {**env, "CRM_OUTBOX_POLL_SECONDS": str(args.poll)}, ports["customer"], workdir)
        processes = [engagement, customer]
        stack.push_async_callback(lambda: asyncio.gather(*(p.stop() for p in processes)))
        try:
            await asyncio.gather(engagement.start(), customer.start())
            await asyncio.gather(engagement.wait_ready(), customer.wait_ready())
            results.throughput = await throughput(dbs, args.events, args.batch)

            log("latency: restarting customer with the default poll, so only the in-process wake is fast")
            await customer.stop()
            customer.env = env
            await customer.start()
            await customer.wait_ready()
            results.latency = await latency(customer.base_url, dbs, args.rate, args.seconds, args.warmup)
        except BaseException:
            for p in processes:
                print(f"--- last lines of {p.log_path.name} ---\n{p.log_tail()}", file=sys.stderr)
            raise
        log("cleaning up: stopping services, dropping databases, deleting vhost")
    return results


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=5000, help="events for the raw and throughput runs")
    parser.add_argument("--db", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--batch", type=int, default=50, help="customers per bench transaction")
    parser.add_argument("--poll", type=float, default=0.05, help="CRM_OUTBOX_POLL_SECONDS for the throughput run")
    parser.add_argument("--window", type=int, default=200, help="raw publish: outstanding confirms")
    parser.add_argument("--prefetch", type=int, default=32, help="raw consume prefetch (ours: CRM_PREFETCH)")
    parser.add_argument("--rate", type=float, default=100.0, help="latency run: requests per second")
    parser.add_argument("--seconds", type=float, default=20.0, help="latency run: duration")
    parser.add_argument("--warmup", type=int, default=50, help="latency run: uncounted warm-up requests")
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
