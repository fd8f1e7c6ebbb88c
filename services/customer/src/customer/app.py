"""The customer service's FastAPI app: `uvicorn customer.app:app` or `crm serve customer`."""

from __future__ import annotations

from typing import Any

from customer import api, api_data, api_privacy
from customer.consent import on_unsubscribed
from customer.models import Base, kit
from servicekit.runtime import ServiceRuntime


def create_service(**overrides: Any) -> ServiceRuntime:
    service = ServiceRuntime(
        "customer", metadata=Base.metadata, tables=kit, description="Customer records (R-01 .. R-09)", **overrides
    )
    service.include_router(api.router)
    service.include_router(api_data.router)
    service.include_router(api_privacy.router)
    service.consume("consent", on_unsubscribed)  # R-42 unsubscribe link -> withdrawn consent
    return service


service = create_service()
app = service.app
