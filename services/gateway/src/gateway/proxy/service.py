"""Forwarding one call to a service: bodies streamed both ways, bounded waits, no retry of what may have landed.

httpx (already the kit's HTTP client) gives connection pools per upstream, streaming and per-phase timeouts.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from gateway.addresses import client_address
from gateway.proxy import metrics, rules
from gateway.settings import GatewaySettings, gateway_settings
from servicekit.errors import ApiError
from servicekit.logs import correlation_id


class BodyTooLarge(Exception):
    pass


@dataclass
class Forwarder:
    """One pooled client for every upstream; `transport` lets tests put apps in-process behind it."""

    settings: GatewaySettings = field(default_factory=gateway_settings)
    transport: httpx.AsyncBaseTransport | None = None
    _client: httpx.AsyncClient | None = None

    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            timeout = httpx.Timeout(
                self.settings.read_timeout_seconds,
                connect=self.settings.connect_timeout_seconds,
                pool=self.settings.connect_timeout_seconds,
            )
            limits = httpx.Limits(max_connections=self.settings.max_connections, max_keepalive_connections=50)
            # one log line per call is the kit's (with the correlation id); httpx's own would double every line
            logging.getLogger("httpx").setLevel(logging.WARNING)
            # no retries inside httpx either: the one retry below is decided per call
            self._client = httpx.AsyncClient(timeout=timeout, limits=limits, transport=self.transport)
        return self._client

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def forward(self, request: Request, service: str, path: str) -> Response:
        base = self.settings.upstream(service)
        if base is None:
            raise ApiError(404, "not_found", f"no service {service} behind the gateway", field="service")
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > self.settings.max_body_bytes:
            metrics.UPSTREAM_FAILURES.labels(service, "too_large").inc()
            raise ApiError(413, "body_too_large", f"the body is over {self.settings.max_body_bytes} bytes")
        has_body = bool(length and length != "0") or "transfer-encoding" in request.headers
        headers = rules.request_headers(
            list(request.headers.items()),
            client=client_address(request),
            proto=request.url.scheme,
            host=request.headers.get("host", ""),
            correlation_id=correlation_id.get() or "",
        )
        url = httpx.URL(f"{base}/{path}", query=request.url.query.encode())
        outgoing = self.client().build_request(
            request.method, url, headers=headers, content=self._limited(request) if has_body else None
        )
        started = time.perf_counter()
        upstream = await self._send(outgoing, service, retry=rules.may_retry(request.method, has_body=has_body))
        metrics.UPSTREAM_LATENCY.labels(service).observe(time.perf_counter() - started)
        metrics.UPSTREAM_RESPONSES.labels(service, f"{upstream.status_code // 100}xx").inc()
        return StreamingResponse(
            upstream.aiter_raw(),
            status_code=upstream.status_code,
            headers=dict(rules.response_headers(list(upstream.headers.multi_items()))),
            background=BackgroundTask(upstream.aclose),
        )

    async def _limited(self, request: Request) -> AsyncIterator[bytes]:
        seen = 0
        async for chunk in request.stream():
            seen += len(chunk)
            if seen > self.settings.max_body_bytes:
                raise BodyTooLarge
            yield chunk

    async def _send(self, outgoing: httpx.Request, service: str, *, retry: bool) -> httpx.Response:
        for attempt in (1, 2):
            try:
                return await self.client().send(outgoing, stream=True)
            except BodyTooLarge:
                metrics.UPSTREAM_FAILURES.labels(service, "too_large").inc()
                raise ApiError(
                    413, "body_too_large", f"the body is over {self.settings.max_body_bytes} bytes"
                ) from None
            except httpx.ConnectError:
                # refused: the call never reached the service, so an idempotent one may go once more
                if retry and attempt == 1:
                    continue
                metrics.UPSTREAM_FAILURES.labels(service, "down").inc()
                raise _unavailable(service) from None
            except (httpx.ConnectTimeout, httpx.PoolTimeout):
                metrics.UPSTREAM_FAILURES.labels(service, "down").inc()
                raise _unavailable(service) from None
            except httpx.TimeoutException:
                metrics.UPSTREAM_FAILURES.labels(service, "timeout").inc()
                raise ApiError(504, "upstream_timeout", f"the {service} service did not answer in time") from None
            except httpx.TransportError as exc:
                if isinstance(exc.__cause__, BodyTooLarge) or isinstance(exc.__context__, BodyTooLarge):
                    metrics.UPSTREAM_FAILURES.labels(service, "too_large").inc()
                    raise ApiError(413, "body_too_large", "the body is too large") from None
                metrics.UPSTREAM_FAILURES.labels(service, "broken").inc()
                raise _unavailable(service) from None
        raise AssertionError("unreachable")


def _unavailable(service: str) -> ApiError:
    return ApiError(
        503, "upstream_unavailable", f"the {service} service is unavailable; retry later", headers={"Retry-After": "5"}
    )


FORWARDER = Forwarder()


async def upstreams_ready() -> dict[str, str]:
    """Each upstream's own /readyz, in parallel, two seconds at most: "ok" or what is wrong."""
    import asyncio

    from servicekit.settings import UPSTREAMS

    async def one(service: str) -> str:
        try:
            response = await FORWARDER.client().get(f"{FORWARDER.settings.upstream(service)}/readyz", timeout=2.0)
        except httpx.HTTPError as exc:
            return f"unreachable: {type(exc).__name__}"
        return "ok" if response.status_code == 200 else f"not ready: {response.status_code}"

    results = await asyncio.gather(*(one(service) for service in UPSTREAMS))
    return dict(zip(UPSTREAMS, results, strict=True))
