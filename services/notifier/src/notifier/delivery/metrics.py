"""Delivery metrics (crm_ prefix, base units). Labels are bounded enums; never a recipient or message id."""

from __future__ import annotations

from itertools import product

from prometheus_client import Counter, Gauge, Histogram
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit.db import after_commit

CHANNELS = ("email", "sms", "im", "in_app")
PURPOSES = ("service", "care", "marketing")
OUTCOMES = ("sent", "failed", "suppressed", "deferred", "retried")

NOTIFICATIONS = Counter(
    "crm_notifications_total",
    "Notification messages by channel, purpose and outcome (sent, failed, suppressed, deferred, retried)",
    ["channel", "purpose", "outcome"],
)
DELIVERY_LATENCY = Histogram(
    "crm_notification_delivery_seconds",
    "From the request to the provider's acceptance, by channel (deferred messages included)",
    ["channel"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600, 43200),
)
BACKLOG = Gauge("crm_notifications_deferred_backlog", "Messages waiting: deferred or pending past their due time")
BACKLOG_OLDEST = Gauge(
    "crm_notifications_deferred_oldest_age_seconds", "Age past its due time of the oldest waiting message"
)
REJECTED_REQUESTS = Counter(
    "crm_notification_requests_rejected_total",
    "Requests dead-lettered: unknown template or purpose, a missing parameter, an invalid request",
    ["reason"],
)
REJECT_REASONS = ("unknown_template", "wrong_purpose", "missing_parameter", "invalid_request")
WAITING_REQUESTS = Counter(
    "crm_notification_requests_waiting_total",
    "Requests parked for a customer the notifier does not know yet (resumed when it arrives), by purpose",
    ["purpose"],
)


def initialise_series() -> None:
    """Every series at 0 from the start, so a first failure after a restart shows in rate()."""
    for channel, purpose, outcome in product(CHANNELS, PURPOSES, OUTCOMES):
        NOTIFICATIONS.labels(channel, purpose, outcome)
    for channel in CHANNELS:
        DELIVERY_LATENCY.labels(channel)
    for reason in REJECT_REASONS:
        REJECTED_REQUESTS.labels(reason)
    for purpose in PURPOSES:
        WAITING_REQUESTS.labels(purpose)
    BACKLOG.set(0)
    BACKLOG_OLDEST.set(0)


def count_after_commit(session: AsyncSession, channel: str, purpose: str, outcome: str) -> None:
    """Count a message outcome once its transaction commits (a rolled-back batch counts nothing)."""
    after_commit(session, NOTIFICATIONS.labels(channel, purpose, outcome).inc)
