"""Figures from other services re-derive the value tier (R-03): orders, complaints, survey scores. The kit's
consumer gives inbox + ack."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time

from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Envelope
from contracts.events.cases import CaseKind, CaseReceivedV1
from contracts.events.orders import OrderFiguresReportedV1
from contracts.events.surveys import SurveyResponseRecordedV1
from customer.figures import service

log = logging.getLogger("customer.consumers")


async def on_figures_event(session: AsyncSession, envelope: Envelope) -> None:
    event = envelope.payload()
    if isinstance(event, OrderFiguresReportedV1):
        applied = await service.apply_reported(
            session,
            event.customer_id,
            version=envelope.aggregate_version,
            as_of=datetime.combine(event.as_of, time(), tzinfo=UTC),
            revenue_12m=event.revenue_12m,
            orders_12m=event.orders_12m,
        )
        if not applied:
            log.info("order figures ignored (unknown customer or stale)", extra={"event_id": str(envelope.id)})
    elif isinstance(event, CaseReceivedV1) and event.kind == CaseKind.complaint:
        await service.count_complaint(session, event.customer_id)
    elif isinstance(event, SurveyResponseRecordedV1) and event.satisfaction is not None:
        await service.apply_survey_score(
            session,
            event.customer_id,
            response_id=event.response_id,
            satisfaction=event.satisfaction,
            revision=event.revision,
            responded_at=event.responded_at,
        )
