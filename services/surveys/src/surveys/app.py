"""The surveys service's FastAPI app: `uvicorn surveys.app:app` or `crm serve surveys`."""

from __future__ import annotations

from surveys.models import Base, kit
from servicekit.runtime import ServiceRuntime

service = ServiceRuntime("surveys", metadata=Base.metadata, tables=kit, description="Satisfaction surveys and staff ratings (R-33 .. R-35)")
app = service.app
