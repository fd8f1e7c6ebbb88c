"""R-09 encrypted in transit, with certificates made here (a throw-away CA, `cryptography`):

- AMQP over TLS: a RabbitMQ node of this test's own with only a TLS listener; the outbox relay publishes and a kit
  consumer consumes over `amqps://…?cafile=…` (the same CRM_BROKER_URL the services read); plain AMQP is refused.
- PostgreSQL over TLS: a copy started here (`initdb`, `pg_ctl`, `ssl=on`, TCP only through `hostssl`); the
  services' engine and `crm backup`/`crm restore` both connect with `?ssl=verify-full&sslrootcert=…`.
- SMTP: the notifier's email channel over implicit TLS (465-style) and over STARTTLS, the relay's certificate
  verified against CRM_NOTIFIER_SMTP_CA_FILE.
"""

from __future__ import annotations

import asyncio
import ssl
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aio_pika
import pytest
from sqlalchemy import text

from contracts import Envelope
from contracts.topology import Subscription
from crm_cli.main import main
from servicekit.broker import create_broker, declare_topology, register_consumer
from servicekit.db import Database
from servicekit.outbox import Outbox, OutboxRelay, record_event
from servicekit.tables import kit_tables
from servicekit.testing import eventually, free_port, migrate, probe_event_class
from servicekit.testservers import (
    Certificates,
    PostgresCluster,
    RabbitNode,
    make_certificates,
    postgres_available,
    rabbitmq_available,
)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return make_certificates(tmp_path_factory.mktemp("certs"))


# -- AMQP ------------------------------------------------------------------------------------------------------


@pytest.fixture
async def tls_node(certificates: Certificates) -> AsyncIterator[RabbitNode]:
    if not rabbitmq_available():
        pytest.skip("rabbitmq-server is not installed here")
    node = RabbitNode(tls=certificates)
    try:
        node.start()
        await node.wait_ready()
        yield node
    finally:
        node.close()


async def test_events_travel_over_amqps(tls_node: RabbitNode, tmp_path: Path) -> None:
    from sqlalchemy import Column, MetaData, String, Table, insert, select

    from servicekit.testing import create_database

    assert tls_node.url.startswith("amqps://")
    with pytest.raises(Exception):  # noqa: B017 - whatever the client says, a plain AMQP handshake gets nowhere
        await aio_pika.connect(f"amqp://guest:guest@localhost:{tls_node.port}/", timeout=3)

    metadata = MetaData()
    tables = kit_tables(metadata)
    effects = Table("effects", metadata, Column("event_id", String(36), primary_key=True))
    db = Database(create_database("crm_test_tls_amqp"), service="tlstest")
    async with db.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    db.session_info.update(outbox=Outbox("tlstest", tables.outbox), kit_tables=tables)

    Probe = probe_event_class()
    sub = Subscription(f"tlstest{uuid.uuid4().hex[:6]}", "probes", (Probe.event_type,))
    await declare_topology(tls_node.url, 3, (sub,))

    async def handler(session, envelope: Envelope) -> None:  # noqa: ANN001
        await session.execute(insert(effects).values(event_id=str(envelope.id)))

    broker = create_broker(tls_node.url, prefetch=8)
    register_consumer(broker, db, sub, handler, delivery_limit=3, retry_backoff=0.05)
    relay = OutboxRelay(db, db.session_info["outbox"], broker_url=tls_node.url, poll_seconds=0.2)
    await broker.start()
    relay.start()
    try:
        async with db.session() as session:
            envelope = await record_event(session, Probe(n=1), aggregate_id="p", aggregate_version=1)

        async def consumed() -> list[str]:
            async with db.session() as session:
                return list((await session.scalars(select(effects.c.event_id))).all())

        assert await eventually(consumed, timeout=30) == [str(envelope.id)]
    finally:
        await relay.stop()
        await broker.stop()
        await db.dispose()


# -- PostgreSQL ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tls_postgres(certificates: Certificates) -> Iterator[PostgresCluster]:
    if not postgres_available():
        pytest.skip("initdb/pg_ctl are not installed here")
    cluster = PostgresCluster(certificates)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.close()


