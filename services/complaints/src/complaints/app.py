"""The complaints service's FastAPI app: `uvicorn complaints.app:app` or `crm serve complaints`."""

from __future__ import annotations

from typing import Any

from complaints import api, consumers, metrics, scheduled
from complaints.models import Base, kit
from complaints.settings import complaints_settings
from servicekit.runtime import ServiceRuntime


def create_service(**overrides: Any) -> ServiceRuntime:
    service = ServiceRuntime(
        "complaints", metadata=Base.metadata, tables=kit,
        description="Complaints and service cases, SLA clocks and escalation (R-20 .. R-32)", **overrides,
    )
    settings = complaints_settings()
    metrics.initialise_series()
    service.include_router(api.router)
    service.consume("customer-events", consumers.on_customer_event)
    service.every("sla evaluator", settings.evaluator_interval_seconds, lambda: scheduled.evaluate_due(service.db))
    service.every("sla gauges", settings.gauges_interval_seconds, lambda: scheduled.refresh_gauges(service.db))
    return service


service = create_service()
app = service.app
