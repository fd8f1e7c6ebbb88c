"""The engagement service's FastAPI app: `uvicorn engagement.app:app` or `crm serve engagement`. Wiring only."""

from __future__ import annotations

from typing import Any

from engagement.cadences import api as cadences_api
from engagement.cadences import metrics as cadences_metrics
from engagement.cadences import scheduled as cadences_scheduled
from engagement.calendar.models import calendar_book
from engagement.communications import api as communications_api
from engagement.communications import metrics as communications_metrics
from engagement.crisis import api as crisis_api
from engagement.followups import api as followups_api
from engagement.interactions import api as interactions_api
from engagement.interactions import scheduled as interactions_scheduled
from engagement.models import Base, kit
from engagement.overrides import api as overrides_api
from engagement.plans import api as plans_api
from engagement.segments import consumers as segments_consumers
from engagement.settings import engagement_settings
from engagement.todos import api as todos_api
from engagement.todos import consumers as todos_consumers
from engagement.todos import scheduled as todos_scheduled
from servicekit.calendar.copy import keep_calendar_copy
from servicekit.runtime import ServiceRuntime

ROUTERS = (
    followups_api.router,
    plans_api.router,
    cadences_api.router,
    crisis_api.router,
    overrides_api.router,
    communications_api.router,
    todos_api.router,
    interactions_api.router,
)


def create_service(**overrides: Any) -> ServiceRuntime:
    service = ServiceRuntime(
        "engagement",
        metadata=Base.metadata,
        tables=kit,
        description="Maintenance plans, cadences, communication records, to-dos, silent customers (R-10 .. R-19)",
        **overrides,
    )
    settings = engagement_settings()
    cadences_metrics.initialise_series()
    communications_metrics.initialise_series()
    for router in ROUTERS:
        service.include_router(router)
    service.consume("customer-events", segments_consumers.on_customer_event)
    service.consume("case-events", segments_consumers.on_case_event)
    calendar = keep_calendar_copy(service, calendar_book)  # working days for to-dos
    service.app.state.calendar = calendar
    service.consume("survey-events", todos_consumers.on_survey_event(calendar))  # R-16 interaction, R-35 recovery
    every = settings.pass_interval_seconds
    service.every("obligations pass", every, lambda: cadences_scheduled.close_due_obligations(service.db))
    service.every("re-plan pass", every, lambda: cadences_scheduled.replan_pass(service.db))
    service.every("overdue to-dos pass", every, lambda: todos_scheduled.chase_overdue(service.db, calendar))
    service.every("silence pass", every * 12, lambda: interactions_scheduled.find_silent(service.db))
    service.every("engagement gauges", 30.0, lambda: _refresh_gauges(service))
    return service


async def _refresh_gauges(service: ServiceRuntime) -> None:
    await cadences_scheduled.refresh_gauges(service.db)
    await todos_scheduled.refresh_gauges(service.db)
    await interactions_scheduled.refresh_gauges(service.db)


service = create_service()
app = service.app
