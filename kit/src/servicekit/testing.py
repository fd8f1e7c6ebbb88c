"""Pytest plugin for every test in the repository: real PostgreSQL and RabbitMQ, isolated per run.

At start-up it creates a RabbitMQ vhost and one PostgreSQL database per service,
points the `CRM_` settings at them (before any service module is imported), and
removes them at the end. Loaded from the root conftest.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, ClassVar

import aio_pika
import asyncpg
import pytest
from sqlalchemy import Column, MetaData, String, Table

from contracts import Envelope, Event
from contracts.topology import EXCHANGE
from servicekit.db import Database, make_base
from servicekit.outbox import Outbox
from servicekit.settings import SERVICES
from servicekit.tables import KitTables, kit_tables

PG_ADMIN_DSN = os.environ.get("CRM_TEST_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
RABBIT_HOST = os.environ.get("CRM_TEST_RABBIT_HOST", "127.0.0.1:5672")
RUN_ID = uuid.uuid4().hex[:10]
VHOST = f"crm_test_{RUN_ID}"
BROKER_URL = f"amqp://guest:guest@{RABBIT_HOST}/{VHOST}"

_created_databases: list[str] = []


def pg_url(database: str, driver: str = "postgresql+asyncpg") -> str:
    base = PG_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", f"{driver}://", 1)
    return f"{base}/{database}"


def _admin(sql: str) -> None:
    """Run one admin statement; in a thread of its own, so it works inside and outside an event loop."""

    async def execute() -> None:
        connection = await asyncpg.connect(PG_ADMIN_DSN)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, execute()).result()


def create_database(prefix: str = "crm_test") -> str:
    """A fresh, empty PostgreSQL database; its async URL. Dropped when the run ends."""
    name = f"{prefix}_{RUN_ID}_{uuid.uuid4().hex[:6]}"
    _admin(f'CREATE DATABASE "{name}"')
    _created_databases.append(name)
    return pg_url(name)


def _rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=60)


def pytest_configure(config: pytest.Config) -> None:
    _rabbitmqctl("add_vhost", VHOST)
    _rabbitmqctl("set_permissions", "-p", VHOST, "guest", ".*", ".*", ".*")
    var_dir = tempfile.mkdtemp(prefix="crm-test-var-")
    os.environ.update(
        {
            "CRM_BROKER_URL": BROKER_URL,
            "CRM_VAR_DIR": var_dir,
            # every process a test starts (with a var directory of its own or not) trusts this run's key pair
            "CRM_DEV_KEYS_DIR": os.path.join(var_dir, "keys"),
            "CRM_OUTBOX_POLL_SECONDS": "0.5",
            "CRM_RETRY_BACKOFF_SECONDS": "0.05",
            "CRM_DELIVERY_LIMIT": "3",
            "CRM_STARTUP_WAIT_SECONDS": "10",
            # tokens verify with the run's development key pair only; the gateway's tests set their own key set
            "CRM_JWKS_URL": "",
        }
    )
    from servicekit.settings import CommonSettings
    from servicekit.tokens import ensure_dev_keys

    ensure_dev_keys(CommonSettings())
    for service in SERVICES:
        os.environ[f"CRM_{service.upper()}_DATABASE_URL"] = create_database(f"crm_test_{service}")
    config._crm_var_dir = var_dir  # type: ignore[attr-defined]


def pytest_unconfigure(config: pytest.Config) -> None:
    with contextlib.suppress(Exception):
        _rabbitmqctl("delete_vhost", VHOST)
    for name in _created_databases:
        with contextlib.suppress(Exception):
            _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    shutil.rmtree(getattr(config, "_crm_var_dir", ""), ignore_errors=True)


_migrated: set[tuple[str, str]] = set()


def migrate(service: str, database_url: str | None = None) -> None:
    """Bring a service's database (its run's own by default) to the head of its Alembic history; once per run."""
    import importlib

    from servicekit.migrations import upgrade
    from servicekit.settings import service_settings

    url = database_url or service_settings(service).database_url
    if (service, url) in _migrated:
        return
    upgrade(importlib.import_module(service).MIGRATIONS, url)
    _migrated.add((service, url))


@asynccontextmanager
async def running(app: Any) -> AsyncIterator[Any]:
    """Run a FastAPI app's lifespan (DB, relay, broker) and give an httpx client bound to it."""
    import httpx

    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


