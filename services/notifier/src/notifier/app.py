"""The notifier service's FastAPI app: `uvicorn notifier.app:app` or `crm serve notifier`."""

from __future__ import annotations

from notifier.models import Base, kit
from servicekit.runtime import ServiceRuntime

service = ServiceRuntime("notifier", metadata=Base.metadata, tables=kit, description="Customer and staff notifications (R-40 .. R-43)")
app = service.app
