"""The joined API description: each service's /openapi.json fetched through the door's client, cached a minute."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from gateway.openapi import rules
from gateway.proxy.service import Forwarder
from servicekit.settings import UPSTREAMS

log = logging.getLogger("gateway.openapi")
CACHE_SECONDS = 60.0


class JoinedDocument:
    def __init__(self) -> None:
        self.document: dict[str, Any] | None = None
        self.built_at = float("-inf")

    async def get(self, gateway: dict[str, Any], forwarder: Forwarder) -> dict[str, Any]:
        if self.document is None or time.monotonic() - self.built_at > CACHE_SECONDS:
            fetched = await asyncio.gather(*(self._fetch(forwarder, name) for name in UPSTREAMS))
            self.document = rules.join(gateway, dict(zip(UPSTREAMS, fetched, strict=True)))
            # a document missing a service is rebuilt at the next request, not a minute later
            self.built_at = time.monotonic() if all(fetched) else float("-inf")
        return self.document

    async def _fetch(self, forwarder: Forwarder, service: str) -> dict[str, Any] | None:
        base = forwarder.settings.upstream(service)
        try:
            response = await forwarder.client().get(f"{base}/openapi.json", timeout=5.0)
            response.raise_for_status()
            document: dict[str, Any] = response.json()
            return document
        except Exception as exc:  # one service away leaves the others' description usable
            log.warning("service description unavailable", extra={"service": service, "error": repr(exc)[:200]})
            return None


JOINED = JoinedDocument()