def app_service(name: str) -> Any:
    """The ServiceRuntime of `<name>.app`, imported on first use: after this plugin pointed the settings at the
    run's databases (a conftest importing the app at module level would bind it to the default database)."""
    import importlib

    return importlib.import_module(f"{name}.app").service


@asynccontextmanager
async def service_client(name: str, *, broker: bool = False) -> AsyncIterator[Any]:
    """The service's own app, migrated and running, with an httpx client; `broker=True` also waits until it
    consumes. In a conftest: `async with service_client("customer") as client: yield client`."""
    await asyncio.to_thread(migrate, name)  # Alembic runs its own event loop
    service = app_service(name)
    async with running(service.app) as client:
        if broker:
            await broker_ready(service)
        yield client


async def broker_ready(service: Any, *, timeout: float = 15.0) -> None:
    """Wait until a running service has connected to the broker (its queues exist and it consumes)."""

    async def started() -> bool:
        return bool(service.broker_started)

    assert await eventually(started, timeout=timeout), f"the {service.name} service did not connect to the broker"


async def publish(
    *messages: Event | Envelope | bytes,
    routing_key: str | None = None,
    message_id: str | None = None,
    url: str = BROKER_URL,
    producer: str = "test",
) -> list[Envelope]:
    """Publish to crm.events as another service would, with publisher confirms; returns the envelopes sent.

    An Event is wrapped (a new aggregate id, version 1); an Envelope goes as it is (build it with
    `Envelope.wrap` to choose aggregate id and version); raw bytes (not an envelope at all) need
    `routing_key` and `message_id`. The same Envelope twice is a redelivery."""
    envelopes: list[Envelope] = []
    outgoing: list[tuple[aio_pika.Message, str]] = []
    for item in messages:
        if isinstance(item, bytes):
            if routing_key is None or message_id is None:
                raise ValueError("raw bytes need routing_key and message_id")
            outgoing.append((aio_pika.Message(item, message_id=message_id), routing_key))
            continue
        envelope = (
            item
            if isinstance(item, Envelope)
            else Envelope.wrap(item, producer=producer, aggregate_id=str(uuid.uuid4()), aggregate_version=1)
        )
        envelopes.append(envelope)
        body = envelope.model_dump_json().encode()
        outgoing.append(
            (aio_pika.Message(body, message_id=str(envelope.id), type=envelope.type), routing_key or envelope.type)
        )
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(EXCHANGE)
        # sent in order on one channel, confirms awaited together: a batch of hundreds stays fast
        await asyncio.gather(*(exchange.publish(message, routing_key=key, mandatory=True) for message, key in outgoing))
    return envelopes


async def outbox_events(service: Any, aggregate_id: str, event_type: str | None = None) -> list[dict[str, Any]]:
    """The envelopes a service recorded for one aggregate, oldest first (decrypted where sealed)."""
    from sqlalchemy import select

    from servicekit.outbox import open_envelope

    outbox = service.tables.outbox
    query = select(outbox.c.envelope).where(outbox.c.aggregate_id == aggregate_id).order_by(outbox.c.seq)
    async with service.db.session() as session:
        stored = (await session.scalars(query)).all()
    envelopes = [json.loads(open_envelope(text)) for text in stored]
    return [e for e in envelopes if event_type is None or e["type"] == event_type]


