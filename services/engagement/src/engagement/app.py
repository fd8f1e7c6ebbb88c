"""The engagement service's FastAPI app: `uvicorn engagement.app:app` or `crm serve engagement`."""

from __future__ import annotations

from typing import Any

from engagement.calendar.models import calendar_book
from engagement.followups import api as followups_api
from engagement.followups import consumers as followups_consumers
from engagement.models import Base, kit
from servicekit.calendar.copy import keep_calendar_copy
from servicekit.runtime import ServiceRuntime


def create_service(**overrides: Any) -> ServiceRuntime:
    service = ServiceRuntime(
        "engagement",
        metadata=Base.metadata,
        tables=kit,
        description="Follow-ups and cadence (R-10 .. R-19)",
        **overrides,
    )
    service.include_router(followups_api.router)
    service.consume("customer-events", followups_consumers.on_customer_event)
    service.app.state.calendar = keep_calendar_copy(service, calendar_book)  # working days for to-dos
    return service


service = create_service()
app = service.app
