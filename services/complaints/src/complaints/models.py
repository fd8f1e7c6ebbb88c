"""Every complaints table on the one Base: migrations and the `crm` commands read `Base.metadata` from here.

Each concept defines its own tables; importing them here makes the metadata whole."""

from __future__ import annotations

from complaints.calendar.models import CalendarRecompute, calendar_book
from complaints.cases.models import Case, CustomerView, TimelineEntry
from complaints.compensations.models import Compensation
from complaints.corrective_actions.models import CorrectiveAction
from complaints.database import Base, kit
from complaints.sla.models import ClockEntry, SlaTargetRow

__all__ = [
    "Base",
    "CalendarRecompute",
    "Case",
    "ClockEntry",
    "Compensation",
    "CorrectiveAction",
    "CustomerView",
    "SlaTargetRow",
    "TimelineEntry",
    "calendar_book",
    "kit",
]
