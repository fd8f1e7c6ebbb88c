"""The notifier service's FastAPI app: `uvicorn notifier.app:app` or `crm serve notifier`. Wiring only."""

from __future__ import annotations

from typing import Any

from notifier.consent import api as consent_api
from notifier.database import kit, whole_metadata
from notifier.delivery import api as delivery_api
from notifier.delivery import consumers as delivery_consumers
from notifier.delivery import metrics as delivery_metrics
from notifier.delivery import scheduled as delivery_scheduled
from notifier.delivery.triggers import triggers
from notifier.recipients import consumers as recipients_consumers
from notifier.settings import notifier_settings
from notifier.staff_inbox import api as staff_inbox_api
from notifier.templates import api as templates_api
from notifier.templates import scheduled as templates_scheduled
from servicekit.runtime import ServiceRuntime


def create_service(**overrides: Any) -> ServiceRuntime:
    service = ServiceRuntime(
        "notifier",
        metadata=whole_metadata(),
        tables=kit,
        description="Customer and staff notifications (R-40 .. R-43)",
        secrets=("CRM_NOTIFIER_UNSUBSCRIBE_SECRET",),  # signs unsubscribe links
        **overrides,
    )
    settings = notifier_settings()
    triggers()  # a broken mapping fails the start, not the first event
    delivery_metrics.initialise_series()
    service.include_router(delivery_api.router)
    service.include_router(templates_api.router)
    service.include_router(staff_inbox_api.router)
    service.include_router(consent_api.router)
    service.consume("customer-events", recipients_consumers.on_customer_event)
    service.consume("staff-events", recipients_consumers.on_staff_event)
    # a campaign's requests: many per transaction, ack after commit; no savepoints: accept raises before it writes
    service.consume(
        "requests",
        delivery_consumers.on_request,
        batch=settings.request_batch_size,
        prepare=delivery_consumers.prepare_requests,
        savepoints=False,
    )
    service.consume("domain-events", delivery_consumers.on_domain_event)
    # seeds on start; idempotent
    service.every("default templates", 3600.0, lambda: templates_scheduled.seed_default_templates(service.db))
    if settings.dispatcher_enabled:
        dispatcher = delivery_scheduled.build_dispatcher(service.db, settings)
        service.app.state.dispatcher = dispatcher
        service.every("dispatcher", settings.dispatcher_interval_seconds, dispatcher.drain)
    # requests for a customer not known yet wait for it (not the DLQ); those that waited in vain are closed
    service.every(
        "waiting requests",
        settings.waiting_interval_seconds,
        lambda: delivery_scheduled.close_expired_waits(service.db, settings),
    )
    service.every(
        "delivery gauges", settings.gauges_interval_seconds, lambda: delivery_scheduled.refresh_gauges(service.db)
    )
    return service


service = create_service()
app = service.app
