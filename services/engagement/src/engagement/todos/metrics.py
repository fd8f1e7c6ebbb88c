"""To-do metrics (crm_engagement_ prefix); no per-customer or per-staff labels."""

from __future__ import annotations

from prometheus_client import Counter, Gauge

OVERDUE = Gauge("crm_engagement_overdue_todos", "To-dos past their due time whose customer was not yet informed")
REMINDERS = Counter("crm_engagement_todo_reminders_total", "Owners reminded of an overdue to-do (R-15)")
ESCALATIONS = Counter("crm_engagement_todo_escalations_total", "Overdue to-dos escalated to a supervisor (R-15)")
