"""The service's one SQLAlchemy `Base` and the kit's tables (outbox, inbox, counters) on its metadata.

Every concept's `models.py` declares its tables on this `Base`; `customer.models` imports them all.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer

from servicekit.db import make_base
from servicekit.tables import kit_tables

Base = make_base()
kit = kit_tables(Base.metadata)

# SQLite has no BIGINT autoincrement; INTEGER PRIMARY KEY is its rowid
AutoId = BigInteger().with_variant(Integer(), "sqlite")
