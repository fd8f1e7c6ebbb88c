"""Bootstrap: wires one service's settings, database, outbox relay, broker, HTTP app and health.

A service's app.py is a few lines:

    service = ServiceRuntime("engagement", metadata=Base.metadata, tables=kit)
    service.include_router(api.router)
    service.consume("customer-events", consumers.on_customer_event)
    service.consume("requests", consumers.on_request, batch=200, prepare=consumers.prepare_requests)
    service.every("sla evaluator", 5.0, lambda: scheduled.evaluate_due(service.db))
    app = service.app

Consumers: `consume(purpose, handler)` handles one message per transaction (servicekit.broker);
with `batch=N` up to N messages share one transaction (servicekit.batch_consumer), for high-rate
queues. Both record the inbox, ack after commit, retry, dead-letter and count the same way.
"Now" comes from `service.clock` (servicekit.clock).
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.topology import subscription
from servicekit import openapi
from servicekit.batch_consumer import BatchConsumer, BatchPrepare
from servicekit.broker import EventHandler, count_dead_letters, create_broker, declare_topology, register_consumer
from servicekit.clock import Clock, as_clock
from servicekit.db import Database
from servicekit.errors import install_error_handlers
from servicekit.http import RequestContextMiddleware
from servicekit.logs import configure_logging
from servicekit.outbox import Outbox, OutboxRelay
from servicekit.settings import (
    CommonSettings,
    ServiceSettings,
    common_settings,
    refuse_development_secrets,
    service_settings,
)
from servicekit.startup import wait_until_up
from servicekit.tables import KitTables

log = logging.getLogger("servicekit.runtime")


class ServiceRuntime:
    def __init__(
        self,
        name: str,
        *,
        metadata: MetaData,
        tables: KitTables,
        description: str = "",
        common: CommonSettings | None = None,
        settings: ServiceSettings | None = None,
        clock: Clock | Callable[[], datetime] | None = None,
        secrets: tuple[str, ...] = (),
    ) -> None:
        self.name = name
        self.secrets = secrets  # the service's own secret variables, checked at start in production
        self.common = common or common_settings()
        self.settings = settings or service_settings(name)
        self.metadata = metadata
        self.tables = tables
        self.clock = as_clock(clock)
        self.db = Database(self.settings.database_url, service=name, clock=self.clock)
        self.outbox = Outbox(producer=name, table=tables.outbox)
        self.db.session_info.update(outbox=self.outbox, kit_tables=tables)
        self.relay = OutboxRelay(
            self.db,
            self.outbox,
            broker_url=self.common.broker_url,
            batch_size=self.common.outbox_batch_size,
            poll_seconds=self.common.outbox_poll_seconds,
            publish_timeout=self.common.publish_timeout_seconds,
        )
        self.broker_graceful_timeout = 15.0
        self.broker = create_broker(
            self.common.broker_url, prefetch=self.common.prefetch, graceful_timeout=self.broker_graceful_timeout
        )
        self.broker_started = False
        self.consumes = False
        self._broker_task: asyncio.Task[None] | None = None
        self._background: list[asyncio.Task[None]] = []
        self._periodic: list[tuple[str, float, Callable[[], Awaitable[object]]]] = []
        self._readiness: list[tuple[str, Callable[[], Awaitable[str | dict[str, str]]], bool]] = []
        self.app = FastAPI(title=f"crm {name} service", description=description, lifespan=self._lifespan)
        self.app.state.service = self
        self.app.add_middleware(RequestContextMiddleware, service=name)
        install_error_handlers(self.app)
        self.app.openapi = self._openapi  # type: ignore[method-assign]
        self.app.include_router(self._health_router())

    # -- wiring -----------------------------------------------------------------

    def include_router(self, router: APIRouter) -> None:
        self.app.include_router(router)

    def readiness(self, name: str, check: Callable[[], Awaitable[str | dict[str, str]]], *, required: bool) -> None:
        """One more /readyz check: "ok" or what is wrong (or a dict of such); `required=False` reports only."""
        self._readiness.append((name, check, required))

    def every(self, name: str, seconds: float, job: Callable[[], Awaitable[object]]) -> None:
        """Run `job` every `seconds` while the service runs; a failure is logged and retried next time."""
        self._periodic.append((name, seconds, job))

    def consume(
        self,
        purpose: str,
        handler: EventHandler,
        *,
        batch: int | None = None,
        prepare: BatchPrepare | None = None,
        savepoints: bool = True,
    ) -> None:
        """Consume the queue `<service>.<purpose>` with `handler(session, envelope)`.

        Without `batch`, one message per transaction. With `batch=N`, up to N messages per transaction;
        `prepare(session, envelopes)` runs once per batch before the handlers (per-batch lookups), and
        `savepoints=False` drops the savepoint per message for a handler that raises before it writes.
        """
        sub = subscription(self.name, purpose)
        if not self.consumes:
            self.consumes = True
            self.every("dead-letter gauge", 30.0, self._count_dead_letters)
        if batch is None:
            if prepare is not None or not savepoints:
                raise TypeError("prepare and savepoints apply to batch consumers only (pass batch=N)")
            register_consumer(
                self.broker,
                self.db,
                sub,
                handler,
                delivery_limit=self.common.delivery_limit,
                retry_backoff=self.common.retry_backoff_seconds,
            )
            return
        consumer = BatchConsumer(
            self.db,
            sub,
            handler,
            broker_url=self.common.broker_url,
            delivery_limit=self.common.delivery_limit,
            retry_backoff=self.common.retry_backoff_seconds,
            batch_size=batch,
            prepare=prepare,
            savepoints=savepoints,
        )
        # its own connection, started with the service and cancelled at shutdown; reconnects a second after a failure
        self.every(f"{sub.queue} batch consumer", 1.0, consumer.run)

    def _openapi(self) -> dict[str, Any]:
        """FastAPI's document completed by the kit (servicekit.openapi): built once, on first request."""
        if self.app.openapi_schema is None:
            document = get_openapi(
                title=self.app.title, version=self.app.version, description=self.app.description, routes=self.app.routes
            )
            self.app.openapi_schema = openapi.complete(document, self.name)
        return self.app.openapi_schema

    # -- lifecycle --------------------------------------------------------------

    @asynccontextmanager
    async def _lifespan(self, _: FastAPI) -> AsyncIterator[None]:
        configure_logging(self.name, self.common.log_level)
        refuse_development_secrets(self.secrets, settings=self.common)
        await wait_until_up("database", self.db.ping, seconds=self.common.startup_wait_seconds)
        self.relay.start()
        # the API serves even while the broker is away; events wait in the outbox
        self._broker_task = asyncio.create_task(self._connect_broker(), name=f"{self.name}-broker")
        self._background = [asyncio.create_task(self._repeat(*job), name=job[0]) for job in self._periodic]
        # start-up objects live for the process: keep them out of every collection; collect young objects less often
        gc.freeze()
        gc.set_threshold(50_000, 20, 20)
        log.info("service started", extra={"port": self.settings.port})
        try:
            yield
        finally:
            # every step is bounded: a broker that stops answering must not keep the process from exiting
            tasks = [self._broker_task, *self._background]
            for task in tasks:
                task.cancel()
            await _bounded("background tasks", asyncio.wait(tasks), SHUTDOWN_STEP_SECONDS)
            if self.broker_started:
                # waits up to graceful_timeout for handlers in flight
                await _bounded("broker", self.broker.stop(), self.broker_graceful_timeout + SHUTDOWN_STEP_SECONDS)
            await _bounded(
                "outbox relay", self.relay.stop(), self.common.publish_timeout_seconds + SHUTDOWN_STEP_SECONDS
            )
            await self.db.dispose()
            log.info("service stopped")

    async def _connect_broker(self) -> None:
        async def connect() -> None:
            await declare_topology(self.common.broker_url, self.common.delivery_limit)
            await self.broker.start()

        await wait_until_up("broker", connect, seconds=float("inf"))
        self.broker_started = True

    async def _count_dead_letters(self) -> None:
        if self.broker_started:  # the DLQ exists once the topology is declared
            await count_dead_letters(self.common.broker_url, self.name)

    async def _repeat(self, name: str, seconds: float, job: Callable[[], Awaitable[object]]) -> None:
        while True:
            try:
                await job()
            except Exception as exc:
                log.warning("periodic job failed", extra={"job": name, "error": repr(exc)[:300]})
            await asyncio.sleep(seconds)

    # -- health -----------------------------------------------------------------

    def _health_router(self) -> APIRouter:
        router = APIRouter(tags=["health"])

        @router.get("/healthz")
        async def healthz() -> dict[str, str]:
            return {"status": "ok", "service": self.name}

        @router.get("/readyz", responses={503: {"description": "the database or the broker is unreachable"}})
        async def readyz() -> JSONResponse:
            checks: dict[str, str | dict[str, str]] = {
                "database": await self._check_database(),
                "broker": await self._check_broker(),
            }
            ready = all(value == "ok" for value in checks.values())
            for name, check, required in self._readiness:
                checks[name] = await check()
                ready = ready and (not required or _all_ok(checks[name]))
            return JSONResponse(
                {"ready": ready, "service": self.name, "checks": checks}, status_code=200 if ready else 503
            )

        @router.get("/metrics", responses={200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "Prometheus"}})
        async def metrics() -> Response:
            return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

        return router

    async def _check_database(self) -> str:
        try:
            await asyncio.wait_for(self.db.ping(), timeout=2)
        except Exception as exc:
            return f"unreachable: {type(exc).__name__}"
        return "ok"

    async def _check_broker(self) -> str:
        if not self.broker_started:
            return "unreachable: not connected"
        return "ok" if await self.broker.ping(timeout=2) else "unreachable"


async def _request_session(request: Request) -> AsyncIterator[AsyncSession]:
    service: ServiceRuntime = request.app.state.service
    async with service.db.session() as session:
        yield session


# one session per request; scope="function" commits before the response is sent, so a 2xx means saved
DbSession = Annotated[AsyncSession, Depends(_request_session, scope="function")]


SHUTDOWN_STEP_SECONDS = 10.0


def _all_ok(result: str | dict[str, str]) -> bool:
    return all(value == "ok" for value in result.values()) if isinstance(result, dict) else result == "ok"


async def _bounded(step: str, awaitable: Awaitable[object], seconds: float) -> None:
    try:
        await asyncio.wait_for(awaitable, timeout=seconds)
    except TimeoutError:
        log.warning("shutdown step timed out; going on", extra={"step": step, "seconds": seconds})
    except Exception as exc:  # noqa: BLE001 - e.g. a consumer cancel the broker never answered
        # stopping anyway is safe: unacked messages go back to their queue when the connection closes
        log.warning("shutdown step failed; going on", extra={"step": step, "error": repr(exc)[:300]})
