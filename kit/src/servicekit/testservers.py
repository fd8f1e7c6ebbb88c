"""Servers a test starts for itself: a RabbitMQ node (to kill, or with a TLS listener), a PostgreSQL copy with
`ssl=on`, and the certificates they use. Each has its own name, ports and data directory, runs as our own child
process (killed by its pid, never by name) and removes its directory when stopped; the machine's broker and
database are never touched.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import glob
import ipaddress
import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from servicekit.testing import free_ports

RABBITMQ_SERVER = "/usr/lib/rabbitmq/bin/rabbitmq-server"


# -- certificates ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Certificates:
    """A throw-away CA and a server certificate for localhost / 127.0.0.1, as PEM files."""

    ca: Path
    cert: Path
    key: Path


def make_certificates(directory: Path) -> Certificates:
    """A CA and a server certificate signed by it (cryptography's x509 builder, as its docs show)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    directory.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "crm test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True
        )  # digital_signature, key_cert_sign, crl_sign
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = Certificates(directory / "ca.pem", directory / "server.pem", directory / "server.key")
    paths.ca.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths.key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
        )
    )
    paths.key.chmod(0o600)  # PostgreSQL refuses a key others can read
    return paths


# -- a RabbitMQ node of the test's own ------------------------------------------------------------------------


class RabbitNode:
    """`rabbitmq-server` as our child, on free ports, with its data in a temporary directory that survives a
    SIGKILL (queues recover on restart) and is removed by `close()`."""

    def __init__(self, *, tls: Certificates | None = None) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="crm-test-rabbit-"))
        self.name = f"crmtest{uuid.uuid4().hex[:8]}@localhost"
        self.port, self.dist_port = free_ports(2)
        self.tls = tls
        self.process: subprocess.Popen[bytes] | None = None
        listeners = [f"listeners.tcp.1 = 127.0.0.1:{self.port}"]
        if tls:
            listeners = [
                "listeners.tcp = none",
                f"listeners.ssl.1 = 127.0.0.1:{self.port}",
                f"ssl_options.cacertfile = {tls.ca}",
                f"ssl_options.certfile = {tls.cert}",
                f"ssl_options.keyfile = {tls.key}",
                "ssl_options.verify = verify_none",
                "ssl_options.fail_if_no_peer_cert = false",
            ]
        (self.dir / "rabbitmq.conf").write_text("\n".join([*listeners, "loopback_users = none", ""]))
        (self.dir / "enabled_plugins").write_text("[].\n")  # no management listener to collide with the machine's
        (self.dir / "rabbitmq-env.conf").write_text("")  # not the machine's /etc/rabbitmq/rabbitmq-env.conf

    @property
    def url(self) -> str:
        """With TLS, `amqps://` and the CA to verify the node against (`cafile`, read by aiormq)."""
        if self.tls:
            return f"amqps://guest:guest@localhost:{self.port}/?cafile={self.tls.ca}"
        return f"amqp://guest:guest@localhost:{self.port}/"

    def start(self) -> None:
        env = {
            **os.environ,
            "HOME": str(self.dir),  # its own Erlang cookie
            "RABBITMQ_NODENAME": self.name,
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_CONFIG_FILE": str(self.dir / "rabbitmq.conf"),
            "RABBITMQ_CONF_ENV_FILE": str(self.dir / "rabbitmq-env.conf"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.dir / "enabled_plugins"),
            "RABBITMQ_MNESIA_BASE": str(self.dir / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.dir / "log"),
            "RABBITMQ_PID_FILE": str(self.dir / "pid"),
            "RABBITMQ_PLUGINS_EXPAND_DIR": str(self.dir / "plugins"),
            "ERL_EPMD_ADDRESS": "127.0.0.1",
            "RUNNING_UNDER_SYSTEMD": "1",  # exec the Erlang VM itself: our child's pid is the broker's
        }
        log = (self.dir / "stdout.log").open("ab")
        self.process = subprocess.Popen(
            [RABBITMQ_SERVER], env=env, cwd=self.dir, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()

    async def wait_ready(self, timeout: float = 90.0) -> float:
        """Seconds until it accepts an AMQP connection."""
        import aio_pika

        started = time.monotonic()
        while True:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"rabbitmq-server exited: see {self.dir}/log")
            try:
                connection = await aio_pika.connect(self.url, timeout=2)
                await connection.close()
                return time.monotonic() - started
            except Exception:
                if time.monotonic() - started > timeout:
                    raise
                await asyncio.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL, as a crash: no goodbye to clients, nothing flushed."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)  # the VM and its helpers, all started in our session
            self.process.wait(timeout=30)
        self.process = None

    def close(self) -> None:
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


def rabbitmq_available() -> bool:
    return Path(RABBITMQ_SERVER).exists() and shutil.which("erl") is not None


# -- a PostgreSQL copy with ssl=on ------------------------------------------------------------------------------


def postgres_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(Path(p).parts[-3]), reverse=True)
    return found[0] if found else shutil.which(name)


class PostgresCluster:
    """`initdb` + `pg_ctl start` on a free port with `ssl=on` and a `hostssl`-only rule for TCP, in a temporary
    directory. As root, the cluster runs as the `postgres` system user (PostgreSQL refuses to run as root)."""

    def __init__(self, certificates: Certificates) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="crm-test-pg-"))
        self.data = self.dir / "data"
        [self.port] = free_ports(1)
        self.certificates = certificates
        self.user = "postgres" if os.geteuid() == 0 else None

    def _run(self, *args: str) -> None:
        command = list(args)
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        if self.user:
            shutil.chown(self.dir, self.user)
        self._run(str(postgres_bin("initdb")), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        for source, name in ((self.certificates.cert, "server.crt"), (self.certificates.key, "server.key")):
            shutil.copy(source, self.data / name)
            (self.data / name).chmod(0o600)
            if self.user:
                shutil.chown(self.data / name, self.user)
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"port = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.dir}'\n"
                "ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\nfsync = off\n"
            )
        # TCP only over TLS: a client that does not ask for TLS is refused
        (self.data / "pg_hba.conf").write_text("local all all trust\nhostssl all all 127.0.0.1/32 trust\n")
        self._run(str(postgres_bin("pg_ctl")), "-D", str(self.data), "-l", str(self.dir / "log"), "-w", "start")

    def url(self, database: str = "postgres", driver: str = "postgresql+asyncpg", query: str = "") -> str:
        return f"{driver}://postgres@127.0.0.1:{self.port}/{database}{query}"

    def create_database(self, name: str) -> None:
        self._run(str(postgres_bin("createdb")), "-h", str(self.dir), "-p", str(self.port), "-U", "postgres", name)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._run(str(postgres_bin("pg_ctl")), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


def postgres_available() -> bool:
    return postgres_bin("initdb") is not None and postgres_bin("pg_ctl") is not None
