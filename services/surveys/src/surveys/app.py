"""The surveys service's FastAPI app: `uvicorn surveys.app:app` or `crm serve surveys`."""

from __future__ import annotations

from typing import Any

from servicekit.runtime import ServiceRuntime
from surveys.models import Base, kit


def create_service(**overrides: Any) -> ServiceRuntime:
    return ServiceRuntime(
        "surveys",
        metadata=Base.metadata,
        tables=kit,
        description="Satisfaction surveys and staff ratings (R-33 .. R-35)",
        **overrides,
    )


service = create_service()
app = service.app
