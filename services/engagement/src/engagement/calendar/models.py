"""This service's copy of the company business calendar, kept from `calendar.changed.v1` (working-day to-dos, R-15)."""

from __future__ import annotations

from engagement.database import Base
from servicekit.calendar.store import calendar_table

calendar_book = calendar_table(Base.metadata)
