"""ASGI middleware: correlation id in and out, HTTP request metrics by route template."""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from servicekit import metrics
from servicekit.logs import correlation_id, new_correlation_id

HEADER = "x-correlation-id"


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(HEADER.encode(), b"").decode("latin-1")
        # accept the caller's id only when it looks like an id, so logs cannot be forged with it
        cid = (
            incoming
            if incoming and len(incoming) <= 64 and incoming.replace("-", "").isalnum()
            else new_correlation_id()
        )
        token = correlation_id.set(cid)
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (HEADER.encode(), cid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            route = _route_template(scope)
            metrics.HTTP_REQUESTS.labels(self.service, scope["method"], route, str(status)).inc()
            metrics.HTTP_LATENCY.labels(self.service, scope["method"], route).observe(time.perf_counter() - started)
            correlation_id.reset(token)


def _route_template(scope: Scope) -> str:
    # the template, never the raw path: ids in paths would explode label cardinality
    route = scope.get("route")
    return getattr(route, "path", None) or "unmatched"
