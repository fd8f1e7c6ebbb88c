"""Notifier campaign benchmark: a holiday greeting to N customers through the whole path.

Run from the workspace root (small first):

    .venv/bin/python bench/notifier_campaign.py --recipients 1000
    .venv/bin/python bench/notifier_campaign.py                     # 100,000

One run, in a throwaway RabbitMQ vhost and a fresh PostgreSQL database:
  1. starts a real SMTP sink (aiosmtpd, its own process) that writes each accepted message's Message-ID and
     acceptance time to a file, and the notifier as a process (`crm serve notifier`) sending to it;
  2. publishes N customer.contacts_changed.v1 and N customer.consent_changed.v1 (email, care, granted)
     straight to `crm.events` and waits until the notifier's read model holds them all;
  3. publishes N notification.requested.v1 (care_holiday_greeting, email) and waits for N SMTP acceptances;
  4. prints messages/s (first request published -> last SMTP acceptance), latency percentiles (request
     published -> SMTP accepted, matched by the Message-ID the notifier derives from the idempotency key),
     and the notifier's RSS (psutil, sampled every 100 ms) before and at peak during the campaign.
See bench/README.md for what the figures mean and the figures measured.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import os
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import aio_pika
import asyncpg
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from event_path import ServiceProcess, distribution, free_port, log, run, wait_for  # noqa: E402

from contracts import Envelope, Event  # noqa: E402
from contracts.events.customer import ContactPoint, CustomerConsentChangedV1, CustomerContactsChangedV1  # noqa: E402
from contracts.events.notification import NotificationRequestedV1, Recipient  # noqa: E402
from contracts.topology import EXCHANGE  # noqa: E402
from servicekit.db import utcnow  # noqa: E402

VHOST = f"crm_bench_notifier_{os.getpid()}"
BROKER_URL = f"amqp://guest:guest@127.0.0.1:5672/{VHOST}"
PG_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
PUBLISH_WINDOW = 500  # unconfirmed messages in flight while publishing
TEMPLATE = "care_holiday_greeting"


# -- the SMTP sink (run as `notifier_campaign.py --sink PORT FILE` in its own process) -------------------------


def run_sink(port: int, out: Path) -> None:
    """Accept every message; append "<message-id> <unix time accepted>" lines to `out`, flushed every 50 ms."""
    import threading

    from aiosmtpd.controller import Controller

    lines: list[str] = []
    lock = threading.Lock()

    class Counting:
        async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001 - aiosmtpd's hook
            accepted = time.time()
            content: bytes = envelope.original_content or b""
            start = content.find(b"Message-ID: <")
            message_id = content[start + 13 : content.find(b"@", start)].decode() if start >= 0 else "?"
            with lock:
                lines.append(f"{message_id} {accepted:.6f}\n")
            return "250 Message accepted"

    controller = Controller(Counting(), hostname="127.0.0.1", port=port, decode_data=False)
    controller.start()
    with out.open("a") as file:
        while True:
            time.sleep(0.05)
            with lock:
                batch, lines[:] = list(lines), []
            if batch:
                file.writelines(batch)
                file.flush()


class SinkReader:
    """Reads the sink's file as it grows: Message-ID -> acceptance time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.accepted: dict[str, float] = {}
        self._offset = 0
        self._partial = ""

    async def count(self) -> int:
        with self.path.open() as file:
            file.seek(self._offset)
            chunk = file.read()
            self._offset = file.tell()
        *complete, self._partial = (self._partial + chunk).split("\n")
        for line in complete:
            message_id, at = line.split(" ")
            self.accepted.setdefault(message_id, float(at))  # a duplicate keeps the first acceptance
        return len(self.accepted)


def message_id_for(idempotency_key: str, channel: str = "email") -> str:
    # as notifier.delivery.channels.Outgoing.provider_key: stable per (key, channel)
    return hashlib.sha256(f"{idempotency_key}\x00{channel}".encode()).hexdigest()[:40]


# -- broker, database ---------------------------------------------------------------------------------------------


async def publish_all(events: list[tuple[Event, str, int]], *, what: str) -> dict[str, float]:
    """Publish envelopes straight to the exchange with confirms; return event id -> time just before publish."""
    sent: dict[str, float] = {}
    connection = await aio_pika.connect(BROKER_URL)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(EXCHANGE)
        started = time.perf_counter()
        for first in range(0, len(events), PUBLISH_WINDOW):
            batch = []
            for event, aggregate_id, version in events[first : first + PUBLISH_WINDOW]:
                envelope = Envelope.wrap(event, producer="bench", aggregate_id=aggregate_id, aggregate_version=version)
                message = aio_pika.Message(
                    body=envelope.model_dump_json().encode(),
                    message_id=str(envelope.id),
                    type=envelope.type,
                    content_type="application/json",
                    delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                )
                sent[getattr(event, "idempotency_key", str(envelope.id))] = time.time()
                batch.append(exchange.publish(message, routing_key=envelope.type, mandatory=True))
            await asyncio.gather(*batch)
        log(f"{what}: published {len(events)} at {len(events) / (time.perf_counter() - started):.0f}/s")
    return sent


