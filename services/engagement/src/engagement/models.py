"""Every engagement table on the one Base: migrations and the `crm` commands read `Base.metadata` from here.

Each concept defines its own tables; importing them here makes the metadata whole."""

from __future__ import annotations

from engagement.cadences.models import CadencePolicyRow, Obligation
from engagement.calendar.models import calendar_book
from engagement.communications.models import Communication
from engagement.crisis.models import CrisisSwitch
from engagement.database import Base, kit
from engagement.followups.models import FollowUp
from engagement.interactions.models import LastInteraction, ReactivationTask
from engagement.overrides.models import CadenceOverride
from engagement.plans.models import MaintenancePlan, PlanPostponement
from engagement.segments.models import KnownCustomer
from engagement.todos.models import Todo

__all__ = [
    "Base",
    "CadenceOverride",
    "CadencePolicyRow",
    "Communication",
    "CrisisSwitch",
    "FollowUp",
    "KnownCustomer",
    "LastInteraction",
    "MaintenancePlan",
    "Obligation",
    "PlanPostponement",
    "ReactivationTask",
    "Todo",
    "calendar_book",
    "kit",
]
