"""What staff read of responses: scores and, for those who may see the customer (R-09), the customer's words."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class ResponseRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    invitation_id: str
    kind: str
    customer_id: str
    case_id: str | None
    campaign_id: str | None
    questionnaire_key: str
    questionnaire_version: int
    rated_staff: str | None
    scores: dict[str, Any]
    texts: dict[str, str]
    satisfaction: float | None
    nps: int | None
    wants_complaint: bool
    revision: int
    responded_at: datetime
