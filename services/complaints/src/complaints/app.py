"""The complaints service's FastAPI app: `uvicorn complaints.app:app` or `crm serve complaints`."""

from __future__ import annotations

from typing import Any

from complaints.calendar import api as calendar_api
from complaints.calendar import metrics as calendar_metrics
from complaints.calendar import scheduled as calendar_scheduled
from complaints.calendar import service as calendar_service
from complaints.cases import api as cases_api
from complaints.cases import consumers as cases_consumers
from complaints.compensations import api as compensations_api
from complaints.corrective_actions import api as corrective_actions_api
from complaints.models import Base, kit
from complaints.reports import api as reports_api
from complaints.settings import complaints_settings
from complaints.sla import metrics as sla_metrics
from complaints.sla import scheduled as sla_scheduled
from complaints.sla import service as sla_service
from servicekit.runtime import ServiceRuntime


def create_service(**overrides: Any) -> ServiceRuntime:
    service = ServiceRuntime(
        "complaints",
        metadata=Base.metadata,
        tables=kit,
        description="Complaints and service cases, SLA clocks and escalation (R-20 .. R-32)",
        **overrides,
    )
    settings = complaints_settings()
    sla_metrics.initialise_series()
    calendar_metrics.initialise_series()
    calendar = calendar_service.install(service.db)
    unknown = sla_service.policy_matrix().calendars() - set(calendar.book.names)
    if unknown:  # a policy naming a calendar nobody defined fails the start, not the first case
        raise ValueError(f"SLA policy names unknown business calendars: {', '.join(sorted(unknown))}")
    for router in (
        cases_api.router,
        compensations_api.router,
        corrective_actions_api.router,
        reports_api.router,
        calendar_api.router,
    ):
        service.include_router(router)
    service.consume("customer-events", cases_consumers.on_customer_event)
    service.consume("survey-events", cases_consumers.on_survey_event)
    service.every("sla evaluator", settings.evaluator_interval_seconds, lambda: sla_scheduled.evaluate_due(service.db))
    service.every("calendar refresh", settings.calendar_refresh_seconds, calendar.refresh)
    service.every(
        "calendar recompute",
        settings.calendar_recompute_interval_seconds,
        lambda: calendar_scheduled.recompute_due(service.db),
    )
    service.every("sla gauges", settings.gauges_interval_seconds, lambda: sla_scheduled.refresh_gauges(service.db))
    return service


service = create_service()
app = service.app
