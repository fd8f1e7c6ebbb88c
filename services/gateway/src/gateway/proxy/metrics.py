"""The door's own figures: upstream answers and failures by service (request latency comes from the kit)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

UPSTREAM_RESPONSES = Counter(
    "crm_gateway_upstream_responses_total", "Answers from upstream services", ["service", "status_class"]
)
UPSTREAM_FAILURES = Counter(
    "crm_gateway_upstream_failures_total", "Calls that got no answer (down, timeout, too large)", ["service", "kind"]
)
UPSTREAM_LATENCY = Histogram(
    "crm_gateway_upstream_seconds",
    "Time to the upstream's response headers",
    ["service"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
