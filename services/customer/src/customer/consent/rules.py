"""R-42 consent rules: the newest row per channel and purpose is in force. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from contracts.events.customer import MessageChannel, Purpose

UNSUBSCRIBE_SOURCE = "unsubscribe link"


@dataclass(frozen=True)
class ConsentChange:
    channel: MessageChannel
    purpose: Purpose
    granted: bool
    source: str


class ConsentRow(Protocol):
    id: int | None
    channel: str
    purpose: str
    granted: bool
    recorded_at: datetime


Row = TypeVar("Row", bound=ConsentRow)


def current_state(history: Iterable[Row]) -> dict[tuple[str, str], Row]:
    """The row in force per (channel, purpose): the newest by time, then by id."""
    state: dict[tuple[str, str], Row] = {}
    for row in sorted(history, key=lambda r: (r.recorded_at, r.id or 0)):
        state[(row.channel, row.purpose)] = row
    return state


def is_stale(newest: ConsentRow | None, at: datetime) -> bool:
    """An unsubscribe older than the consent in force must not undo a newer grant."""
    return newest is not None and at < newest.recorded_at
