"""Response metrics (crm_ prefix). Labels are bounded enums; scores are bucketed, never per customer."""

from __future__ import annotations

from prometheus_client import Counter

RESPONSES = Counter("crm_survey_responses_total", "Survey responses recorded (first revision only), by kind", ["kind"])
RESPONSE_CHANGES = Counter("crm_survey_response_changes_total", "Responses changed before expiry", ["kind"])
LOW_SCORES = Counter("crm_survey_low_scores_total", "R-35 low scores published, by reason", ["kind", "reason"])
# the recording rules derive CSAT (share of 4-5 / top two levels) and NPS (promoters - detractors) from these
ANSWERS = Counter(
    "crm_survey_answers_total",
    "Rated answers of first revisions: csat (1-5), rating4 (level) and nps (promoter, passive, detractor)",
    ["kind", "scale", "value"],
)


def initialise_series() -> None:
    for kind in ("staff_evaluation", "questionnaire"):
        RESPONSES.labels(kind)
        RESPONSE_CHANGES.labels(kind)
        for reason in ("poor_item", "low_csat", "nps_detractor", "complaint_requested"):
            LOW_SCORES.labels(kind, reason)
