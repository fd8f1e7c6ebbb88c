"""Pure cadence rules (R-11): which contact is due when. No I/O, the time passed in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class PlannedContact:
    kind: str
    channel: str
    purpose: str
    due_at: datetime
    rule: str


def onboarding_call(first_cooperation_at: datetime, *, within_days: int = 7) -> PlannedContact:
    """R-11: a new customer gets a phone call within one week of the first cooperation."""
    return PlannedContact(
        kind="onboarding_call",
        channel="phone",
        purpose="usage feedback, problem solving, cooperation suggestions (R-12)",
        due_at=first_cooperation_at + timedelta(days=within_days),
        rule="R-11",
    )
