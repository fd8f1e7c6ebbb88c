"""R-06 change-lag metrics (crm_ prefix, base units). Labels are bounded enums; never a customer or contact id."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

# change kinds whose entry lag is measured
CHANGE_KINDS = ("contact", "needs")

CHANGE_LAG = Histogram(
    "crm_customer_change_lag_seconds",
    "R-06: time from a change of contact data or needs becoming known to its entry",
    ["kind"],
    buckets=(60, 600, 3600, 14400, 43200, 86400, 172800, 259200, 604800),
)
CHANGES_LATE = Counter(
    "crm_customer_changes_entered_late_total",
    "R-06: changes entered later than the allowed lag (default 24 h) after becoming known",
    ["kind"],
)


def initialise_series() -> None:
    """Export every series at 0 from the start, so the first late change shows up in rate windows."""
    for kind in CHANGE_KINDS:
        CHANGE_LAG.labels(kind)
        CHANGES_LATE.labels(kind)
