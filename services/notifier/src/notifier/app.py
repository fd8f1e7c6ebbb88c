"""The notifier service's FastAPI app: `uvicorn notifier.app:app` or `crm serve notifier`."""

from __future__ import annotations

from typing import Any

from notifier import api, api_content, consumers, metrics, scheduled, templates
from notifier.models import Base, kit
from notifier.settings import notifier_settings
from notifier.triggers import triggers
from contracts.topology import subscription
from servicekit.batch_consumer import BatchConsumer
from servicekit.runtime import ServiceRuntime


def create_service(**overrides: Any) -> ServiceRuntime:
    service = ServiceRuntime(
        "notifier", metadata=Base.metadata, tables=kit,
        description="Customer and staff notifications (R-40 .. R-43)", **overrides,
    )
    settings = notifier_settings()
    triggers()  # a broken mapping fails the start, not the first event
    metrics.initialise_series()
    service.include_router(api.router)
    service.include_router(api_content.templates_router)
    service.include_router(api_content.inbox_router)
    service.include_router(api_content.unsubscribe_router)
    service.consume("customer-events", consumers.on_customer_event)
    # a campaign's requests: many per transaction (servicekit.batch_consumer), ack after commit
    requests = BatchConsumer(
        service.db, subscription("notifier", "requests"), consumers.on_request,
        broker_url=service.common.broker_url, delivery_limit=service.common.delivery_limit,
        retry_backoff=service.common.retry_backoff_seconds, batch_size=settings.request_batch_size,
        prepare=consumers.prepare_requests, savepoints=False,  # pipeline.accept raises before it writes
    )
    service.every("request consumer", 1.0, requests.run)
    service.consume("domain-events", consumers.on_domain_event)
    service.every("default templates", 3600.0, templates.seeder(service.db))  # seeds on start; idempotent
    if settings.dispatcher_enabled:
        dispatcher = scheduled.build_dispatcher(service.db, settings)
        service.app.state.dispatcher = dispatcher
        service.every("dispatcher", settings.dispatcher_interval_seconds, dispatcher.drain)
    service.every("delivery gauges", settings.gauges_interval_seconds, lambda: scheduled.refresh_gauges(service.db))
    return service


service = create_service()
app = service.app
