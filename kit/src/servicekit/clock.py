"""The service's clock: the one way consumers, scheduled jobs and use cases read "now".

The runtime holds one `Clock` (`service.clock`; `ServiceRuntime(..., clock=...)` or
`create_service(clock=...)` to inject another). It travels with the service's database:

- an event handler or a use case with a session reads it as `now(session)`;
- a scheduled job given the `Database` reads it as `db.clock()`;
- anything given the clock itself (e.g. a dispatcher) calls it: `service.clock()`.

Pure rules never read a clock: they take `now=` from one of the above.

Tests fix or move it without monkeypatching modules: `service.clock.set(NOON)` (a datetime or a
callable), and `service.clock.reset()` to go back to the real UTC time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session


def utcnow() -> datetime:
    return datetime.now(UTC)


class Clock:
    """A callable returning the current UTC time; `set` fixes or replaces its source, `reset` restores it."""

    def __init__(self, source: Callable[[], datetime] = utcnow) -> None:
        self._default = source
        self._source = source

    def __call__(self) -> datetime:
        return self._source()

    def set(self, at: datetime | Callable[[], datetime]) -> None:
        if isinstance(at, datetime):
            if at.tzinfo is None:
                raise ValueError("a clock gives timezone-aware UTC datetimes")
            fixed = at
            self._source = lambda: fixed
        else:
            self._source = at

    def reset(self) -> None:
        self._source = self._default


def as_clock(clock: Clock | Callable[[], datetime] | None) -> Clock:
    """A Clock from a Clock, a plain callable or nothing (the real time)."""
    if isinstance(clock, Clock):
        return clock
    return Clock() if clock is None else Clock(clock)


def clock_of(session: AsyncSession | Session) -> Clock:
    """The clock of the service that opened `session`; the real time for a session from elsewhere."""
    found: Any = session.info.get("clock")
    return found if isinstance(found, Clock) else _REAL_TIME


def now(session: AsyncSession | Session) -> datetime:
    """ "Now" on the clock of the service that opened `session`."""
    return clock_of(session)()


_REAL_TIME = Clock()
