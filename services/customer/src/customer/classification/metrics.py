"""R-03 classification metrics (crm_ prefix). Labels are bounded enums; never a customer id."""

from __future__ import annotations

from prometheus_client import Counter

TRIGGERS = ("figures", "event", "schedule")

RECLASSIFIED = Counter(
    "crm_customer_reclassified_total", "R-03: customers whose tier or service level a rule changed", ["trigger"]
)


def initialise_series() -> None:
    """Export every series at 0 from the start, so the first re-classification shows up in rate windows."""
    for trigger in TRIGGERS:
        RECLASSIFIED.labels(trigger)
