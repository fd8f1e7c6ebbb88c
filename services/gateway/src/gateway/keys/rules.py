"""Key rotation rules (pure): which key signs, which keys are published."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol


class KeyTimes(Protocol):
    created_at: datetime
    signs_until: datetime | None
    verify_until: datetime | None


def signs(key: KeyTimes, now: datetime) -> bool:
    return key.signs_until is None or key.signs_until > now


def published(key: KeyTimes, now: datetime) -> bool:
    """A retired key stays in the key set until every token it signed has expired."""
    return key.verify_until is None or key.verify_until > now


def retire_times(now: datetime, overlap_seconds: int) -> tuple[datetime, datetime]:
    """(stops signing, stops verifying) for the key a rotation replaces."""
    return now, now + timedelta(seconds=overlap_seconds)
