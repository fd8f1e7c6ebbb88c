"""The customer service's FastAPI app: `uvicorn customer.app:app` or `crm serve customer`."""

from __future__ import annotations

from typing import Any

from customer import api, api_data, api_privacy, consent, consumers, jobs, metrics, scheduled
from customer.models import Base, kit
from customer.settings import customer_settings
from servicekit.runtime import ServiceRuntime


def create_service(**overrides: Any) -> ServiceRuntime:
    service = ServiceRuntime(
        "customer", metadata=Base.metadata, tables=kit, description="Customer records (R-01 .. R-09)", **overrides
    )
    settings = customer_settings()
    metrics.initialise_series()
    # fixed paths (/customers/lookup, ...) first, so /customers/{customer_id} does not shadow them
    service.include_router(api_data.router)
    service.include_router(api_privacy.router)
    service.include_router(api.router)
    service.consume("figures", consumers.on_figures_event)
    service.consume("consent", consent.on_unsubscribed)  # R-42 unsubscribe link -> withdrawn consent (H3)
    service.every(
        "reclassification", settings.reclassify_interval_seconds,
        scheduled.after_first_interval(lambda: scheduled.reclassify_all(service.db)),
    )
    service.every("import recovery", 3600.0, jobs.recovery(service.db))  # fail imports a restart interrupted
    return service


service = create_service()
app = service.app
