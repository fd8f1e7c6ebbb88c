"""Every engagement table on the one Base: migrations and the `crm` commands read `Base.metadata` from here.

Each concept defines its own tables; importing them here makes the metadata whole."""

from __future__ import annotations

from engagement.calendar.models import calendar_book
from engagement.database import Base, kit
from engagement.followups.models import FollowUp

__all__ = ["Base", "FollowUp", "calendar_book", "kit"]
