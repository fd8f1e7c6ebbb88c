"""Invitation metrics (crm_ prefix). Labels are bounded enums; never a customer, contact or case id."""

from __future__ import annotations

from prometheus_client import Counter

INVITATIONS = Counter(
    "crm_survey_invitations_total",
    "Survey invitations by kind and outcome (sent, skipped, expired, reminded) and skip reason",
    ["kind", "outcome", "reason"],
)


def initialise_series() -> None:
    for kind in ("staff_evaluation", "questionnaire"):
        for outcome in ("sent", "expired", "reminded"):
            INVITATIONS.labels(kind, outcome, "")
