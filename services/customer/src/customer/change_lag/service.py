"""R-06: record when a change became known and measure the lag to its entry."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from customer.change_lag import metrics
from customer.settings import customer_settings
from servicekit.db import after_commit


def entered(session: AsyncSession, kind: str, learned_at: datetime | None, now: datetime) -> datetime:
    """The effective learned_at (default: now); the lag is counted once the change is saved."""
    learned = learned_at or now
    lag = max(0.0, (now - learned).total_seconds())

    def observe() -> None:
        metrics.CHANGE_LAG.labels(kind).observe(lag)
        if lag > customer_settings().late_change_seconds:
            metrics.CHANGES_LATE.labels(kind).inc()

    after_commit(session, observe)
    return learned
