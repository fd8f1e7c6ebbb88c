"""The notifier's one SQLAlchemy Base: every concept's models.py declares its tables on it, beside the kit's
outbox and inbox tables, so the runtime and Alembic see one schema."""

from __future__ import annotations

from sqlalchemy import MetaData

from servicekit.db import make_base
from servicekit.tables import kit_tables

Base = make_base()
kit = kit_tables(Base.metadata)


def whole_metadata() -> MetaData:
    """The metadata with every concept's tables registered (imported here: each concept's models import Base)."""
    from notifier.consent import models as _consent  # noqa: F401
    from notifier.delivery import models as _delivery  # noqa: F401
    from notifier.recipients import models as _recipients  # noqa: F401
    from notifier.staff_inbox import models as _staff_inbox  # noqa: F401
    from notifier.templates import models as _templates  # noqa: F401

    return Base.metadata
