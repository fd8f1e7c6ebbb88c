"""The customer service's FastAPI app: `uvicorn customer.app:app` or `crm serve customer`. Wiring only."""

from __future__ import annotations

from typing import Any

from customer.audit import api as audit_api
from customer.change_lag import metrics as change_lag_metrics
from customer.classification import api as classification_api
from customer.classification import metrics as classification_metrics
from customer.classification import scheduled as classification_scheduled
from customer.consent import api as consent_api
from customer.consent import consumers as consent_consumers
from customer.contacts import api as contacts_api
from customer.duplicates import api as duplicates_api
from customer.exports import api as exports_api
from customer.figures import api as figures_api
from customer.figures import consumers as figures_consumers
from customer.imports import api as imports_api
from customer.imports import scheduled as imports_scheduled
from customer.key_information import api as key_information_api
from customer.models import Base, kit
from customer.ownership import api as ownership_api
from customer.privacy import api as privacy_api
from customer.records import api as records_api
from customer.records import consumers as records_consumers
from customer.search import api as search_api
from customer.segments import api as segments_api
from customer.settings import customer_settings
from servicekit.runtime import ServiceRuntime

# fixed paths (/customers/lookup, ...) come before records, so /customers/{customer_id} does not shadow them
ROUTERS = (
    search_api.router,
    duplicates_api.router,
    imports_api.router,
    exports_api.router,
    segments_api.router,
    consent_api.router,
    audit_api.router,
    privacy_api.router,
    records_api.router,
    figures_api.router,
    classification_api.router,
    ownership_api.router,
    contacts_api.router,
    key_information_api.router,
)


def create_service(**overrides: Any) -> ServiceRuntime:
    service = ServiceRuntime(
        "customer", metadata=Base.metadata, tables=kit, description="Customer records (R-01 .. R-09)", **overrides
    )
    settings = customer_settings()
    change_lag_metrics.initialise_series()
    classification_metrics.initialise_series()
    for router in ROUTERS:
        service.include_router(router)
    service.consume("figures", figures_consumers.on_figures_event)
    service.consume("consent", consent_consumers.on_unsubscribed)  # R-42 unsubscribe link -> withdrawn consent
    service.consume("engagement-events", records_consumers.on_engagement_event)  # needs, R-16 last contact
    service.every(
        "reclassification",
        settings.reclassify_interval_seconds,
        classification_scheduled.after_first_interval(lambda: classification_scheduled.reclassify_all(service.db)),
    )
    service.every(
        "import recovery", 3600.0, imports_scheduled.recovery(service.db)
    )  # fail imports a restart interrupted
    return service


service = create_service()
app = service.app
