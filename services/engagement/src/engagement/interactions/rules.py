"""Silence rules (R-16), pure: when a customer turns silent, what a lapse reason may be. The time is passed in."""

from __future__ import annotations

from datetime import datetime, timedelta

KINDS = ("communication", "case_received", "case_closed", "survey_response")
# why contact lapsed: the owner picks one and may add a note
REASON_CODES = (
    "customer_unreachable",
    "customer_asked_for_less_contact",
    "owner_changed",
    "no_business_need",
    "seasonal_business",
    "overlooked",
    "other",
)


def is_newer(current: datetime | None, at: datetime) -> bool:
    """Interactions arrive out of order (events, back-dated records): only a later one moves the last interaction."""
    return current is None or at > current


def silent_at(since: datetime, silent_days: int) -> datetime:
    return since + timedelta(days=silent_days)


def silent_days(since: datetime, now: datetime) -> int:
    return max(0, (now - since).days)
