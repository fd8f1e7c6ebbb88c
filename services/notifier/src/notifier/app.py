"""The notifier service's FastAPI app: `uvicorn notifier.app:app` or `crm serve notifier`."""

from __future__ import annotations

from notifier import api_content, templates
from notifier.models import Base, kit
from servicekit.runtime import ServiceRuntime

service = ServiceRuntime("notifier", metadata=Base.metadata, tables=kit, description="Customer and staff notifications (R-40 .. R-43)")
service.include_router(api_content.templates_router)
service.include_router(api_content.inbox_router)
service.include_router(api_content.unsubscribe_router)
service.every("default templates", 3600.0, templates.seeder(service.db))  # seeds on start; idempotent
app = service.app
