"""surveys tables: so far only the kit's outbox, inbox and number counters; its domain tables come with its issue."""

from __future__ import annotations

from servicekit.db import make_base
from servicekit.tables import kit_tables

Base = make_base()
kit = kit_tables(Base.metadata)
