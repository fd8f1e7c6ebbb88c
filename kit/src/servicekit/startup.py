"""Waiting for the database and the broker at start-up, with tenacity's backoff."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from tenacity import AsyncRetrying, before_sleep_log, retry_if_exception_type, stop_after_delay, wait_exponential

log = logging.getLogger("servicekit.startup")


async def wait_until_up(what: str, check: Callable[[], Awaitable[object]], *, seconds: float) -> None:
    async for attempt in AsyncRetrying(
        stop=stop_after_delay(seconds),
        wait=wait_exponential(multiplier=0.2, max=3),
        retry=retry_if_exception_type(Exception),
        before_sleep=before_sleep_log(log, logging.WARNING),
        reraise=True,
    ):
        with attempt:
            await check()
    log.info("%s is reachable", what)
