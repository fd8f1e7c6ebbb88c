"""Case events: who handles the case (received, assigned, dispatched) and its end (closed, signed off)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Envelope
from contracts.events.cases import (
    CaseAcknowledgedV1,
    CaseAssignedV1,
    CaseClosedV1,
    CaseReceivedV1,
    ServiceRequestDispatchedV1,
    ServiceRequestSignedOffV1,
)
from surveys.cases import service


async def on_case_event(session: AsyncSession, envelope: Envelope) -> None:
    event = envelope.payload()
    version = envelope.aggregate_version
    if isinstance(event, CaseReceivedV1):
        await service.note_case(
            session,
            event.case_id,
            version,
            number=event.number,
            customer_id=event.customer_id,
            kind=event.kind,
            owner=event.owner,
            team=event.team,
        )
    elif isinstance(event, CaseAcknowledgedV1):
        await service.note_case(
            session,
            event.case_id,
            version,
            number=event.number,
            customer_id=event.customer_id,
            acknowledged_by=event.acknowledged_by,
        )
    elif isinstance(event, CaseAssignedV1):
        await service.note_case(
            session, event.case_id, version, number=event.number, customer_id=event.customer_id, owner=event.owner
        )
    elif isinstance(event, ServiceRequestDispatchedV1):
        await service.note_case(
            session,
            event.case_id,
            version,
            number=event.number,
            customer_id=event.customer_id,
            technician=event.technician,
        )
    elif isinstance(event, CaseClosedV1):
        await service.case_finished(
            session, event.case_id, number=event.number, customer_id=event.customer_id, outcome=event.outcome
        )
    elif isinstance(event, ServiceRequestSignedOffV1):
        await service.case_finished(
            session, event.case_id, number=event.number, customer_id=event.customer_id, outcome=None
        )
