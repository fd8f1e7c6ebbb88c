"""Shared notifier test fixtures: the schema, a client running the real app's lifespan, a real SMTP server
process (aiosmtpd) that records every message, and a local HTTP server speaking the Twilio Messages API and
the IM webhook formats.

Service modules are imported inside the fixtures: this file loads before the test plugin points the
settings at the run's own databases. The app's own delivery loop is off in-process: tests drive a
Dispatcher with a fixed clock, and fix the service's clock for the request pipeline."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from servicekit.clock import Clock
from servicekit.testing import app_service, free_port, migrate, service_client

os.environ.setdefault("CRM_NOTIFIER_DISPATCHER_ENABLED", "false")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # delivery_helpers, for the tests (importlib import mode)


@pytest.fixture(scope="session")
def notifier_schema() -> None:
    migrate("notifier")
    # other services' tests in the same run publish case and customer events that are routed to the
    # notifier's queues too; these tests count sends and dead letters, so start from empty queues
    asyncio.run(_purge_notifier_queues())


async def _purge_notifier_queues() -> None:
    import aio_pika

    from contracts.topology import SUBSCRIPTIONS, dead_letter_queue
    from servicekit.testing import BROKER_URL

    names = [sub.queue for sub in SUBSCRIPTIONS if sub.service == "notifier"] + [dead_letter_queue("notifier")]
    connection = await aio_pika.connect(BROKER_URL)
    async with connection:
        for name in names:
            channel = await connection.channel()
            try:
                await (await channel.declare_queue(name, passive=True)).purge()
            except aio_pika.exceptions.ChannelClosed:
                pass  # not declared yet: nothing routed to it


@pytest.fixture
async def client(notifier_schema: None):
    async with service_client("notifier") as client:
        yield client


NOON = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # 12:00 in Asia/Shanghai, outside quiet hours


@pytest.fixture
def clock() -> Iterator[Clock]:
    """The service's clock (the request pipeline reads it), at NOON; a test moves it with clock.set(...)."""
    service = app_service("notifier")
    service.clock.set(NOON)
    yield service.clock
    service.clock.reset()


class SmtpSink:
    """aiosmtpd in its own process; stop() takes it down (an outage), start() brings it back on the same port."""

    def __init__(self, path: Path) -> None:
        self.port = free_port()
        self.path = path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "smtp_sink.py"), str(self.port), str(self.path)], stdout=subprocess.PIPE
        )
        assert self.process.stdout is not None and self.process.stdout.readline().strip() == b"ready"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.02)
        raise RuntimeError("SMTP sink did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def messages(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text().splitlines() if line.strip()]


@pytest.fixture
def smtp_sink(tmp_path: Path) -> Iterator[SmtpSink]:
    sink = SmtpSink(tmp_path / "smtp.jsonl")
    sink.start()
    yield sink
    sink.stop()


class ProviderServer:
    """Twilio-style SMS endpoint (`POST /sms`) and IM robot webhooks (`POST /im`); records requests.
    `replies` queues (status, json) answers; empty = success."""

    def __init__(self) -> None:
        self.port = free_port()
        self.requests: list[dict[str, Any]] = []
        self.replies: list[tuple[int, dict[str, Any]]] = []
        self.server: Any = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def app(self) -> Any:
        from starlette.applications import Starlette
        from starlette.requests import Request
        from starlette.responses import JSONResponse
        from starlette.routing import Route

        async def sms(request: Request) -> JSONResponse:
            form = await request.form()
            self.requests.append(
                {
                    "kind": "sms",
                    "form": dict(form),
                    "auth": request.headers.get("authorization"),
                    "token": request.headers.get("i-twilio-idempotency-token"),
                }
            )
            if self.replies:
                status, body = self.replies.pop(0)
                return JSONResponse(body, status_code=status)
            return JSONResponse({"sid": f"SM{len(self.requests):032d}", "status": "queued"}, status_code=201)

        async def im(request: Request) -> JSONResponse:
            self.requests.append({"kind": "im", "json": await request.json(), "query": dict(request.query_params)})
            if self.replies:
                status, body = self.replies.pop(0)
                return JSONResponse(body, status_code=status)
            return JSONResponse({"errcode": 0, "errmsg": "ok"})

        return Starlette(routes=[Route("/sms", sms, methods=["POST"]), Route("/im", im, methods=["POST"])])

    async def start(self) -> None:
        import uvicorn

        self.server = uvicorn.Server(
            uvicorn.Config(self.app(), host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        )
        self._task = asyncio.create_task(self.server.serve())
        while not self.server.started:
            await asyncio.sleep(0.01)

    async def stop(self) -> None:
        self.server.should_exit = True
        await self._task


@pytest.fixture
async def provider() -> AsyncIterator[ProviderServer]:
    server = ProviderServer()
    await server.start()
    yield server
    await server.stop()


def delivery_settings(smtp: SmtpSink | None = None, provider: ProviderServer | None = None, **overrides: Any) -> Any:
    """The notifier's settings pointed at the test servers (a copy; the process-wide settings stay)."""
    from notifier.settings import notifier_settings

    values: dict[str, Any] = {"backoff_base_seconds": 1.0, "in_call_retries": 1}
    if smtp is not None:
        values |= {"smtp_port": smtp.port, "smtp_timeout_seconds": 2.0}
    if provider is not None:
        values |= {"sms_url": f"{provider.url}/sms", "sms_account": "ACtest", "sms_token": "secret"}
    return notifier_settings().model_copy(update=values | overrides)
