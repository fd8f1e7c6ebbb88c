"""Alembic environment for the notifier service; the kit runs it (SQLite and PostgreSQL alike)."""

from notifier.models import Base
from servicekit.migrations import run_env

run_env(Base.metadata)
