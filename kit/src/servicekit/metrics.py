"""Every Prometheus metric the kit exports, in one place. Names carry the `crm_` prefix and base units."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram, disable_created_metrics

# `_created` series double the scrape and nothing reads them
disable_created_metrics()  # type: ignore[no-untyped-call]  # prometheus_client leaves it unannotated

HTTP_REQUESTS = Counter("crm_http_requests_total", "HTTP requests handled", ["service", "method", "route", "status"])
HTTP_LATENCY = Histogram(
    "crm_http_request_duration_seconds",
    "HTTP request latency",
    ["service", "method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
OUTBOX_BACKLOG = Gauge("crm_outbox_backlog_events", "Outbox events not yet confirmed by the broker", ["service"])
OUTBOX_OLDEST_AGE = Gauge(
    "crm_outbox_oldest_unpublished_age_seconds", "Age of the oldest unpublished outbox event", ["service"]
)
OUTBOX_PUBLISHED = Counter(
    "crm_outbox_published_total", "Outbox events confirmed by the broker", ["service", "routing"]
)
OUTBOX_PUBLISH_FAILURES = Counter(
    "crm_outbox_publish_failures_total", "Outbox publish attempts that got no confirm", ["service"]
)
MESSAGES_CONSUMED = Counter(
    "crm_messages_consumed_total",
    "Messages consumed, by outcome: processed, duplicate, retried, dead_lettered",
    ["service", "queue", "outcome"],
)
MESSAGE_HANDLING = Histogram(
    "crm_message_handling_seconds",
    "Time to handle one message, inbox and commit included",
    ["service", "queue"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
DEAD_LETTERS = Gauge(
    "crm_dead_letter_messages", "Messages waiting in a service's dead-letter queue", ["service", "queue"]
)
