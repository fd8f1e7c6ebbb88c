"""The surveys service's FastAPI app: `uvicorn surveys.app:app` or `crm serve surveys`."""

from __future__ import annotations

from typing import Any

from servicekit.runtime import ServiceRuntime
from surveys.campaigns import api as campaigns_api
from surveys.campaigns import scheduled as campaigns_scheduled
from surveys.cases import consumers as cases_consumers
from surveys.customers import consumers as customers_consumers
from surveys.invitations import metrics as invitations_metrics
from surveys.invitations import scheduled as invitations_scheduled
from surveys.models import Base, kit
from surveys.questionnaires import api as questionnaires_api
from surveys.responses import api as responses_api
from surveys.responses import metrics as responses_metrics
from surveys.results import api as results_api
from surveys.settings import surveys_settings


def create_service(**overrides: Any) -> ServiceRuntime:
    service = ServiceRuntime(
        "surveys",
        metadata=Base.metadata,
        tables=kit,
        description="Satisfaction surveys and staff ratings (R-33 .. R-35)",
        secrets=("CRM_SURVEYS_TOKEN_SECRET",),  # signs invitation links
        **overrides,
    )
    settings = surveys_settings()
    invitations_metrics.initialise_series()
    responses_metrics.initialise_series()
    for router in (
        responses_api.router,
        responses_api.staff_router,
        questionnaires_api.router,
        campaigns_api.router,
        results_api.router,
    ):
        service.include_router(router)
    service.consume("customer-events", customers_consumers.on_customer_event)
    service.consume("case-events", cases_consumers.on_case_event)
    service.every(
        "reminders and expiry",
        settings.scheduler_interval_seconds,
        lambda: invitations_scheduled.remind_and_expire(service.db),
    )
    service.every(
        "campaign planning", settings.scheduler_interval_seconds, lambda: campaigns_scheduled.plan_due(service.db)
    )
    return service


service = create_service()
app = service.app
