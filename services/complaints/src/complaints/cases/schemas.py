"""Case HTTP request and response models. Unknown fields are refused (422 naming them)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from complaints.sla.schemas import SlaTargetRead
from contracts.events.cases import CaseKind, Channel, Department, Severity

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=8000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Category = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^(quality|non_quality)(/[a-z_]+)?$")]


class StrictInput(BaseModel):
    """Every request body of the service: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class CaseCreate(StrictInput):
    kind: CaseKind
    customer_id: Annotated[str, StringConstraints(min_length=1, max_length=36)]
    channel: Channel
    content: Text
    received_at: AwareDatetime | None = Field(default=None, description="when the customer reached us; default now")
    requested_outcome: Text | None = None
    cause_category: Category | None = Field(
        default=None,
        description="quality or non_quality, with a sub-category: quality/packaging, non_quality/transport",
    )
    product: Name | None = None
    severity: Severity = Severity.normal


class ActionRequest(StrictInput):
    note: Annotated[str, StringConstraints(max_length=4000)] | None = None


class ReportRequest(ActionRequest):
    root_cause: Annotated[str, StringConstraints(max_length=4000)] | None = None


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
