"""Notifier tables: recipients, consents, messages and their attempts (delivery, H4) and
templates and the staff inbox (content, in models_content.py). One metadata for Alembic."""

from __future__ import annotations

from servicekit.db import make_base
from servicekit.tables import kit_tables

Base = make_base()
kit = kit_tables(Base.metadata)

# the content tables register on the same metadata
from notifier import models_content  # noqa: E402,F401
