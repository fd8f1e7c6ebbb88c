"""Case events: who handles the case (received, acknowledged, assigned, dispatched) and its end (closed, signed off)."""

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
    if isinstance(event, CaseClosedV1 | ServiceRequestSignedOffV1):
        outcome = event.outcome if isinstance(event, CaseClosedV1) else None
        await service.case_finished(
            session, event.case_id, number=event.number, customer_id=event.customer_id, outcome=outcome
        )
        return
    if isinstance(event, CaseReceivedV1):
        values = {"kind": event.kind, "owner": event.owner, "team": event.team}
    elif isinstance(event, CaseAcknowledgedV1):
        values = {"acknowledged_by": event.acknowledged_by}
    elif isinstance(event, CaseAssignedV1):
        values = {"owner": event.owner}
    elif isinstance(event, ServiceRequestDispatchedV1):
        values = {"technician": event.technician}
    else:
        return
    await service.note_case(
        session, event.case_id, envelope.aggregate_version, number=event.number, customer_id=event.customer_id, **values
    )
