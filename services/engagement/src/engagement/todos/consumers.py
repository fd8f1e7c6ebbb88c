"""Survey events -> a recovery to-do for a low score (R-35) and the last interaction (R-16). The kit gives inbox,
ack and retries; the business calendar comes from the process's copy."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Envelope
from contracts.events.surveys import SurveyLowScoreRecordedV1, SurveyResponseRecordedV1
from engagement.interactions import service as interactions
from engagement.segments import service as segments
from engagement.settings import engagement_settings
from engagement.todos import service
from servicekit.broker import EventHandler
from servicekit.calendar.store import CalendarHolder


def on_survey_event(holder: CalendarHolder) -> EventHandler:
    async def handle(session: AsyncSession, envelope: Envelope) -> None:
        event = envelope.payload()
        if isinstance(event, SurveyResponseRecordedV1):
            await interactions.touch(session, event.customer_id, event.responded_at, "survey_response")
        elif isinstance(event, SurveyLowScoreRecordedV1):
            customer = await segments.get(session, event.customer_id)
            calendar = holder.calendar(engagement_settings().calendar)
            await service.open_recovery_todo(session, event, customer, calendar)

    return handle
