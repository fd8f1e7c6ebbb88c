"""Communication record rules (R-14), pure: the entry lag and lateness. The time is passed in."""

from __future__ import annotations

from datetime import datetime, timedelta


def entry_lag(happened_at: datetime, entered_at: datetime) -> timedelta:
    return max(entered_at - happened_at, timedelta(0))


def is_late(happened_at: datetime, entered_at: datetime, *, deadline_hours: float) -> bool:
    """R-14: a record is entered within 24 hours of the contact."""
    return entry_lag(happened_at, entered_at) > timedelta(hours=deadline_hours)


def in_future(happened_at: datetime, now: datetime) -> bool:
    return happened_at > now
