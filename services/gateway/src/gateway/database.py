"""The gateway's one SQLAlchemy Base: every concept's models.py declares its tables on it, beside the kit's
outbox and inbox tables, so the runtime and Alembic see one schema."""

from __future__ import annotations

from sqlalchemy import MetaData

from servicekit.db import make_base
from servicekit.tables import kit_tables

Base = make_base()
kit = kit_tables(Base.metadata)


def whole_metadata() -> MetaData:
    """The metadata with every concept's tables registered (imported here: each concept's models import Base)."""
    from gateway.keys import models as _keys  # noqa: F401
    from gateway.service_accounts import models as _service_accounts  # noqa: F401
    from gateway.sessions import models as _sessions  # noqa: F401
    from gateway.staff import models as _staff  # noqa: F401

    return Base.metadata
