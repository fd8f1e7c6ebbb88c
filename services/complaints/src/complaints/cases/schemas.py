"""Case HTTP request and response models. Unknown fields are refused (422 naming them)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from complaints.sla.schemas import SlaTargetRead
from contracts.events.cases import CaseKind, Channel, Department, Severity
from servicekit.fields import AwareInstant, Identifier, LongText, Name, Note
from servicekit.fields import Text as BoundedText

Text = Annotated[LongText, StringConstraints(min_length=1)]
Category = Annotated[BoundedText, StringConstraints(max_length=60, pattern=r"^(quality|non_quality)(/[a-z_]+)?$")]


class StrictInput(BaseModel):
    """Every request body of the service: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class CaseCreate(StrictInput):
    kind: CaseKind
    customer_id: Identifier
    channel: Channel
    content: Text
    received_at: AwareInstant | None = Field(default=None, description="when the customer reached us; default now")
    requested_outcome: Text | None = None
    cause_category: Category | None = Field(
        default=None,
        description="quality or non_quality, with a sub-category: quality/packaging, non_quality/transport",
    )
    product: Name | None = None
    severity: Severity = Severity.normal


class ActionRequest(StrictInput):
    note: Note | None = None


class ReportRequest(ActionRequest):
    root_cause: Note | None = None


class DispatchRequest(ActionRequest):
    technician: Name
    mode: Literal["on_site", "remote", "out_of_town"] = "on_site"


class ReassignRequest(ActionRequest):
    department: Department
    owner: Name | None = None


class SeverityChange(ActionRequest):
    severity: Severity


class TimelineRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    actor: str
    action: str
    from_state: str | None
    to_state: str | None
    note: str | None


class CaseRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    number: str
    kind: str
    channel: str
    customer_id: str
    customer_name: str | None = None
    received_at: datetime
    content: str
    requested_outcome: str | None
    cause_category: str | None
    product: str | None
    severity: str
    tier: str
    state: str
    close_outcome: str | None
    department: str
    owner: str | None
    team: str | None
    paused: bool = False
    service_mode: str | None
    technician: str | None
    approval_needed: bool
    approved_by: str | None
    reopened_from: str | None
    reopened_as: str | None
    root_cause: str | None
    origin: str | None = None
    origin_id: str | None = None
    version: int
    allowed_actions: list[str] = []
    sla: list[SlaTargetRead] = []


class CaseDetail(CaseRead):
    timeline: list[TimelineRead] = []
    chain: list[str] = Field(default=[], description="numbers of the linked cases, oldest first (R-29)")


class CaseList(BaseModel):
    items: list[CaseRead]
