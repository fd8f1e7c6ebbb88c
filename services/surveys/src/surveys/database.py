"""The surveys service's one SQLAlchemy Base, with the kit's tables (outbox, inbox, number counters) on it."""

from __future__ import annotations

from servicekit.db import make_base
from servicekit.tables import kit_tables

Base = make_base()
kit = kit_tables(Base.metadata)
