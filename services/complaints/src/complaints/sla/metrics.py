"""SLA metrics (crm_ prefix, base units). Labels are bounded enums; never a case or customer id."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

LABELS = ["kind", "severity", "tier", "channel"]

# bucket boundaries sit exactly on the targets: 5 min chat, 1 h complaint, 24 h email
FIRST_RESPONSE = Histogram(
    "crm_sla_first_response_seconds",
    "Time to first response, on the target's clock (pauses excluded)",
    LABELS,
    buckets=(60, 300, 900, 1800, 3600, 7200, 14400, 28800, 86400, 172800),
)
# business seconds: a working day is 8 h, so 1, 3 and 6 working days are 28800, 86400, 172800
RESOLUTION = Histogram(
    "crm_sla_resolution_seconds",
    "Time to resolution, on the target's clock (business seconds for working-day targets; pauses excluded)",
    LABELS,
    buckets=(3600, 14400, 28800, 57600, 86400, 115200, 144000, 172800, 259200, 345600),
)
TARGETS = Counter(
    "crm_sla_targets_total",
    "SLA targets that ended, by outcome (met, breached); a breach counts at its deadline",
    ["target", *LABELS, "outcome"],
)
OPEN_TARGETS = Gauge(
    "crm_sla_open_targets", "Open SLA targets by state (on_track, at_risk, breached)", ["target", "state"]
)
OLDEST_UNANSWERED = Gauge(
    "crm_sla_oldest_unanswered_case_age_seconds", "Age of the oldest case still waiting for its first response"
)
EVALUATOR_HEARTBEAT = Gauge(
    "crm_sla_evaluator_last_pass_timestamp_seconds", "Unix time the SLA evaluator last finished a pass"
)
EVALUATOR_PASS = Histogram(
    "crm_sla_evaluator_pass_seconds",
    "Duration of one SLA evaluator pass",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5),
)
EVALUATOR_TRANSITIONS = Counter(
    "crm_sla_evaluator_transitions_total", "SLA state changes the evaluator made", ["target", "state"]
)
ESCALATIONS = Counter("crm_case_escalations_total", "Escalations raised, by reason", ["reason"])


def initialise_series() -> None:
    """Export every target counter at 0 from the start: Prometheus never counts a series' first sample
    as an increase, so a first breach after a restart would otherwise vanish from every rate window."""
    from itertools import product

    from complaints.sla.rules import CHANNELS, KINDS, SEVERITIES, TIERS
    from complaints.sla.rules import TARGETS as TARGET_NAMES

    for target, kind, severity, tier, channel, outcome in product(
        TARGET_NAMES, KINDS, SEVERITIES, TIERS, CHANNELS, ("met", "breached")
    ):
        TARGETS.labels(target, kind, severity, tier, channel, outcome)
