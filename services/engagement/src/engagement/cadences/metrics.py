"""Cadence metrics (crm_engagement_ prefix). Labels are the rule name (bounded: the policy's rules), never a
customer or staff member."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

OBLIGATIONS = Counter(
    "crm_engagement_obligations_total",
    "Contact obligations that ended, by cadence rule and outcome (met, missed)",
    ["rule", "outcome"],
)
OPEN_OBLIGATIONS = Gauge("crm_engagement_open_obligations", "Open contact obligations by cadence rule", ["rule"])
OVERDUE_OBLIGATIONS = Gauge(
    "crm_engagement_overdue_obligations", "Obligations whose window ended and the pass has not yet closed"
)
CRISIS_MODE = Gauge("crm_engagement_crisis_mode", "1 while crisis mode is on (R-11)")
PASS_SECONDS = Histogram(
    "crm_engagement_pass_seconds",
    "Duration of one scheduled pass",
    ["pass"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10, 30, 60),
)
PASS_HEARTBEAT = Gauge(
    "crm_engagement_pass_last_timestamp_seconds", "Unix time a scheduled pass last finished", ["pass"]
)


def initialise_series() -> None:
    """Every outcome of the default rules at 0 from the start, so a first miss shows in rate windows."""
    from engagement.cadences.rules import DEFAULT_POLICY

    for rule in {r.name for r in (*DEFAULT_POLICY.rules, *DEFAULT_POLICY.crisis_rules)} | {"onboarding", "anniversary"}:
        for outcome in ("met", "missed"):
            OBLIGATIONS.labels(rule, outcome)
    for name in ("obligations", "replan", "todos", "silence"):
        PASS_SECONDS.labels(name)
