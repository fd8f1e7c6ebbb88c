"""Gateway benchmark: what the door adds to a call, and a steady mixed load through it.

Run from the workspace root:

    .venv/bin/python bench/gateway.py [--samples 1000] [--rate 100] [--seconds 60]

One run, with its own RabbitMQ vhost and PostgreSQL databases, starts the real `crm serve gateway` and
`crm serve customer` processes, logs in at the gateway, and prints:
  1. p50/p99 of one customer read (GET /customers/{id}) called directly and through the gateway
     (`/api/customer/...`), the calls alternating so both see the same machine load;
  2. a mixed load through the gateway at a fixed rate (open loop: requests are sent on schedule whether or not
     earlier ones have answered): 70 % reads of one customer, 20 % list pages, 10 % creations;
     p50/p99, errors, the rate achieved.
The aim (see bench/README.md): the gateway adds at most 30 % at p50, p99 under 300 ms, no errors.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[1]
CRM = ROOT / ".venv" / "bin" / "crm"
PG_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/{db}"
RUN = uuid.uuid4().hex[:8]
VHOST = f"crm_bench_gw_{RUN}"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for sock in sockets:
        sock.bind(("127.0.0.1", 0))
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


async def admin(sql: str) -> None:
    connection = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=60)


async def wait_ready(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(timeout=2) as client:
        while time.monotonic() < deadline:
            try:
                if (await client.get(url)).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.2)
    raise SystemExit(f"bench: {url} never became ready")


async def timed(client: httpx.AsyncClient, method: str, url: str, **kwargs: object) -> tuple[float, int]:
    started = time.perf_counter()
    response = await client.request(method, url, **kwargs)  # type: ignore[arg-type]
    await response.aread()
    return time.perf_counter() - started, response.status_code


async def compare(direct: str, door: str, token: str, customer_id: str, samples: int) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    times: dict[str, list[float]] = {"direct": [], "gateway": []}
    async with httpx.AsyncClient(headers=headers, timeout=10) as client:
        for _ in range(20):  # warm both paths (connections, caches) before measuring
            await timed(client, "GET", f"{direct}/customers/{customer_id}")
            await timed(client, "GET", f"{door}/api/customer/customers/{customer_id}")
        for _ in range(samples):
            for name, url in (("direct", direct), ("gateway", f"{door}/api/customer")):
                seconds, status = await timed(client, "GET", f"{url}/customers/{customer_id}")
                assert status == 200, status
                times[name].append(seconds)
    print(f"1. one customer read, {samples} calls each (alternating):")
    for name, values in times.items():
        print(
            f"   {name:<8} p50 {percentile(values, 0.5) * 1000:6.2f} ms   p99 {percentile(values, 0.99) * 1000:6.2f} ms"
        )
    added = percentile(times["gateway"], 0.5) / percentile(times["direct"], 0.5) - 1
    print(f"   the gateway adds {added * 100:+.0f} % at p50 (aim: at most +30 %)")


async def mixed_load(base: str, label: str, token: str, customer_id: str, rate: float, seconds: float) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    latencies: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=100)
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=10, limits=limits) as client:

        async def one(n: int) -> None:
            pick = random.random()
            try:
                if pick < 0.7:
                    seconds_taken, status = await timed(client, "GET", f"/customers/{customer_id}")
                elif pick < 0.9:
                    seconds_taken, status = await timed(client, "GET", "/customers", params={"limit": 20})
                else:
                    body = {"name": f"压测客户 {RUN}-{n}"}
                    seconds_taken, status = await timed(client, "POST", "/customers", json=body)
            except httpx.HTTPError as exc:
                errors.append(type(exc).__name__)
                return
            latencies.append(seconds_taken)
            if status >= 400:
                errors.append(str(status))

        started = time.perf_counter()
        total = int(rate * seconds)
        tasks = []
        for n in range(total):
            delay = started + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(n)))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - started
    print(
        f"2. mixed load through the gateway, {rate:g} requests/s for {seconds:g} s (70 % read, 20 % list, 10 % create):"
    )
    print(
        f"   {len(latencies)} answered, {len(errors)} errors {sorted(set(errors)) or ''}; "
        f"{total / elapsed:.1f} requests/s achieved"
    )
    print(
        f"   p50 {percentile(latencies, 0.5) * 1000:.1f} ms   p99 {percentile(latencies, 0.99) * 1000:.1f} ms   "
        f"max {max(latencies, default=0) * 1000:.1f} ms   (aim: p99 under 300 ms, no errors)"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--direct-too", action="store_true", help="also the mixed load on the service directly")
    args = parser.parse_args()

    databases = {name: f"crm_bench_{name}_{RUN}" for name in ("gateway", "customer")}
    rabbitmqctl("add_vhost", VHOST)
    rabbitmqctl("set_permissions", "-p", VHOST, "guest", ".*", ".*", ".*")
    for database in databases.values():
        await admin(f'CREATE DATABASE "{database}"')
    gateway_port, customer_port = free_ports(2)
    env = {
        **os.environ,
        "CRM_VAR_DIR": tempfile.mkdtemp(prefix="crm-bench-gw-"),
        "CRM_BROKER_URL": f"amqp://guest:guest@127.0.0.1:5672/{VHOST}",
        "CRM_LOG_LEVEL": "WARNING",
        "CRM_GATEWAY_PORT": str(gateway_port),
        "CRM_CUSTOMER_PORT": str(customer_port),
        "CRM_JWKS_URL": f"http://127.0.0.1:{gateway_port}/.well-known/jwks.json",
        "CRM_GATEWAY_UPSTREAMS": f'{{"customer": "http://127.0.0.1:{customer_port}"}}',
        **{f"CRM_{name.upper()}_DATABASE_URL": PG_URL.format(db=db) for name, db in databases.items()},
    }
    children: list[subprocess.Popen[bytes]] = []
    try:
        subprocess.run([str(CRM), "migrate", "gateway", "customer"], env=env, check=True, capture_output=True)
        added = subprocess.run(
            [str(CRM), "staff", "add", "bench", "--role", "agent"], env=env, check=True, capture_output=True, text=True
        )
        password = added.stdout.rsplit("shown once: ", 1)[1].strip()
        for name in ("gateway", "customer"):
            children.append(
                subprocess.Popen(
                    [str(CRM), "serve", name], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )
            )
        direct, door = f"http://127.0.0.1:{customer_port}", f"http://127.0.0.1:{gateway_port}"
        await wait_ready(f"{direct}/readyz")
        await wait_ready(f"{door}/healthz")
        async with httpx.AsyncClient(timeout=10) as client:
            login = await client.post(f"{door}/auth/login", json={"login": "bench", "password": password})
            token = login.json()["access_token"]
            created = await client.post(
                f"{door}/api/customer/customers",
                json={"name": "基准测试有限公司"},
                headers={"Authorization": f"Bearer {token}"},
            )
            customer_id = created.json()["id"]
        print(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        await compare(direct, door, token, customer_id, args.samples)
        await mixed_load(f"{door}/api/customer", "through the gateway", token, customer_id, args.rate, args.seconds)
        if args.direct_too:  # the same load on the service alone: what the machine itself allows
            await mixed_load(direct, "direct (for comparison)", token, customer_id, args.rate, args.seconds)
        print(f"machine after: load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        for child in children:
            child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
        for database in databases.values():
            await admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        rabbitmqctl("delete_vhost", VHOST)


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