async def test_services_and_backups_reach_postgresql_over_verified_tls(
    tls_postgres: PostgresCluster, certificates: Certificates, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    verified = f"?ssl=verify-full&sslrootcert={certificates.ca}"
    tls_postgres.create_database("notifier_live")
    tls_postgres.create_database("notifier_restored")
    live = tls_postgres.url("notifier_live", query=verified)

    db = Database(live, service="notifier")
    try:
        async with db.session() as session:
            encrypted = (
                await session.execute(text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"))
            ).scalar_one()
    finally:
        await db.dispose()
    assert encrypted is True

    plain = Database(tls_postgres.url("notifier_live", query="?ssl=disable"), service="notifier")
    try:
        with pytest.raises(Exception, match="pg_hba.conf|no encryption"):
            await plain.ping()  # the server takes TCP clients over TLS only
    finally:
        await plain.dispose()

    await asyncio.to_thread(migrate, "notifier", live)  # Alembic through the same TLS URL
    monkeypatch.setenv("CRM_NOTIFIER_DATABASE_URL", live)
    dump = tmp_path / "notifier.dump"
    assert main(["backup", "notifier", "-o", str(dump)]) == 0  # pg_dump over libpq with sslmode=verify-full
    monkeypatch.setenv("CRM_NOTIFIER_DATABASE_URL", tls_postgres.url("notifier_restored", query=verified))
    assert main(["restore", "notifier", str(dump)]) == 0

    restored = Database(tls_postgres.url("notifier_restored", query="?ssl=require"), service="notifier")
    try:
        async with restored.session() as session:
            version = (await session.execute(text("SELECT count(*) FROM alembic_version"))).scalar_one()
    finally:
        await restored.dispose()
    assert version == 1

    wrong_ca = make_certificates(tmp_path / "other-ca").ca  # a server not signed by the CA we trust is refused
    monkeypatch.setenv(
        "CRM_NOTIFIER_DATABASE_URL", tls_postgres.url("notifier_live", query=f"?ssl=verify-full&sslrootcert={wrong_ca}")
    )
    assert main(["backup", "notifier", "-o", str(tmp_path / "refused.dump")]) == 1


# -- SMTP ------------------------------------------------------------------------------------------------------


class Recorder:
    def __init__(self) -> None:
        self.messages: list[tuple[bytes, bool]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802 - aiosmtpd's hook
        # STARTTLS: aiosmtpd records the upgrade in session.ssl; implicit TLS: the transport itself is TLS
        encrypted = session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None
        self.messages.append((envelope.original_content, encrypted))
        return "250 OK"


def server_context(certificates: Certificates) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificates.cert, certificates.key)
    return context


@pytest.mark.parametrize("mode", ["implicit", "starttls"])
async def test_the_notifier_sends_email_over_tls(mode: str, certificates: Certificates) -> None:
    from aiosmtpd.controller import Controller

    from notifier.delivery.channels import Outgoing
    from notifier.delivery.channels.email import EmailChannel
    from notifier.settings import NotifierSettings

    recorder = Recorder()
    port = free_port()
    if mode == "implicit":
        controller = Controller(recorder, hostname="127.0.0.1", port=port, ssl_context=server_context(certificates))
    else:  # the server refuses mail until the client has switched to TLS
        controller = Controller(
            recorder,
            hostname="127.0.0.1",
            port=port,
            tls_context=server_context(certificates),
            require_starttls=True,
        )
    controller.start()
    settings = NotifierSettings(
        smtp_host="localhost",
        smtp_port=port,
        smtp_tls=mode == "implicit",
        smtp_starttls=mode == "starttls",
        smtp_ca_file=str(certificates.ca),
        smtp_connections=1,
    )
    channel = EmailChannel(settings)
    message = Outgoing(
        id="m-1",
        idempotency_key="k-1",
        channel="email",
        purpose="service",
        address="kehu@example.com",
        subject="您的投诉已受理",
        text="我们已收到您的投诉。",
        html=None,
        unsubscribe_url=None,
        staff=None,
    )
    try:
        assert await channel.send(message)
        await channel.close()
    finally:
        controller.stop()
    [(content, over_tls)] = recorder.messages
    assert over_tls
    assert b"To: kehu@example.com" in content
