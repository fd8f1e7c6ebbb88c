"""Events the complaints service publishes: cases, SLA, escalation, compensation (R-20 .. R-32)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, Field

from contracts.envelope import Event


class CaseKind(StrEnum):
    """R-21."""

    complaint = "complaint"
    service_request = "service_request"
    inquiry = "inquiry"


class Channel(StrEnum):
    """R-20."""

    hotline = "hotline"
    online_chat = "online_chat"
    email = "email"
    web_form = "web_form"
    in_person = "in_person"


class Severity(StrEnum):
    """R-22: 特别严重 is `serious`."""

    normal = "normal"
    serious = "serious"


class Department(StrEnum):
    """R-27."""

    customer_service = "customer_service"
    marketing = "marketing"
    rnd = "rnd"


class SlaTarget(StrEnum):
    first_response = "first_response"
    investigation_report = "investigation_report"
    resolution = "resolution"


class CloseOutcome(StrEnum):
    resolved = "resolved"
    unfounded = "unfounded"
    rejected = "rejected"  # the customer refused; a linked case continues


class CompensationKind(StrEnum):
    """R-28: 折扣、赔款、退货、重处理."""

    discount = "discount"
    refund = "refund"
    return_goods = "return"
    rework = "rework"


class _CaseEvent(Event):
    aggregate: ClassVar[str] = "case"

    case_id: str
    number: str = Field(description="Human-readable case number, e.g. TS-2026-000042")
    customer_id: str


class CaseReceivedV1(_CaseEvent):
    event_type: ClassVar[str] = "case.received.v1"

    kind: CaseKind
    channel: Channel
    severity: Severity
    cause_category: str | None
    department: Department
    owner: str | None
    team: str | None
    received_at: datetime
    # optional, so v1 stays compatible: `channel` keeps its published values (a survey complaint is web_form)
    origin: str | None = Field(default=None, description="where the case was opened from, e.g. survey (R-35)")
    origin_id: str | None = Field(default=None, description="the record it came from, e.g. the survey response id")


class CaseAcknowledgedV1(_CaseEvent):
    """First response to the customer (R-23)."""

    event_type: ClassVar[str] = "case.acknowledged.v1"

    acknowledged_at: datetime
    acknowledged_by: str
    within_sla: bool


class CaseAssignedV1(_CaseEvent):
    event_type: ClassVar[str] = "case.assigned.v1"

    department: Department
    owner: str | None
    previous_department: Department | None
    previous_owner: str | None
    reason: str


class CaseEscalatedV1(_CaseEvent):
    """R-26: to the vice-president at once for a serious complaint; to supervisor and manager on a breach."""

    event_type: ClassVar[str] = "case.escalated.v1"

    to_roles: list[str]
    reason: str = Field(description="serious_complaint, sla_at_risk or sla_breached")
    target: SlaTarget | None = None
    severity: Severity
    department: Department
    owner: str | None


class CaseSlaAtRiskV1(_CaseEvent):
    event_type: ClassVar[str] = "case.sla_at_risk.v1"

    target: SlaTarget
    deadline: datetime
    owner: str | None
    department: Department
    provisional: bool = Field(
        default=False, description="the deadline falls in a year the business calendar does not cover yet"
    )


class CaseSlaBreachedV1(_CaseEvent):
    """Dated at the deadline, not at the moment the evaluator noticed (R-25 逾期反映)."""

    event_type: ClassVar[str] = "case.sla_breached.v1"

    target: SlaTarget
    deadline: datetime
    owner: str | None
    department: Department
    provisional: bool = Field(
        default=False, description="the deadline falls in a year the business calendar does not cover yet"
    )


class MovedDeadline(BaseModel):
    target: SlaTarget
    deadline: datetime
    previous_deadline: datetime
    provisional: bool = Field(description="still in a year the business calendar does not cover")


class CaseSlaDeadlinesChangedV1(_CaseEvent):
    """Open SLA deadlines moved without a case action, e.g. the business calendar's year was entered (rule 7)."""

    event_type: ClassVar[str] = "case.sla_deadlines_changed.v1"

    reason: str = Field(description="calendar_changed")
    targets: list[MovedDeadline]


class CaseInvestigationReportedV1(_CaseEvent):
    """R-24: the investigation report went to the responsible vice-president."""

    event_type: ClassVar[str] = "case.investigation_reported.v1"

    reported_at: datetime
    root_cause: str | None


class CaseResolutionProposedV1(_CaseEvent):
    event_type: ClassVar[str] = "case.resolution_proposed.v1"

    proposed_at: datetime


class CaseResolvedV1(_CaseEvent):
    """The customer accepted the resolution (R-25)."""

    event_type: ClassVar[str] = "case.resolved.v1"

    resolved_at: datetime
    within_sla: bool


class CaseClosedV1(_CaseEvent):
    event_type: ClassVar[str] = "case.closed.v1"

    outcome: CloseOutcome
    closed_at: datetime


class CaseReopenedV1(_CaseEvent):
    """R-29: the customer refused the resolution; `new_case_id` continues with the original attached."""

    event_type: ClassVar[str] = "case.reopened.v1"

    new_case_id: str
    new_number: str
    reason: str


class CompensationApprovedV1(Event):
    """R-28: finance posts discounts and refunds; the warehouse receives returns and rework."""

    event_type: ClassVar[str] = "compensation.approved.v1"
    aggregate: ClassVar[str] = "compensation"

    compensation_id: str
    case_id: str
    case_number: str
    customer_id: str
    kind: CompensationKind
    amount: Decimal
    currency: str
    approved_by: str
    approved_at: datetime


class ServiceRequestStepV1(_CaseEvent):
    """Base of the R-21 service-request steps (a service request is a case of kind service_request)."""

    aggregate: ClassVar[str] = "service_request"

    at: datetime
    by: str


class ServiceRequestDispatchedV1(ServiceRequestStepV1):
    event_type: ClassVar[str] = "service_request.dispatched.v1"

    technician: str
    mode: str = Field(description="on_site, remote or out_of_town")
    needs_approval: bool


class ServiceRequestApprovedV1(ServiceRequestStepV1):
    """A manager approved remote or out-of-town service (R-21)."""

    event_type: ClassVar[str] = "service_request.approved.v1"


class ServiceRequestStartedV1(ServiceRequestStepV1):
    event_type: ClassVar[str] = "service_request.started.v1"


class ServiceRequestSignedOffV1(ServiceRequestStepV1):
    event_type: ClassVar[str] = "service_request.signed_off.v1"


class ServiceRequestArchivedV1(ServiceRequestStepV1):
    event_type: ClassVar[str] = "service_request.archived.v1"
