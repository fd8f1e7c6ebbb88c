"""The surveys service's one SQLAlchemy Base: so far only the kit's tables (outbox, inbox, number counters) on it.

Concept packages (`surveys/<concept>/models.py`) will define their tables on this Base."""

from __future__ import annotations

from servicekit.db import make_base
from servicekit.tables import kit_tables

Base = make_base()
kit = kit_tables(Base.metadata)
