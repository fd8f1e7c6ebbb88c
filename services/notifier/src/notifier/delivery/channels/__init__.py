"""Delivery channels (R-40): each sends one message and says whether a failure is worth retrying.

A channel raises `Transient` (network, timeouts, provider 5xx: retried with backoff, the row waits) or
`Permanent` (the provider refused: the row fails with the provider's reason). Never log a body or address.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_random_exponential


class Transient(Exception):
    """Worth trying again later."""


class Permanent(Exception):
    """The provider refused; `str(exc)` is its reason."""


@dataclass(frozen=True)
class Outgoing:
    """What a channel needs to send one message (decrypted address, rendered parts)."""

    id: str
    idempotency_key: str
    channel: str
    purpose: str
    address: str
    subject: str | None
    text: str
    html: str | None
    unsubscribe_url: str | None
    staff: str | None

    @property
    def provider_key(self) -> str:
        """Stable per message across retries and replicas: the provider deduplicates on it."""
        return hashlib.sha256(f"{self.idempotency_key}\x00{self.channel}".encode()).hexdigest()[:40]


class Channel(Protocol):
    async def send(self, message: Outgoing) -> str | None:
        """Hand the message to the provider; its message id, if it gives one."""
        ...

    async def close(self) -> None: ...


T = TypeVar("T")


async def with_retries(attempts: int, call: Callable[[], Awaitable[T]]) -> T:
    """Retry a transient failure a few times within the call (exponential backoff with jitter); a longer outage
    is the dispatcher's: it pushes the row's due_at back."""
    async for attempt in AsyncRetrying(
        stop=stop_after_attempt(attempts),
        wait=wait_random_exponential(multiplier=0.05, max=1.0),
        retry=retry_if_exception_type(Transient),
        reraise=True,
    ):
        with attempt:
            return await call()
    raise AssertionError("unreachable")
