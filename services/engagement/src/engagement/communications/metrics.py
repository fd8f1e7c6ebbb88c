"""Communication metrics (crm_engagement_ prefix); the channel is the only label."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

# within 24 h; the buckets sit on 1, 4, 8, 24, 48 and 72 hours
ENTRY_LAG = Histogram(
    "crm_engagement_communication_entry_lag_seconds",
    "Time from a contact to its record being entered (R-14)",
    ["channel"],
    buckets=(3600, 14400, 28800, 86400, 172800, 259200),
)
LATE = Counter(
    "crm_engagement_communications_late_total", "Records entered more than 24 h after the contact (R-14)", ["channel"]
)
RECORDED = Counter("crm_engagement_communications_total", "Communication records entered (R-14)", ["channel"])


def initialise_series() -> None:
    from engagement.cadences.rules import CHANNELS

    for channel in CHANNELS:
        LATE.labels(channel)
        RECORDED.labels(channel)
