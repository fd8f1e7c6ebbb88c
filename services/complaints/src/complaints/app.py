"""The complaints service's FastAPI app: `uvicorn complaints.app:app` or `crm serve complaints`."""

from __future__ import annotations

from complaints.models import Base, kit
from servicekit.runtime import ServiceRuntime

service = ServiceRuntime("complaints", metadata=Base.metadata, tables=kit, description="Complaints and service cases, SLA clocks and escalation (R-20 .. R-32)")
app = service.app