@contextlib.contextmanager
def pii_keys(keys: str, index_key: str) -> Iterator[None]:
    """Run with these CRM_PII_KEYS ("id:key,id2:key2", the first encrypts) and CRM_PII_INDEX_KEY; restored after."""
    from servicekit import pii

    saved = {name: os.environ.get(name) for name in ("CRM_PII_KEYS", "CRM_PII_INDEX_KEY")}
    os.environ.update(CRM_PII_KEYS=keys, CRM_PII_INDEX_KEY=index_key)
    pii.reset_keyring()
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        pii.reset_keyring()


def free_ports(count: int) -> list[int]:
    """Distinct free local ports: all sockets stay bound until every port is chosen, so none is handed out twice."""
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]


def free_port() -> int:
    [port] = free_ports(1)
    return port


def bearer(subject: str = "tester", *roles: str, team: str | None = None) -> dict[str, str]:
    from servicekit.auth import mint_token

    return {"Authorization": f"Bearer {mint_token(subject, list(roles) or ['agent'], team=team)}"}


def signed_claims(claims: dict[str, Any], *, algorithm: str = "EdDSA", key: Any = None, kid: str | None = None) -> str:
    """A token over exactly these claims: with the run's development key by default, or with `key` (another
    key, a public key used as an HMAC secret, None for `alg: none`): for tests of what verifiers refuse."""
    import jwt

    from servicekit.tokens import dev_signing_key

    dev_kid, dev_key = dev_signing_key()
    headers = {"kid": kid or dev_kid}
    if algorithm.startswith("HS"):  # by hand: PyJWT itself refuses an asymmetric key as an HMAC secret
        import hashlib
        import hmac

        encode = jwt.utils.base64url_encode
        head = encode(json.dumps({"alg": algorithm, "typ": "JWT", **headers}).encode())
        body = encode(json.dumps(claims).encode())
        digest = getattr(hashlib, f"sha{algorithm[2:]}")
        mac = hmac.new(key if isinstance(key, bytes) else str(key).encode(), head + b"." + body, digest).digest()
        return b".".join((head, body, encode(mac))).decode()
    if algorithm == "EdDSA" and key is None:
        key = dev_key
    return jwt.encode(claims, key, algorithm=algorithm, headers=headers)


def token_claims(**overrides: Any) -> dict[str, Any]:
    """Valid claims for a verifier of this run (an admin for a minute), with `overrides`."""
    import time

    from servicekit.settings import common_settings

    settings = common_settings()
    now = int(time.time())
    claims: dict[str, Any] = {"sub": "tester", "roles": ["admin"], "iss": settings.jwt_issuer}
    return {**claims, "aud": settings.jwt_audience, "iat": now, "exp": now + 60, **overrides}


