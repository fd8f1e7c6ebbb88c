"""Progress of the recomputations a calendar change starts (the calendar's own coverage metrics are the kit's)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge

RECOMPUTE_REMAINING = Gauge(
    "crm_calendar_recompute_remaining_cases", "Open cases still to recompute after a calendar change"
)
RECOMPUTED = Counter(
    "crm_calendar_recomputed_cases_total", "Open cases recomputed after a calendar change, by outcome", ["outcome"]
)


def initialise_series() -> None:
    RECOMPUTE_REMAINING.set(0)
    for outcome in ("moved", "unchanged"):
        RECOMPUTED.labels(outcome)
