"""Silence metrics (crm_engagement_ prefix); labels are bounded reason codes, never a customer or staff member."""

from __future__ import annotations

from prometheus_client import Counter, Gauge

SILENT_CUSTOMERS = Gauge(
    "crm_engagement_silent_customers", "Customers with an open reactivation task (no interaction for the set days)"
)
REACTIVATION_TASKS = Counter("crm_engagement_reactivation_tasks_total", "Reactivation tasks opened (R-16)")
LAPSE_REASONS = Counter(
    "crm_engagement_contact_lapse_reasons_total", "Why contact lapsed, as recorded by owners (R-16)", ["reason"]
)