async def eventually(check: Any, *, timeout: float = 15.0, interval: float = 0.05) -> Any:
    """Poll `check` until it returns something truthy; the last value otherwise."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = await check()
        if value or asyncio.get_running_loop().time() > deadline:
            return value
        await asyncio.sleep(interval)


class TcpProxy:
    """A TCP proxy in front of RabbitMQ that a test can cut, refuse, or make swallow the broker's replies."""

    def __init__(self, upstream_host: str = "127.0.0.1", upstream_port: int = 5672) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.server: asyncio.base_events.Server | None = None
        self.port = 0
        self.swallow_replies = False
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
        self.port = self.server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Refuse new connections and cut the open ones: the broker is 'down'."""
        if self.server:
            self.server.close()
            await self.server.wait_closed()
            self.server = None
        for writer in list(self._writers):
            writer.close()
        self._writers.clear()

    def url(self, vhost: str = VHOST) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/{vhost}"

    async def _handle(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            client_writer.close()
            return
        self._writers.update({client_writer, up_writer})

        async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, replies: bool) -> None:
            try:
                while data := await reader.read(65536):
                    if replies and self.swallow_replies:
                        continue  # the broker answered (confirms included); the client never hears it
                    writer.write(data)
                    await writer.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                writer.close()

        await asyncio.gather(pipe(client_reader, up_writer, False), pipe(up_reader, client_writer, True))


@pytest.fixture
async def rabbit_proxy() -> AsyncIterator[TcpProxy]:
    proxy = TcpProxy()
    await proxy.start()
    yield proxy
    await proxy.stop()


class KitDb:
    def __init__(self, db: Database, tables: KitTables, effects: Table) -> None:
        self.db = db
        self.tables = tables
        self.effects = effects
        self.outbox = Outbox(producer="kittest", table=tables.outbox)
        db.session_info.update(outbox=self.outbox, kit_tables=tables)


@pytest.fixture
async def kit_db() -> AsyncIterator[KitDb]:
    metadata: MetaData = make_base().metadata
    tables = kit_tables(metadata)
    # what a consumer's handler writes, so tests can count effects
    effects = Table("effects", metadata, Column("id", String(36), primary_key=True), Column("event_id", String(36)))
    db = Database(create_database("crm_test_kit"), service="kittest")
    async with db.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield KitDb(db, tables, effects)
    await db.dispose()


def probe_event_class() -> type[Event]:
    """An event type of its own per test, so bindings and observers never see another test's events."""
    routing_key = f"kittest.probe{uuid.uuid4().hex[:10]}.v1"

    class Probe(Event):
        event_type: ClassVar[str] = routing_key
        aggregate: ClassVar[str] = "probe"
        n: int = 0

    return Probe


class Observer:
    """A queue bound to one routing key on crm.events, to see exactly what the broker routed."""

    def __init__(self, routing_key: str) -> None:
        self.routing_key = routing_key
        self.received: list[aio_pika.abc.AbstractIncomingMessage] = []

    async def __aenter__(self) -> Observer:
        self.connection = await aio_pika.connect(BROKER_URL)
        channel = await self.connection.channel()
        exchange = await channel.declare_exchange(EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True)
        self.queue = await channel.declare_queue(exclusive=True)
        await self.queue.bind(exchange, routing_key=self.routing_key)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.connection.close()

    async def drain(self) -> list[aio_pika.abc.AbstractIncomingMessage]:
        while (message := await self.queue.get(no_ack=True, fail=False)) is not None:
            self.received.append(message)
        return self.received


@asynccontextmanager
async def client_without_lifespan(app: Any) -> AsyncIterator[Any]:
    """An httpx client for an app whose start-up is skipped (e.g. its database is already gone)."""
    import httpx

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


def customer_registered(customer_id: str, **fields: Any) -> Event:
    """A `customer.registered.v1` as the customer service publishes it: a new low-tier prospect unless `fields` say
    otherwise (number, name, tier, owner, team, registered_at, ...). For services' consumer tests."""
    from datetime import UTC, datetime

    from contracts.events.customer import CustomerRegisteredV1

    defaults: dict[str, Any] = {
        "number": "KH-2026-000900",
        "name": "测试客户",
        "customer_type": "potential",
        "stage": "contact",
        "tier": "low",
        "service_level": "normal",
        "registered_at": datetime(2026, 3, 2, 8, 0, tzinfo=UTC),
    }
    return CustomerRegisteredV1(customer_id=customer_id, **{**defaults, **fields})


NODE_TOOLS = Path(__file__).resolve().parents[3] / ".tools" / "node"


def npm_package(package: str, version: str) -> Path:
    """An npm package installed once into the repository's git-ignored `.tools/node` (e.g. a linter, a schema);
    the test is skipped where npm itself is missing. Its directory."""
    directory = NODE_TOOLS / "node_modules" / package
    if not (directory / "package.json").exists():
        if shutil.which("npm") is None:
            pytest.skip("npm is not installed (make system-deps)")
        NODE_TOOLS.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(NODE_TOOLS), f"{package}@{version}"],
            check=True,
            capture_output=True,
            timeout=600,
        )
    return directory