async def create_database() -> str:
    name = f"crm_bench_notifier_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    conn = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return name


async def drop_database(name: str) -> None:
    conn = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def scalar_float(dsn: str, sql: str) -> float:
    conn = await asyncpg.connect(dsn)
    try:
        return float(await conn.fetchval(sql))
    finally:
        await conn.close()


async def scalar(dsn: str, sql: str) -> int:
    return int(await scalar_float(dsn, sql))


# -- memory -------------------------------------------------------------------------------------------------------


class RssSampler:
    """Peak resident memory of a process and its children, sampled every `interval` seconds."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.process = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self._task: asyncio.Task[None] | None = None

    def now(self) -> int:
        with contextlib.suppress(psutil.Error):
            return sum(p.memory_info().rss for p in (self.process, *self.process.children(recursive=True)))
        return 0

    async def _run(self) -> None:
        while True:
            self.peak = max(self.peak, self.now())
            await asyncio.sleep(self.interval)

    def start(self) -> None:
        self.peak = self.now()
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> int:
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        return self.peak


# -- the run ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Customer:
    customer_id: str
    contact_id: str
    language: str


def customers(n: int) -> list[Customer]:
    # a Chinese-speaking majority, as in the customer base; both template languages are exercised
    return [Customer(str(uuid.uuid4()), str(uuid.uuid4()), "zh-CN" if i % 4 else "en") for i in range(n)]


def recipient_events(people: list[Customer]) -> list[tuple[Event, str, int]]:
    now = utcnow()
    contacts: list[tuple[Event, str, int]] = [
        (
            CustomerContactsChangedV1(
                customer_id=p.customer_id,
                language=p.language,
                time_zone="Asia/Shanghai",
                contacts=[
                    ContactPoint(
                        contact_id=p.contact_id, name=f"Contact {i}", email=f"c{i}@bench.example", primary=True
                    )
                ],
            ),
            p.customer_id,
            1,
        )
        for i, p in enumerate(people)
    ]
    consents: list[tuple[Event, str, int]] = [
        (
            CustomerConsentChangedV1(
                customer_id=p.customer_id,
                contact_id=p.contact_id,
                channel="email",
                purpose="care",
                granted=True,
                source="bench",
                recorded_at=now,
            ),
            p.customer_id,
            2,
        )
        for p in people
    ]
    # interleaved, so the consent count (what the bench waits on) moves from the start
    return [event for pair in zip(contacts, consents, strict=True) for event in pair]


def campaign(people: list[Customer], run_id: str) -> list[tuple[Event, str, int]]:
    return [
        (
            NotificationRequestedV1(
                idempotency_key=f"holiday-{run_id}-{p.customer_id}",
                recipient=Recipient(customer_id=p.customer_id),
                purpose="care",
                template=TEMPLATE,
                parameters={"holiday": "春节" if p.language.startswith("zh") else "Spring Festival"},
                channels=["email"],
            ),
            p.customer_id,
            1,
        )
        for p in people
    ]


async def load_direct(db_url: str, events: list[tuple[Event, str, int]]) -> None:
    """The read model as the customer-events consumer builds it (same functions, same encryption), minus the
    broker: the customer-events path is not what this benchmark measures, and it loads ~60 events/s here."""
    from notifier.consent import service as consent
    from notifier.recipients import service as recipients
    from servicekit.db import Database

    db = Database(db_url, service="notifier")
    try:
        for first in range(0, len(events), 1000):
            async with db.session() as session:
                for event, _, version in events[first : first + 1000]:
                    if isinstance(event, CustomerContactsChangedV1):
                        await recipients.apply_contacts(session, version, event)
                    elif isinstance(event, CustomerConsentChangedV1):
                        await consent.record(
                            session,
                            customer_id=event.customer_id,
                            contact_id=event.contact_id,
                            channel=event.channel,
                            purpose=event.purpose,
                            granted=event.granted,
                            source=event.source,
                            recorded_at=event.recorded_at,
                        )
    finally:
        await db.dispose()


def notifier_env(db_url: str, port: int, smtp_port: int, workdir: Path, log_level: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        CRM_BROKER_URL=BROKER_URL,
        CRM_NOTIFIER_DATABASE_URL=db_url,
        CRM_NOTIFIER_PORT=str(port),
        CRM_NOTIFIER_SMTP_HOST="127.0.0.1",
        CRM_NOTIFIER_SMTP_PORT=str(smtp_port),
        # a campaign measures throughput: no quiet window, no frequency cap (both tested elsewhere)
        CRM_NOTIFIER_QUIET_START="00:00",
        CRM_NOTIFIER_QUIET_END="00:00",
        CRM_NOTIFIER_FREQUENCY_CAPS="{}",
        CRM_VAR_DIR=str(workdir),
        CRM_LOG_LEVEL=log_level,
        PYTHONUNBUFFERED="1",
    )
    return env


async def bench(args: argparse.Namespace, workdir: Path) -> dict[str, object]:
    n = args.recipients
    await run("rabbitmqctl", "add_vhost", VHOST)
    await run("rabbitmqctl", "set_permissions", "-p", VHOST, "guest", ".*", ".*", ".*")
    db_name = await create_database()
    db_url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{db_name}"
    dsn = f"postgresql://postgres@127.0.0.1:5432/{db_name}"
    sink_file = workdir / "accepted.txt"
    sink_file.touch()
    smtp_port, port = free_port(), free_port()
    sink = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--sink", str(smtp_port), str(sink_file), start_new_session=True
    )
    notifier = ServiceProcess("notifier", notifier_env(db_url, port, smtp_port, workdir, args.log_level), port, workdir)
    try:
        await run(
            sys.executable,
            "-c",
            f"import notifier; from servicekit.migrations import upgrade; upgrade(notifier.MIGRATIONS, {db_url!r})",
        )
        await notifier.start()
        await notifier.wait_ready()
        assert notifier.proc is not None
        rss = RssSampler(notifier.proc.pid)

        people = customers(n)
        if args.load == "events":
            log(f"recipients: publishing {n} contacts_changed + {n} consent_changed")
            await publish_all(recipient_events(people), what="recipients")
        else:
            log(f"recipients: writing {n} through the notifier's own read-model functions, 1000 events per transaction")
            await load_direct(db_url, recipient_events(people))
        await wait_for(
            lambda: scalar(dsn, "SELECT count(*) FROM consents WHERE granted"),
            n,
            what="consents in the read model",
            interval=0.5,
        )
        log("recipients: all in the notifier's read model")
        rss_before = rss.now()

        requests = campaign(people, uuid.uuid4().hex[:8])
        sink_reader = SinkReader(sink_file)
        rss.start()
        log(f"campaign: publishing {n} notification.requested.v1 ({TEMPLATE}, email)")
        published = await publish_all(requests, what="campaign")
        await wait_for(sink_reader.count, n, what="SMTP acceptances", interval=0.2)
        # when the consumer wrote the last message row (due_at = acceptance time: no quiet hours, no cap), read
        # once at the end: polling count(*) during the run would load the database being measured
        rows_written_at = await scalar_float(dsn, "SELECT extract(epoch FROM max(due_at)) FROM messages")
        peak = await rss.stop()
        statuses = dict(
            await (conn := await asyncpg.connect(dsn)).fetch("SELECT status, count(*) FROM messages GROUP BY status")
        )
        await conn.close()
    finally:
        await notifier.stop()
        with contextlib.suppress(ProcessLookupError):
            sink.terminate()
        await sink.wait()
        await drop_database(db_name)
        await run("rabbitmqctl", "delete_vhost", VHOST, check=False)

    by_message_id = {message_id_for(key): at for key, at in published.items()}
    latencies = [
        (sink_reader.accepted[mid] - at) * 1000 for mid, at in by_message_id.items() if mid in sink_reader.accepted
    ]
    first_publish, last_accept = min(published.values()), max(sink_reader.accepted.values())
    return {
        "recipients": n,
        "accepted": len(sink_reader.accepted),
        "matched": len(latencies),
        "statuses": statuses,
        "rate": n / (last_accept - first_publish),
        "accept_rate": n / (rows_written_at - first_publish),
        "elapsed_s": last_accept - first_publish,
        "latency_ms": distribution(latencies),
        "rss_before_mb": rss_before / 2**20,
        "rss_peak_mb": peak / 2**20,
    }


def report(figures: dict[str, object]) -> None:
    latency = figures["latency_ms"]
    assert isinstance(latency, dict)
    print()
    print(
        f"campaign of {figures['recipients']:,} care_holiday_greeting emails through the notifier to a local SMTP sink"
    )
    print(
        f"  SMTP accepted       {figures['accepted']:,} (matched to requests: {figures['matched']:,}); "
        f"message rows by status {figures['statuses']}"
    )
    print(
        f"  throughput          {figures['rate']:.0f} messages/s"
        f"  ({figures['elapsed_s']:.1f} s first request -> last acceptance)"
    )
    print(f"  requests accepted   {figures['accept_rate']:.0f}/s into message rows (the requests consumer alone)")
    print("  latency request->SMTP accepted  " + "  ".join(f"{k} {v:.0f} ms" for k, v in latency.items()))
    print(
        f"  notifier RSS        {figures['rss_before_mb']:.0f} MB before the campaign,"
        f" peak {figures['rss_peak_mb']:.0f} MB during it"
    )


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--sink":
        run_sink(int(sys.argv[2]), Path(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipients", type=int, default=100_000, help="campaign size (default 100,000)")
    parser.add_argument(
        "--load",
        choices=("events", "direct"),
        default="events",
        help="how recipients get into the notifier's read model: published customer events (default), or written "
        "directly with the notifier's own read-model functions (for 100,000: the events take about an hour here)",
    )
    parser.add_argument("--log-level", default="WARNING", help="the notifier's log level")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="crm-bench-notifier-") as workdir:
        log(f"notifier campaign bench: {args.recipients:,} recipients, vhost {VHOST}, work dir {workdir}")
        report(asyncio.run(bench(args, Path(workdir))))


if __name__ == "__main__":
    main()
